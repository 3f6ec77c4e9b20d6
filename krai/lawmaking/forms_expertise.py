"""Forms of the expertise and the reaction pages; the services validate the domain rules (deadlines, who may)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from krai.lawmaking.models import Reaction, Review
from krai.social.selectors.profiles import expertise_fields
from krai.social.selectors.profiles import experts as registry_experts

TEXTAREA = {"class": "form-control", "rows": 4}


def expert_users(q: str = "") -> QuerySet:
    """Users who are verified experts of the registry (matching ``q`` by name), ordered by name."""
    return (get_user_model().objects.filter(pk__in=registry_experts(q=q).values("user_id"), is_active=True)
            .select_related("social_profile").prefetch_related("social_profile__expertise")
            .order_by("surname", "given_name", "pk"))


class ExpertChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        profile = getattr(obj, "social_profile", None)
        name = getattr(profile, "display_name", "") or obj.get_full_name() or str(obj)
        fields = ", ".join(f.name for f in profile.expertise.all()) if profile is not None else ""
        return f"{name} ({fields})" if fields else name


class ExpertiseStartForm(forms.Form):
    fields = forms.ModelMultipleChoiceField(
        label=_("Fields of expertise"), queryset=expertise_fields(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Every verified expert of the chosen fields is invited (the initiative's subjects if none)."))
    experts = ExpertChoice(label=_("Experts by name"), queryset=get_user_model().objects.none(), required=False,
                           widget=forms.CheckboxSelectMultiple)
    due = forms.DateField(label=_("Reviews due"), widget=forms.DateInput(attrs={"type": "date",
                                                                                 "class": "form-control"}))

    def __init__(self, *args: Any, q: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # what the search shows is offered; a POST accepts any verified expert (the service checks each again)
        self.fields["experts"].queryset = expert_users() if self.is_bound else expert_users(q)


class InviteForm(forms.Form):
    expert = forms.ModelChoiceField(label=_("Expert"), queryset=get_user_model().objects.none(),
                                    widget=forms.Select(attrs={"class": "form-select"}))
    field = forms.ModelChoiceField(label=_("Field of expertise"), queryset=expertise_fields(), required=False,
                                   widget=forms.Select(attrs={"class": "form-select"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = expert_users()
        self.fields["expert"].label_from_instance = ExpertChoice.label_from_instance.__get__(self.fields["expert"])


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500,
                             widget=forms.TextInput(attrs={"class": "form-control"}))


class ReviewForm(forms.Form):
    conclusion = forms.ChoiceField(label=_("Conclusion"), choices=Review.Conclusion.choices,
                                   widget=forms.RadioSelect(attrs={"class": "form-check-input"}))
    summary = forms.CharField(label=pgettext_lazy("expert review", "Summary"), max_length=20_000,
                              widget=forms.Textarea(attrs=TEXTAREA))
    risks = forms.CharField(label=_("Risks"), max_length=20_000, required=False,
                            widget=forms.Textarea(attrs=TEXTAREA))
    corruption_risks_found = forms.BooleanField(label=_("Corruption risks found"), required=False,
                                                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))
    corruption_findings = forms.CharField(
        label=_("Corruption-risk findings"), max_length=20_000, required=False, widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("Required when corruption risks are found: the provisions and the corruption-prone factors."))
    proposals = forms.CharField(label=_("Proposals"), max_length=20_000, required=False,
                                widget=forms.Textarea(attrs=TEXTAREA))


class ReactionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Reaction.Decision.choices,
                                 widget=forms.RadioSelect(attrs={"class": "form-check-input"}))
    reasons = forms.CharField(label=_("Reasons"), max_length=20_000, required=False,
                              widget=forms.Textarea(attrs=TEXTAREA),
                              help_text=_("Required when the draft is rejected or adopted with changes."))
    act_title = forms.CharField(label=_("Title of the act"), max_length=500, required=False,
                                widget=forms.TextInput(attrs={"class": "form-control"}))
    act_number = forms.CharField(label=_("Number of the act"), max_length=100, required=False,
                                 widget=forms.TextInput(attrs={"class": "form-control"}),
                                 help_text=_("Required for an adopted act; for a bill sent to the legislature, its "
                                             "number if it has one."))
    act_date = forms.DateField(label=_("Date of the act"), required=False,
                               widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))
    act_url = forms.CharField(label=_("Link to the act"), max_length=500, required=False,
                              widget=forms.URLInput(attrs={"class": "form-control"}))
