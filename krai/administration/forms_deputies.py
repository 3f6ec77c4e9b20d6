"""Forms of the deputies' pages: they parse input only; ``krai.org.services.deputies`` decides and refuses.

The principal and the deputy are chosen among the active members of staff with the kernel's search picker
(``krai/picker.js``): without the script they stay plain selects of the same people, and the search endpoint
(``views.deputies.pick_people``) offers exactly the people the form accepts.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from krai.core.forms import Styled
from krai.orders import pickers
from krai.org.models import User
from krai.org.services.deputies import REASON_MAX


def staff() -> QuerySet[User]:
    """Everyone who may be a principal or a deputy: the active members of staff."""
    return User.objects.filter(is_active=True, is_staff=True).order_by("surname", "given_name", "pk")


def _date(**kwargs: Any) -> forms.DateField:
    return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kwargs)


class PersonField(forms.ModelChoiceField):
    """A member of staff by his short name and unit ("Иванов И. П. — Отдел кадров — Минздрав края")."""

    units: dict[int, str] = {}

    def label_from_instance(self, obj: User) -> str:
        return pickers.person_label(obj, self.units.get(obj.pk, ""))


class AppointForm(Styled):
    principal = PersonField(label=_("Acting for"), queryset=User.objects.none(),
                            help_text=_("The member of staff who is away."))
    deputy = PersonField(label=_("Deputy"), queryset=User.objects.none(),
                         help_text=_("The member of staff who acts for him."))
    starts_on = _date(label=_("From"), help_text=_("The first day, today at the earliest."))
    ends_on = _date(label=_("Until"), help_text=_("The last day, included."))
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX, required=False,
                             help_text=_("A holiday, a business trip, an illness…"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = staff()
        units = pickers.units_of(list(people))
        search = f"{reverse('administration:deputies_people')}?purpose=deputy"
        for name in ("principal", "deputy"):
            field = self.fields[name]
            field.queryset, field.units = people, units
            field.widget.attrs.update({
                "data-krai-picker": search,
                "data-krai-picker-more": _("More are found: type more of the name."),
                "data-krai-picker-none": _("Nothing is found.")})
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"{self[name].id_for_label}-help"


class ChangeEndForm(Styled):
    ends_on = _date(label=_("New last day"), help_text=_("Today at the earliest; the deputy and the principal are "
                                                         "told."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ends_on"].widget.attrs["aria-describedby"] = f"{self['ends_on'].id_for_label}-help"
