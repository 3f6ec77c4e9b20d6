"""The template form: it parses input only; ``krai.reports.services`` decides and refuses.

Recipients are chosen among the active members of staff with the kernel's search picker (``krai/picker.js``,
their search endpoint ``views.pick_people`` offers exactly the people the form accepts); the municipality (dozens)
with the picker over the select's own options. Without the script both stay plain selects.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from krai.core.forms import Styled
from krai.orders import pickers
from krai.org.models import Block, Municipality, User
from krai.reports import sections
from krai.reports.models import Template
from krai.reports.selectors import recipients_choosable

WEEKDAYS = [(0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")), (4, _("Friday")),
            (5, _("Saturday")), (6, _("Sunday"))]
#: the form's fields as the services name them
TEMPLATE_FIELDS = ("title", "description", "sections", "block", "municipality", "frequency", "weekday", "day",
                   "at", "publication", "is_active")


class PeopleField(forms.ModelMultipleChoiceField):
    units: dict[int, str] = {}

    def label_from_instance(self, obj: User) -> str:
        return pickers.person_label(obj, self.units.get(obj.pk, ""))


class TemplateForm(Styled):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    sections = forms.MultipleChoiceField(label=_("Sections"), widget=forms.CheckboxSelectMultiple, choices=())
    block = forms.ModelChoiceField(label=_("Block"), queryset=Block.objects.none(), required=False,
                                   help_text=_("Order discipline, indicators and staffing of one block only."))
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=Municipality.objects.none(),
                                          required=False,
                                          help_text=_("Problems and indicators of one municipality only."))
    frequency = forms.ChoiceField(label=_("Frequency"), choices=Template.Frequency.choices,
                                  help_text=_("Each edition covers the last complete week, month or quarter."))
    weekday = forms.TypedChoiceField(label=_("Day of the week (weekly)"), choices=WEEKDAYS, coerce=int,
                                     initial=0)
    day = forms.IntegerField(label=_("Day of the month (monthly, quarterly)"), min_value=1, max_value=28,
                             initial=1, help_text=_("Quarterly: the day of the quarter's first month."))
    at = forms.TimeField(label=_("Time"), initial="07:00", widget=forms.TimeInput(attrs={"type": "time"},
                                                                                 format="%H:%M"))
    recipients = PeopleField(label=_("Recipients"), queryset=User.objects.none(), required=False,
                             help_text=_("Told when an edition is ready; they see the template and its editions."))
    publication = forms.ChoiceField(label=_("Publication"), choices=Template.Publication.choices,
                                    widget=forms.RadioSelect)
    is_active = forms.BooleanField(label=_("Generate on schedule"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sections"].choices = sections.choices()
        self.fields["block"].queryset = Block.objects.filter(is_active=True).order_by("name")
        self.fields["municipality"].queryset = Municipality.objects.filter(is_active=True).order_by("name")
        people: QuerySet[User] = recipients_choosable()
        field = self.fields["recipients"]
        field.queryset = people
        chosen = [int(pk) for pk in (self.data.getlist("recipients") if hasattr(self.data, "getlist") else [])
                  if str(pk).isdigit()] + [p.pk for p in self.initial.get("recipients", [])]
        # the labels of the chosen ones only: the picker asks the endpoint for the rest
        field.units = pickers.units_of(list(people.filter(pk__in=chosen)))
        field.widget.attrs.update({
            "data-krai-picker": reverse("reports:people"),
            "data-krai-picker-more": _("More are found: type more of the name."),
            "data-krai-picker-none": _("Nothing is found.")})
        self.fields["municipality"].widget.attrs["data-krai-picker"] = "local"
        for name, f in self.fields.items():
            if f.help_text:
                f.widget.attrs["aria-describedby"] = f"{self[name].id_for_label}-help"

    def values(self) -> dict[str, Any]:
        """The services' arguments."""
        data = self.cleaned_data
        return {**{name: data[name] for name in TEMPLATE_FIELDS}, "recipients": list(data["recipients"])}

    @staticmethod
    def initial_of(template: Template) -> dict[str, Any]:
        return {**{name: getattr(template, name) for name in TEMPLATE_FIELDS},
                "recipients": list(template.recipients.all())}
