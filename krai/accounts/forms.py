"""Forms of the account pages; they collect input, the services decide."""

from __future__ import annotations

from django import forms
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from krai.accounts.models import TOKEN_SCOPES
from krai.org.selectors import municipality_list


class LoginForm(AuthenticationForm):
    """Django's login form, its "username" being the e-mail (the field keeps its name for the browser tests)."""

    username = forms.CharField(label=_("E-mail"), max_length=254, widget=forms.EmailInput(
        attrs={"autofocus": True, "autocomplete": "email"}))

    error_messages = {
        "invalid_login": _("The e-mail or the password is wrong. Mind that the password is case-sensitive."),
        "inactive": _("This account is closed."),
    }

    def clean(self):
        """As Django's, but the credentials also carry ``email``: django-axes looks the person up by the user
        model's USERNAME_FIELD, and without it the lock-out would count failures per address only."""
        username, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if username is not None and password:
            self.user_cache = authenticate(self.request, username=username, email=username, password=password)
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class ResetForm(PasswordResetForm):
    """Django's reset form, also for accounts that have no password yet.

    Staff accounts opened by an administrator and residents who came through an identity provider start
    without a password; the reset link is how they set one. Closed accounts still get nothing.
    """

    def get_users(self, email):
        model = get_user_model()
        # addresses under the reserved ".invalid" domain (the service accounts of registered systems) receive nothing
        return model._default_manager.filter(email__iexact=(email or "").strip(), is_active=True).exclude(
            email__iendswith=".invalid")


class MunicipalityField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        super().__init__(queryset=municipality_list(), empty_label=_("— choose —"), **kwargs)


class RegistrationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(label=_("Password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                               help_text=_("At least 10 characters; not a common word, not only digits."))
    password_again = forms.CharField(label=_("Password again"), strip=False,
                                     widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    surname = forms.CharField(label=_("Surname"), max_length=100,
                              widget=forms.TextInput(attrs={"autocomplete": "family-name"}))
    given_name = forms.CharField(label=_("Given name"), max_length=100,
                                 widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    patronymic = forms.CharField(label=_("Patronymic"), max_length=100, required=False,
                                 widget=forms.TextInput(attrs={"autocomplete": "additional-name"}))
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False,
                            help_text=_("Optional; +7 and ten digits."),
                            widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}))
    home_municipality = MunicipalityField(label=_("Home municipality"), required=False,
                                          help_text=_("Where you live: your votes count there."))
    consent = forms.BooleanField(label=_("I consent to the processing of my personal data"), required=False)

    # The service checks all of this again (the API has no form); checking here too lets a page show every
    # problem at once, even when another field already failed.
    def clean_phone(self) -> str:
        return _phone(self.cleaned_data.get("phone", ""))

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password_again") and data["password"] != data["password_again"]:
            self.add_error("password_again", _("The two passwords differ."))
        if not data.get("consent"):
            self.add_error("consent", _("Registration needs your consent to the processing of personal data."))
        return data


def _phone(value: str) -> str:
    from krai.accounts.services import normalise_phone

    return normalise_phone(value)


class ProfileForm(forms.Form):
    surname = forms.CharField(label=_("Surname"), max_length=100)
    given_name = forms.CharField(label=_("Given name"), max_length=100)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False, help_text=_("+7 and ten digits."))
    home_municipality = MunicipalityField(
        label=_("Home municipality"), required=False,
        help_text=_("Changing it means your residence must be verified again."))

    def clean_phone(self) -> str:
        return _phone(self.cleaned_data.get("phone", ""))


class PasswordConfirmForm(forms.Form):
    password = forms.CharField(label=_("Your password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class EmailForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), max_length=254)


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=16, widget=forms.TextInput(
        attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}))


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100,
                           help_text=_("What the token is for, e.g. the program that will use it."))
    scopes = forms.MultipleChoiceField(label=_("Scopes"), choices=list(TOKEN_SCOPES.items()),
                                       widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
                                       initial=["read"], required=False)
    expires_at = forms.DateTimeField(label=_("Expires"), required=False,
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                     help_text=_("Leave empty for a token that does not expire."))


class ResidenceForm(forms.Form):
    """A resident asks to have his residence verified, with a document."""

    municipality = MunicipalityField(label=_("Municipality you live in"))
    document = forms.FileField(
        label=_("Document"), help_text=_("A scan or a photo (PDF, JPEG, PNG) of a document showing your registered "
                                         "address, e.g. the registration page of your passport."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/*"}))
    note = forms.CharField(label=_("Note for the staff"), max_length=500, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ResidenceRefusalForm(forms.Form):
    reason = forms.CharField(label=_("Reason of refusal"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("The resident reads it in his notification."))
