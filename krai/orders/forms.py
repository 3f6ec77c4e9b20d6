"""Forms of the orders pages: they parse input only; the services decide and refuse."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from krai.orders import pickers
from krai.orders.models import Order, Priority, SourceType
from krai.org.models import Organisation, User


def _date(**kw) -> forms.DateField:
    return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kw)


class Styled(forms.Form):
    """Bootstrap classes on every widget, and ``aria-describedby`` for help texts."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select form-select-sm"
            else:
                css = "form-control form-control-sm"
            widget.attrs["class"] = css
            if field.help_text:
                widget.attrs["aria-describedby"] = f"{self[name].id_for_label}-help"


class OrganisationField(forms.ModelChoiceField):
    """An organisation by its label no two alike ("Отдел кадров — Минздрав края"), see ``pickers``."""

    labels: dict[int, str] = {}

    def label_from_instance(self, obj: Organisation) -> str:
        return self.labels.get(obj.pk) or str(obj)


class OrganisationsField(forms.ModelMultipleChoiceField):
    labels: dict[int, str] = {}

    def label_from_instance(self, obj: Organisation) -> str:
        return self.labels.get(obj.pk) or str(obj)


class PersonField(forms.ModelChoiceField):
    """A person by his short name and unit ("Иванов И. П. — Отдел кадров — Минздрав края")."""

    units: dict[int, str] = {}

    def label_from_instance(self, obj: User) -> str:
        return pickers.person_label(obj, self.units.get(obj.pk, ""))


def _pick(form: forms.Form, *, purpose: str, assignment: Any = None, user: Any = None,
          organisations: tuple[str, ...], person: str | None = None, unit: str | None = None) -> None:
    """Fill the choice fields for ``purpose`` from ``pickers`` and mark them for the search script: without
    script they stay plain selects of the same choices (what the endpoint offers is what the form accepts)."""
    allowed = pickers.organisations_for(user=user, purpose=purpose, assignment=assignment)
    labels = pickers.organisation_labels()
    query = {"purpose": purpose, **({"assignment": assignment.pk} if assignment is not None else {})}
    texts = {"data-krai-picker-more": _("More are found: type more of the name."),
             "data-krai-picker-none": _("Nothing is found.")}
    for name in organisations:
        field = form.fields[name]
        field.queryset, field.labels = allowed, labels
        field.widget.attrs.update(texts)
        field.widget.attrs["data-krai-picker"] = f"{reverse('orders:pick_organisations')}?{urlencode(query)}"
    if person:
        field = form.fields[person]
        field.queryset = pickers.people_for(user=user, purpose=purpose, assignment=assignment)
        field.units = pickers.units_of(list(field.queryset))
        field.widget.attrs.update(texts)
        field.widget.attrs["data-krai-picker"] = f"{reverse('orders:pick_people')}?{urlencode(query)}"
        if unit:
            field.widget.attrs["data-krai-picker-unit"] = form[unit].id_for_label


def _same_unit(form: forms.Form, person_field: str, unit_field: str) -> None:
    """A named person must work in the chosen unit (or a unit below it)."""
    person, unit = form.cleaned_data.get(person_field), form.cleaned_data.get(unit_field)
    if person is not None and unit is not None and not pickers.works_in(person, unit):
        form.add_error(person_field, _("Choose a person who works in the chosen organisation."))


class OrderForm(Styled):
    title = forms.CharField(label=_("Title"), max_length=500)
    text = forms.CharField(label=_("Text of the order"), widget=forms.Textarea(attrs={"rows": 5}))
    number = forms.CharField(label=_("Number"), max_length=40, required=False,
                             help_text=_("Leave empty to number automatically."))
    source_type = forms.ChoiceField(label=_("Source"), choices=SourceType.choices)
    source_reference = forms.CharField(label=_("Source reference"), max_length=200, required=False)
    source_date = _date(label=_("Source date"), required=False)
    priority = forms.ChoiceField(label=_("Urgency"), choices=Priority.choices, initial=Priority.ORDINARY,
                                 help_text=_("Without a deadline: immediately and very urgent — 1 working day, "
                                             "urgent — 3, prompt — 10, ordinary — 30 days, monthly or quarterly "
                                             "reports — by the 10th of the following month."))
    lead_organisation = OrganisationField(label=_("Lead executor"), queryset=Organisation.objects.none())
    lead_user = PersonField(label=_("Lead executor (person)"), queryset=User.objects.none(), required=False)
    co_executors = OrganisationsField(label=_("Co-executors"), queryset=Organisation.objects.none(), required=False)
    controller_organisation = OrganisationField(label=_("Controller"), queryset=Organisation.objects.none())
    deadline = _date(label=_("Deadline"), required=False)
    working_days = forms.IntegerField(label=_("or working days from issue"), required=False, min_value=0,
                                      max_value=3650)
    period = forms.ChoiceField(label=_("Periodic"), choices=Order.Period.choices, required=False)
    period_until = _date(label=_("Reports until"), required=False)
    control_points = forms.CharField(
        label=_("Control points"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One a line: a date (YYYY-MM-DD), a space, and what is due."))
    issue = forms.BooleanField(label=_("Issue now (otherwise keep as a draft)"), required=False, initial=True)

    def __init__(self, *args, order: Order | None = None, user: Any = None, **kwargs):
        if order is not None:
            kwargs.setdefault("initial", self.initial_for(order))
        super().__init__(*args, **kwargs)
        user = user if user is not None else getattr(order, "issuer", None)
        _pick(self, purpose="lead", user=user, organisations=("lead_organisation", "co_executors"),
              person="lead_user", unit="lead_organisation")
        _pick(self, purpose="controller", user=user, organisations=("controller_organisation",))
        organisations = self.fields["controller_organisation"].queryset
        control = organisations.filter(kind=Organisation.Kind.CONTROL).first()
        if control is not None and order is None:
            self.fields["controller_organisation"].initial = control.pk
        if order is not None:  # editing a draft: the number is fixed, issuing is a choice
            self.fields["number"].disabled = True
            self.fields["number"].help_text = ""
            self.fields["number"].widget.attrs.pop("aria-describedby", None)

    @staticmethod
    def initial_for(order: Order) -> dict:
        """The form's values from a saved draft."""
        initial = {name: getattr(order, name) for name in (
            "number", "title", "text", "source_type", "source_reference", "source_date", "priority", "deadline",
            "working_days", "period", "period_until")}
        initial.update(lead_organisation=order.lead_organisation_id, lead_user=order.lead_user_id,
                       controller_organisation=order.controller_organisation_id, issue=False,
                       co_executors=[c.organisation_id for c in order.co_executors.all()],
                       control_points="\n".join(f"{p.deadline:%Y-%m-%d} {p.title}" for p in order.control_points.all()))
        return initial

    def clean(self) -> dict:
        cleaned = super().clean()
        _same_unit(self, "lead_user", "lead_organisation")
        return cleaned

    def clean_control_points(self) -> list[tuple[str, object]]:
        from datetime import date

        points = []
        for line in (self.cleaned_data.get("control_points") or "").splitlines():
            line = line.strip()
            if not line:
                continue
            day, _sep, title = line.partition(" ")
            try:
                points.append((title.strip() or day, date.fromisoformat(day)))
            except ValueError:
                raise forms.ValidationError(_("Start each line with a date like 2026-05-31.")) from None
        return points


class DelegateForm(Styled):
    executor_organisation = OrganisationField(label=_("Unit"), queryset=Organisation.objects.none(), required=False)
    executor_user = PersonField(label=_("Person"), queryset=User.objects.none(), required=False)
    deadline = _date(label=_("Deadline"))
    text = forms.CharField(label=_("Instructions"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, assignment=None, user: Any = None, **kwargs):
        super().__init__(*args, **kwargs)
        if assignment is not None:
            _pick(self, purpose="delegate", assignment=assignment, user=user,
                  organisations=("executor_organisation",), person="executor_user", unit="executor_organisation")
            self.fields["deadline"].initial = assignment.deadline

    def clean(self) -> dict:
        cleaned = super().clean()
        _same_unit(self, "executor_user", "executor_organisation")
        return cleaned


class PhotosInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos in one input (a phone offers its camera: ``capture``); cleans to a list, empty when none.
    What they are is proved by the service (``services._report_photos``), not here."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", PhotosInput(attrs={"accept": "image/*", "capture": "environment"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(PhotosField, self).clean(item, initial) for item in files if item]


class ReportForm(Styled):
    text = forms.CharField(label=_("Report"), widget=forms.Textarea(attrs={"rows": 3}))
    photos = PhotosField(label=_("Photos"), help_text=_("Up to 5 photos: JPEG, PNG, WebP or GIF. On a phone the "
                                                        "camera opens."))


class ReasonForm(Styled):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class DeadlineForm(ReasonForm):
    deadline = _date(label=_("New deadline"))


class ReassignForm(ReasonForm):
    executor_organisation = OrganisationField(label=_("Executor"), queryset=Organisation.objects.none())
    executor_user = PersonField(label=_("Person"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, assignment=None, user: Any = None, **kwargs):
        super().__init__(*args, **kwargs)
        if assignment is not None:
            _pick(self, purpose="reassign", assignment=assignment, user=user,
                  organisations=("executor_organisation",), person="executor_user", unit="executor_organisation")

    def clean(self) -> dict:
        cleaned = super().clean()
        _same_unit(self, "executor_user", "executor_organisation")
        return cleaned


class DecideForm(Styled):
    grant = forms.TypedChoiceField(label=_("Decision"), coerce=lambda v: v == "1",
                                   choices=[("1", _("Grant")), ("0", _("Refuse"))])
    deadline = _date(label=_("Deadline (if other than asked)"), required=False)
    answer = forms.CharField(label=_("Answer"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class Empty(Styled):
    pass


class DashboardForm(Styled):
    period_from = _date(label=_("Deadline from"), required=False)
    period_to = _date(label=_("to"), required=False)
    priority = forms.ChoiceField(label=_("Urgency"), required=False, choices=[("", _("any")), *Priority.choices])
    source = forms.ChoiceField(label=_("Source"), required=False, choices=[("", _("any")), *SourceType.choices])
    kind = forms.CharField(label=_("Kind"), required=False, max_length=40)
    as_of = _date(label=_("As of"), required=False)
