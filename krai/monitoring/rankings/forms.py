"""Forms of the ratings' pages: a rating, a typed edition (the home region's place at least), an order."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from krai.monitoring.rankings.models import Rating, RussianRegion
from krai.org.models import Organisation


def _organisations() -> QuerySet[Organisation]:
    return Organisation.objects.exclude(kind=Organisation.Kind.UNIT).order_by("name")


class _Styled(forms.Form):
    """Bootstrap's classes on every widget."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.style()

    def style(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            css = "form-check-input" if isinstance(widget, forms.CheckboxInput) else \
                "form-select" if isinstance(widget, forms.Select | forms.SelectMultiple) else "form-control"
            widget.attrs.setdefault("class", css)


class RatingForm(_Styled):
    code = forms.SlugField(label=_("Code"), max_length=60)
    name = forms.CharField(label=_("Name"), max_length=300)
    name_en = forms.CharField(label=_("Name in English"), max_length=300, required=False)
    publisher = forms.CharField(label=_("Publisher"), max_length=300)
    methodology_url = forms.URLField(label=_("Methodology (link)"), max_length=500, required=False)
    periodicity = forms.ChoiceField(label=_("Periodicity"), choices=Rating.Periodicity.choices)
    directions = forms.CharField(label=_("Directions"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                                 help_text=_("One a line: code; name (e.g. “infra; Инфраструктура”)."))
    owner_organisation = forms.ModelChoiceField(label=_("Owner organisation"), required=False,
                                                queryset=_organisations())
    drop_threshold = forms.IntegerField(label=_("Alert when the region falls by, places"), min_value=0,
                                        max_value=89, initial=5)
    neighbours = forms.ModelMultipleChoiceField(label=_("Neighbour regions to compare with"), required=False,
                                                queryset=RussianRegion.objects.order_by("code"))
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def clean_directions(self) -> list[dict]:
        out = []
        for line in (self.cleaned_data.get("directions") or "").splitlines():
            if not line.strip():
                continue
            code, sep, name = line.partition(";")
            if not sep or not code.strip() or not name.strip():
                raise ValidationError(_("Write each direction as “code; name”."))
            out.append({"code": code.strip(), "name": name.strip()})
        return out

    @staticmethod
    def initial_of(rating: Rating) -> dict:
        return {"code": rating.code, "name": rating.name, "name_en": rating.name_en, "publisher": rating.publisher,
                "methodology_url": rating.methodology_url, "periodicity": rating.periodicity,
                "directions": "\n".join(f"{d['code']}; {d['name']}" for d in rating.directions),
                "owner_organisation": rating.owner_organisation_id, "drop_threshold": rating.drop_threshold,
                "neighbours": list(rating.neighbours.values_list("pk", flat=True)), "active": rating.active}


class EditionForm(_Styled):
    """A typed edition: its period and size, and the home region's place, score and sub-scores."""

    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    quarter = forms.IntegerField(label=_("Quarter"), min_value=1, max_value=4, required=False)
    published_on = forms.DateField(label=_("Published on"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))
    regions_count = forms.IntegerField(label=_("Regions in the edition"), min_value=1, max_value=89, initial=89)
    source_url = forms.URLField(label=_("Source (link)"), max_length=500, required=False)
    place = forms.IntegerField(label=_("The region's place"), min_value=1, max_value=89)
    place_to = forms.IntegerField(label=_("Shared place up to"), min_value=1, max_value=89, required=False)
    score = forms.DecimalField(label=_("Score"), required=False, max_digits=12, decimal_places=3)

    def __init__(self, *args, rating: Rating, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.rating = rating
        for direction in rating.directions:
            self.fields[f"sub_{direction['code']}"] = forms.DecimalField(
                label=direction["name"], required=False, max_digits=12, decimal_places=3)
        if rating.periodicity == Rating.Periodicity.YEAR:
            del self.fields["quarter"]
        self.style()

    def subscores(self) -> dict:
        return {d["code"]: self.cleaned_data.get(f"sub_{d['code']}") for d in self.rating.directions
                if self.cleaned_data.get(f"sub_{d['code']}") is not None}


class OrderForm(_Styled):
    executor_organisation = forms.ModelChoiceField(label=_("Executor organisation"),
                                                   queryset=_organisations())
    working_days = forms.IntegerField(label=_("Deadline, working days"), min_value=1, max_value=120, initial=10)
    text = forms.CharField(label=_("What to do"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
