"""Forms of the orders pages: they parse input only; the services decide and refuse."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

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


def _staff_qs():
    return User.objects.filter(is_staff=True, is_active=True).order_by("surname", "given_name")


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
    lead_organisation = forms.ModelChoiceField(label=_("Lead executor"), queryset=Organisation.objects.none())
    lead_user = forms.ModelChoiceField(label=_("Lead executor (person)"), queryset=User.objects.none(), required=False)
    co_executors = forms.ModelMultipleChoiceField(label=_("Co-executors"), queryset=Organisation.objects.none(),
                                                  required=False)
    controller_organisation = forms.ModelChoiceField(label=_("Controller"), queryset=Organisation.objects.none())
    deadline = _date(label=_("Deadline"), required=False)
    working_days = forms.IntegerField(label=_("or working days from issue"), required=False, min_value=0,
                                      max_value=3650)
    period = forms.ChoiceField(label=_("Periodic"), choices=Order.Period.choices, required=False)
    period_until = _date(label=_("Reports until"), required=False)
    control_points = forms.CharField(
        label=_("Control points"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One a line: a date (YYYY-MM-DD), a space, and what is due."))
    issue = forms.BooleanField(label=_("Issue now (otherwise keep as a draft)"), required=False, initial=True)

    def __init__(self, *args, order: Order | None = None, **kwargs):
        if order is not None:
            kwargs.setdefault("initial", self.initial_for(order))
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.filter(is_active=True).order_by("path")
        self.fields["lead_organisation"].queryset = organisations
        self.fields["co_executors"].queryset = organisations
        self.fields["controller_organisation"].queryset = organisations
        self.fields["lead_user"].queryset = _staff_qs()
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
    executor_organisation = forms.ModelChoiceField(label=_("Unit"), queryset=Organisation.objects.none(),
                                                   required=False)
    executor_user = forms.ModelChoiceField(label=_("Person"), queryset=User.objects.none(), required=False)
    deadline = _date(label=_("Deadline"))
    text = forms.CharField(label=_("Instructions"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, assignment=None, **kwargs):
        super().__init__(*args, **kwargs)
        if assignment is not None:
            self.fields["executor_organisation"].queryset = Organisation.objects.filter(
                is_active=True, path__startswith=assignment.executor_organisation.path).order_by("path")
            self.fields["executor_user"].queryset = _staff_qs().filter(
                role_assignments__organisation__path__startswith=assignment.executor_organisation.path).distinct()
            self.fields["deadline"].initial = assignment.deadline


class ReportForm(Styled):
    text = forms.CharField(label=_("Report"), widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(Styled):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class DeadlineForm(ReasonForm):
    deadline = _date(label=_("New deadline"))


class ReassignForm(ReasonForm):
    executor_organisation = forms.ModelChoiceField(label=_("Executor"), queryset=Organisation.objects.none())
    executor_user = forms.ModelChoiceField(label=_("Person"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, assignment=None, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.filter(is_active=True).order_by("path")
        if assignment is not None and assignment.parent_id:
            organisations = organisations.filter(path__startswith=assignment.parent.executor_organisation.path)
        self.fields["executor_organisation"].queryset = organisations
        self.fields["executor_user"].queryset = _staff_qs()


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
