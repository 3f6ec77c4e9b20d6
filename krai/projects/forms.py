"""Forms of the projects pages: they parse input only; the services decide and refuse.

Organisations and people are chosen with the orders area's searchable pickers (any body of the region may be a
project's executor, so the "controller" purpose: every active organisation; people of the chosen unit)."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from krai.monitoring.indicators.models import Indicator
from krai.orders import pickers
from krai.orders.forms import OrganisationField, PersonField, Styled
from krai.org.models import Organisation, User
from krai.projects.models import Dependency, Programme, Project, Risk, WorkItem

PURPOSE = "controller"  # any active organisation (see the module's text)


def _date(**kw) -> forms.DateField:
    return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kw)


def _pickers(form: forms.Form, *, organisations: tuple[str, ...], people: tuple[str, ...] = ()) -> None:
    allowed = pickers.organisations_for(user=None, purpose=PURPOSE)
    labels = pickers.organisation_labels()
    texts = {"data-krai-picker-more": _("More are found: type more of the name."),
             "data-krai-picker-none": _("Nothing is found.")}
    query = urlencode({"purpose": PURPOSE})
    for name in organisations:
        field = form.fields[name]
        field.queryset, field.labels = allowed, labels
        field.widget.attrs.update(texts)
        field.widget.attrs["data-krai-picker"] = f"{reverse('orders:pick_organisations')}?{query}"
    for name in people:
        field = form.fields[name]
        field.queryset = pickers.people_of(allowed)
        field.units = {}
        field.widget.attrs.update(texts)
        field.widget.attrs["data-krai-picker"] = f"{reverse('orders:pick_people')}?{query}"


class ProgrammeForm(Styled):
    code = forms.SlugField(label=_("Code"), max_length=64, help_text=_("Latin letters, digits and hyphens."))
    title = forms.CharField(label=pgettext_lazy("project", "Title"), max_length=500)
    level = forms.ChoiceField(label=_("Level"), choices=Programme.Level.choices)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    owner_organisation = OrganisationField(label=_("Owner body"), queryset=Organisation.objects.none())
    curator = PersonField(label=_("Curator"), queryset=User.objects.none(), required=False)
    starts_on = _date(label=_("Starts on"))
    ends_on = _date(label=_("Ends on"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _pickers(self, organisations=("owner_organisation",), people=("curator",))


class ProjectForm(Styled):
    code = forms.SlugField(label=_("Code"), max_length=64, help_text=_("Latin letters, digits and hyphens."))
    title = forms.CharField(label=pgettext_lazy("project", "Title"), max_length=500)
    goal = forms.CharField(label=_("Goal"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    status = forms.ChoiceField(label=_("Status"), choices=Project.Status.choices, initial=Project.Status.ACTIVE)
    owner_organisation = OrganisationField(label=_("Owner body"), queryset=Organisation.objects.none())
    manager = PersonField(label=_("Project manager"), queryset=User.objects.none(), required=False)
    curator = PersonField(label=_("Curator"), queryset=User.objects.none(), required=False)
    starts_on = _date(label=_("Starts on"))
    ends_on = _date(label=_("Ends on"))
    budget_planned = forms.DecimalField(label=_("Budget, planned (roubles)"), required=False, min_value=0,
                                        max_digits=16, decimal_places=2)
    indicators = forms.CharField(label=_("Target indicators (codes)"), required=False, max_length=2000,
                                 help_text=_("The codes of the monitoring's target indicators the project serves, "
                                             "separated by commas, e.g. zdrav-01, zdrav-04."))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _pickers(self, organisations=("owner_organisation",), people=("manager", "curator"))

    def clean_indicators(self) -> list[Indicator]:
        codes = [c.strip() for c in self.cleaned_data["indicators"].replace(";", ",").split(",") if c.strip()]
        found = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise forms.ValidationError(_("No target indicator with the code %(codes)s.")
                                        % {"codes": ", ".join(unknown)})
        return [found[c] for c in dict.fromkeys(codes)]


class ItemForm(Styled):
    kind = forms.ChoiceField(label=_("Kind"), choices=WorkItem.Kind.choices, initial=WorkItem.Kind.TASK)
    title = forms.CharField(label=pgettext_lazy("project", "Title"), max_length=500)
    parent = forms.TypedChoiceField(label=_("Part of"), required=False, coerce=int, empty_value=None)
    planned_start = _date(label=_("Planned start"), required=False,
                          help_text=_("A control point has only a date: its planned finish."))
    planned_finish = _date(label=_("Planned finish"))
    owner_organisation = OrganisationField(label=_("Executor organisation"), queryset=Organisation.objects.none(),
                                           required=False,
                                           help_text=_("A task or a control point with an executor is put on "
                                                       "control by its planned finish."))
    responsible = PersonField(label=_("Responsible person"), queryset=User.objects.none(), required=False)
    budget_planned = forms.DecimalField(label=_("Budget, planned (roubles)"), required=False, min_value=0,
                                        max_digits=16, decimal_places=2)
    pinned = forms.BooleanField(label=_("Dates fixed (not moved by dependencies)"), required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, parents: list[WorkItem] = (), editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", _("— the top level —"))] + [
            (p.pk, f"{'  ' * p.depth}{p.wbs} {p.title}") for p in parents]
        if editing:
            for name in ("parent", "planned_start", "planned_finish"):
                del self.fields[name]
        _pickers(self, organisations=("owner_organisation",), people=("responsible",))

    def clean(self) -> dict:
        data = super().clean()
        if "planned_finish" in self.fields and data.get("kind") != WorkItem.Kind.CONTROL_POINT \
                and not data.get("planned_start"):
            self.add_error("planned_start", _("Enter the planned start."))
        return data


class DatesForm(Styled):
    planned_start = _date(label=_("Planned start"))
    planned_finish = _date(label=_("Planned finish"))
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)


class ProgressForm(Styled):
    progress = forms.IntegerField(label=_("Progress, %"), min_value=0, max_value=100, required=False)
    actual_start = _date(label=_("Actual start"), required=False)
    actual_finish = _date(label=_("Actual finish"), required=False)
    budget_spent = forms.DecimalField(label=_("Budget, spent (roubles)"), required=False, min_value=0,
                                      max_digits=16, decimal_places=2)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class LinkForm(Styled):
    """A predecessor is named by its outline number, as project offices do ("2.1.3"); one of another project of
    the programme by that project's code first ("roads-2025:1.2") — no list of thousands of items to scroll."""

    predecessor = forms.CharField(label=_("Predecessor (outline number)"), max_length=140,
                                  help_text=_("For example 2.1.3; of another project of the programme: its code and "
                                              "number, e.g. roads-2025:1.2."))
    type = forms.ChoiceField(label=_("Type"), choices=Dependency.Type.choices, initial=Dependency.Type.FS)
    lag = forms.IntegerField(label=_("Lag, working days"), initial=0, min_value=-250, max_value=250)
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)


class BaselineForm(Styled):
    name = forms.CharField(label=_("Name of the baseline"), max_length=200)


class RiskForm(Styled):
    title = forms.CharField(label=_("Risk"), max_length=500)
    probability = forms.ChoiceField(label=_("Probability"), choices=Risk.Level.choices, initial=Risk.Level.MEDIUM)
    impact = forms.ChoiceField(label=_("Impact"), choices=Risk.Level.choices, initial=Risk.Level.MEDIUM)
    mitigation = forms.CharField(label=_("Mitigation"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class StatusReportForm(Styled):
    text = forms.CharField(label=_("Report"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20000)
