"""Forms of the profile pages: the profile, the avatar, the expert application, a verifier's decision.

They only read input; the services validate the rules and write.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from krai.org.selectors import municipality_list
from krai.social.models import Credential, Profile, Visibility
from krai.social.models.profiles import PRIVATE_FIELDS
from krai.social.selectors import profiles as selectors

PRIVACY_LABELS = {
    "about": _("Who sees “about me”"),
    "position": _("Who sees the position"),
    "municipality": _("Who sees the municipality"),
    "website": _("Who sees the website"),
    "contact_email": _("Who sees the e-mail"),
    "contact_phone": _("Who sees the phone"),
    "follows": _("Who sees whom I follow"),
    "followers": _("Who sees my followers"),
}


class _Styled(forms.Form):
    """Bootstrap's classes on every widget."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style()

    def style(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = css


#: the region's municipalities (over 40) are searched as one types: ``krai/static/krai/picker.js``, "local" mode
MUNICIPALITY_SEARCH = {"data-krai-picker": "local",
                       "data-krai-picker-more": _("More are found: type more of the name."),
                       "data-krai-picker-none": _("Nothing is found.")}


class ProfileForm(_Styled):
    display_name = forms.CharField(label=_("Name shown"), max_length=150)
    position = forms.CharField(label=pgettext_lazy("profile", "position or occupation"), max_length=200,
                               required=False)
    about = forms.CharField(label=pgettext_lazy("profile", "About"), max_length=2000, required=False,
                            widget=forms.Textarea(attrs={"rows": 5}))
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=municipality_list(), required=False,
                                          widget=forms.Select(attrs=MUNICIPALITY_SEARCH))
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    contact_email = forms.EmailField(label=_("E-mail for contacts"), required=False)
    contact_phone = forms.CharField(label=_("Phone for contacts"), max_length=32, required=False)
    accept_messages = forms.ChoiceField(label=_("Who may write to me"), choices=Profile.Messages.choices)
    is_discoverable = forms.BooleanField(label=_("Show me in the people search"), required=False)

    def __init__(self, *args: Any, profile: Profile, **kwargs: Any) -> None:
        initial = {name: getattr(profile, name) for name in ("display_name", "position", "about", "website",
                                                             "contact_email", "contact_phone", "accept_messages",
                                                             "is_discoverable")}
        initial["municipality"] = profile.municipality_id
        initial.update({f"privacy_{name}": profile.level(name) for name in PRIVATE_FIELDS})
        super().__init__(*args, initial=initial, **kwargs)
        for name in PRIVATE_FIELDS:
            self.fields[f"privacy_{name}"] = forms.ChoiceField(label=PRIVACY_LABELS[name],
                                                               choices=Visibility.choices)
        self.style()

    def privacy_fields(self) -> list[forms.BoundField]:
        return [self[f"privacy_{name}"] for name in PRIVATE_FIELDS]

    def profile_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if not name.startswith("privacy_")]

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["privacy"] = {name: data.pop(f"privacy_{name}") for name in PRIVATE_FIELDS}
        return data


class AvatarForm(_Styled):
    image = forms.FileField(label=_("Photo or picture (JPEG, PNG, WebP, GIF)"))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class ExpertForm(_Styled):
    fields_of_expertise = forms.ModelMultipleChoiceField(
        label=_("Fields of expertise"), queryset=selectors.expertise_fields(), widget=forms.CheckboxSelectMultiple)
    kind = forms.ChoiceField(label=_("Kind of credential"), choices=[("", "—"), *Credential.Kind.choices],
                             required=False)
    title = forms.CharField(label=pgettext_lazy("credential", "title"), max_length=300, required=False,
                            help_text=_("For example: Candidate of Legal Sciences; chief engineer of a design "
                                        "institute; member of the Chamber of Lawyers."))
    issuer = forms.CharField(label=pgettext_lazy("credential", "issued by"), max_length=300, required=False)
    year = forms.IntegerField(label=pgettext_lazy("credential", "year"), required=False, min_value=1940,
                              max_value=2100)
    documents = MultipleFileField(label=_("Documents (PDF or images)"), required=False,
                                  help_text=_("Seen only by you and the moderators who verify experts."))

    def credential(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if not (data.get("title") or data.get("kind")):
            return None
        return {"kind": data.get("kind"), "title": data.get("title"), "issuer": data.get("issuer"),
                "year": data.get("year")}


class DecisionForm(_Styled):
    decision = forms.ChoiceField(choices=[("verify", _("Verify")), ("reject", _("Reject"))])
    note = forms.CharField(label=_("Note to the person"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class RevokeForm(_Styled):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class PeopleFilter(_Styled):
    q = forms.CharField(label=pgettext_lazy("person", "Name"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All")), *Profile.Kind.choices])
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=municipality_list(), required=False,
                                          empty_label=_("All"), widget=forms.Select(attrs=MUNICIPALITY_SEARCH))


class ExpertsFilter(_Styled):
    q = forms.CharField(label=pgettext_lazy("person", "Name"), required=False, max_length=100)
    field = forms.ModelChoiceField(label=_("Field of expertise"), queryset=selectors.expertise_fields(),
                                   required=False, empty_label=_("All"), to_field_name="code")
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=municipality_list(), required=False,
                                          empty_label=_("All"), widget=forms.Select(attrs=MUNICIPALITY_SEARCH))
