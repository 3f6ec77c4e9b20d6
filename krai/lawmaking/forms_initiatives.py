"""Forms of the initiatives' pages: the list's filter, the concept, the staff's decisions. They only read input;
the services validate the rules and write (their refusals are shown by the fields)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from krai.core.forms import SEARCHED, Styled
from krai.lawmaking.models import Initiative, Level, Stage
from krai.org.models import Organisation, RoleAssignment
from krai.org.selectors import municipality_list, organisation_list
from krai.social.selectors.profiles import display_name, expertise_fields


class BodyField(forms.ModelChoiceField):
    """A body by its name, a unit with its parent's ("Отдел — Министерство")."""

    def label_from_instance(self, obj: Organisation) -> str:
        name = obj.short_name or obj.name
        parent = obj.parent
        return f"{name} — {parent.short_name or parent.name}" if parent is not None else name


def bodies() -> QuerySet[Organisation]:
    return organisation_list()


class FilterForm(Styled):
    q = forms.CharField(label=_("Words"), max_length=200, required=False)
    stage = forms.ChoiceField(label=pgettext_lazy("law-making", "Stage"), required=False,
                              choices=[("", _("Any")), *Stage.choices])
    level = forms.ChoiceField(label=_("Level"), required=False, choices=[("", _("Any")), *Level.choices])
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=municipality_list(), required=False,
                                          empty_label=_("Any"), widget=forms.Select(attrs=SEARCHED))
    field = forms.ModelChoiceField(label=pgettext_lazy("law-making", "Subject"), queryset=expertise_fields(),
                                   required=False, empty_label=_("Any"))
    body = BodyField(label=_("Responsible body"), queryset=bodies(), required=False, empty_label=_("Any"),
                     widget=forms.Select(attrs=SEARCHED))
    # the statistics' links (hidden fields: they keep a number's list exactly what was counted)
    exact_body = forms.BooleanField(required=False, widget=forms.HiddenInput)
    published = forms.BooleanField(required=False, widget=forms.HiddenInput)
    published_from = forms.DateField(required=False, widget=forms.HiddenInput)
    published_to = forms.DateField(required=False, widget=forms.HiddenInput)
    reaction = forms.ChoiceField(required=False, choices=[("", ""), ("on_time", "on_time"), ("late", "late")],
                                 widget=forms.HiddenInput)
    overdue = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def search_arguments(self) -> dict:
        """The keyword arguments of ``selectors.initiatives.search`` for what was chosen."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {"q": data.get("q", ""), "stage": data.get("stage", ""), "level": data.get("level", ""),
                "municipality": data.get("municipality"), "field": data.get("field"), "body": data.get("body"),
                "exact_body": bool(data.get("exact_body")), "published_only": bool(data.get("published")),
                "published_from": data.get("published_from"), "published_to": data.get("published_to"),
                "reaction": data.get("reaction", ""), "overdue": bool(data.get("overdue"))}


class InitiativeForm(Styled):
    title = forms.CharField(label=_("Title"), max_length=300,
                            help_text=_("What the act is about, in a line: “On the improvement of courtyards”."))
    problem = forms.CharField(label=_("The problem"), widget=forms.Textarea(attrs={"rows": 5}),
                              help_text=_("What is wrong now, whom it affects, and why a rule is needed."))
    proposal = forms.CharField(label=_("The proposed regulation"), widget=forms.Textarea(attrs={"rows": 8}),
                               help_text=_("What the act should establish. You may write it as articles: "
                                           "“Article 1. …”, with numbered parts."))
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices, initial=Level.REGIONAL,
                              widget=forms.RadioSelect)
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=municipality_list(), required=False,
                                          help_text=_("For a municipal act: the municipality it is for."),
                                          widget=forms.Select(attrs=SEARCHED))
    responsible_body = BodyField(label=_("Responsible body"), queryset=bodies(),
                                 help_text=_("The body that would adopt the act or prepare it."),
                                 widget=forms.Select(attrs=SEARCHED))
    subjects = forms.ModelMultipleChoiceField(label=pgettext_lazy("law-making", "Subjects"),
                                              queryset=expertise_fields(), required=False,
                                              widget=forms.CheckboxSelectMultiple,
                                              help_text=_("Experts of these fields will be invited to review "
                                                          "the draft."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].widget.attrs["class"] = "form-check-input"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("level") == Level.REGIONAL:
            data["municipality"] = None  # a municipality left chosen before switching to regional is dropped
        return data

    @classmethod
    def initial_of(cls, initiative: Initiative) -> dict[str, Any]:
        return {"title": initiative.title, "problem": initiative.problem, "proposal": initiative.proposal,
                "level": initiative.level, "municipality": initiative.municipality_id,
                "responsible_body": initiative.responsible_body_id, "subjects": list(initiative.fields.all())}


class NoteForm(Styled):
    note = forms.CharField(label=_("Note"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(Styled):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("The initiator will read it."))


class AdvanceForm(Styled):
    note = forms.CharField(label=_("Why it moves on"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return display_name(obj)


def editor_candidates(initiative: Initiative) -> QuerySet[Any]:
    """Whom the editor picker offers: the initiator, the present editor and the staff of the responsible body's
    subtree (the service accepts any active account; the API names one by id)."""
    staff = RoleAssignment.objects.filter(
        organisation__path__startswith=initiative.responsible_body.path).values("user_id")
    ids = [pk for pk in (initiative.initiator_id, initiative.editor_id) if pk]
    return get_user_model().objects.filter(is_active=True).filter(
        Q(pk__in=ids) | Q(pk__in=staff, is_staff=True)).order_by("surname", "given_name", "id")


class EditorForm(Styled):
    editor = PersonField(label=_("Editor of the draft"), queryset=get_user_model().objects.none())

    def __init__(self, *args: Any, initiative: Initiative, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["editor"]
        field.queryset = editor_candidates(initiative)
        field.initial = initiative.editor_id or initiative.initiator_id
        field.widget.attrs.update(SEARCHED)
