"""Forms of the staff pages (the residents' pages post plain fields straight to the services)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from krai.org.selectors import municipality_list, organisations_in_scope
from krai.participation.models import Idea, Poll, Question

_HEADER = re.compile(r"^\?\s*(?P<kind>[a-z]+)(?:\s+(?P<a>\d+)(?:\s*-\s*(?P<b>\d+))?)?(?P<optional>\s+optional)?\s*:"
                     r"\s*(?P<text>.*)$", re.IGNORECASE)

QUESTIONS_HELP = _(
    "One question after another. A question starts with a line “? kind: text”, its options follow on lines "
    "starting with “- ”. Kinds: single, multiple (“? multiple 2: …” allows at most two), ranked, scale "
    "(“? scale 1-10: …”), free. Add “optional” after the kind for a question that may be left out.")


def parse_questions(text: str) -> list[dict[str, Any]]:
    """The questions written in the form's simple notation, as the poll service takes them."""
    questions: list[dict[str, Any]] = []
    errors: list[str] = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        header = _HEADER.match(line)
        if header:
            kind = header["kind"].lower()
            question: dict[str, Any] = {"kind": kind, "text": header["text"].strip(), "options": [],
                                        "required": not header["optional"]}
            if kind == Question.Kind.SCALE and header["a"]:
                question["scale_min"], question["scale_max"] = int(header["a"]), int(header["b"] or 5)
            elif kind == Question.Kind.MULTIPLE and header["a"]:
                question["max_choices"] = int(header["a"])
            questions.append(question)
        elif line.startswith("-") and questions:
            questions[-1]["options"].append(line[1:].strip())
        else:
            errors.append(str(_("Line %(n)s: start a question with “? kind: text” and an option with “- ”.")
                              % {"n": number}))
    if errors:
        raise forms.ValidationError(errors)
    return questions


class _Bootstrap:
    """Bootstrap's classes on every widget."""

    def _style(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{css} {widget.attrs.get('class', '')}".strip()


class _LocalDateTime(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class PollForm(_Bootstrap, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    organisation = forms.ModelChoiceField(label=_("Organisation running it"), queryset=None, required=False)
    audience = forms.ChoiceField(label=_("Audience"), choices=Poll.Audience.choices, initial=Poll.Audience.REGION)
    municipalities = forms.ModelMultipleChoiceField(label=_("Municipalities (for chosen municipalities only)"),
                                                    queryset=None, required=False,
                                                    widget=forms.SelectMultiple(attrs={"size": 6}))
    residents_only = forms.BooleanField(label=_("Verified residents only"), required=False)
    opens_at = forms.DateTimeField(label=_("Opens"), widget=_LocalDateTime(),
                                   input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    closes_at = forms.DateTimeField(label=_("Closes"), widget=_LocalDateTime(),
                                    input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    results_during = forms.BooleanField(label=_("Show results during voting"), required=False)
    allow_change = forms.BooleanField(label=_("A vote may be changed while the poll is open"), required=False)
    secret = forms.BooleanField(label=_("Secret ballot"), required=False, initial=True)
    questions = forms.CharField(label=_("Questions"), help_text=QUESTIONS_HELP,
                                widget=forms.Textarea(attrs={"rows": 10, "class": "font-monospace"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations_in_scope(user).order_by("name")
        self.fields["municipalities"].queryset = municipality_list()
        self._style()

    def clean_questions(self) -> list[dict[str, Any]]:
        return parse_questions(self.cleaned_data["questions"])


class CampaignForm(_Bootstrap, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    topic = forms.CharField(label=_("Topic"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    municipality = forms.ModelChoiceField(label=_("Municipality (empty: the whole region)"), queryset=None,
                                          required=False)
    organisation = forms.ModelChoiceField(label=_("Responsible organisation"), queryset=None, required=False)
    starts_on = forms.DateField(label=_("Starts"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Ends"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations_in_scope(user).order_by("name")
        self.fields["municipality"].queryset = municipality_list()
        self._style()


class ModerateForm(_Bootstrap, forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[(Idea.Moderation.PUBLISHED, _("publish")),
                                                               (Idea.Moderation.REJECTED, _("reject"))])
    reason = forms.CharField(label=_("Reason of rejection (the author sees it)"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class AnswerForm(_Bootstrap, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[(s.value, s.label) for s in (
        Idea.Status.ACCEPTED, Idea.Status.IN_WORK, Idea.Status.IMPLEMENTED, Idea.Status.REJECTED)])
    answer = forms.CharField(label=_("Official answer (for a rejection, the reason)"),
                             widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class OrderForm(_Bootstrap, forms.Form):
    executor_organisation = forms.ModelChoiceField(label=_("Executor"), queryset=None)
    working_days = forms.IntegerField(label=_("Deadline in working days"), min_value=1, max_value=3650, initial=30)
    text = forms.CharField(label=_("Instruction (empty: the idea's text)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["executor_organisation"].queryset = organisations_in_scope(user).order_by("path")
        self._style()


def add_service_errors(form: forms.Form, fields: dict[str, list[str]], general: list[str]) -> None:
    """Put a service's refusal on the form: by its field where the form has one, else on the form."""
    for name, messages in fields.items():
        for message in messages:
            form.add_error(name if name in form.fields else None, message)
    for message in general:
        form.add_error(None, message)


class SuggestionForm(_Bootstrap, forms.Form):
    """A resident's suggestion outside the campaigns."""

    kind = forms.ChoiceField(label=_("What do you suggest?"), widget=forms.RadioSelect,
                             choices=[("category", _("a new problem category")), ("topic", _("a new topic")),
                                      ("solution", _("a solution to a problem"))])
    problem = forms.IntegerField(label=_("Number of the problem"), required=False, min_value=1,
                                 help_text=_("For a solution: the number of the problem report it solves."))
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Your suggestion"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()
        self.fields["kind"].widget.attrs["class"] = "form-check-input"


class SuggestionAnswerForm(_Bootstrap, forms.Form):
    status = forms.ChoiceField(label=_("Decision"), choices=[
        ("accepted", _("accepted")), ("considered", _("taken into consideration")), ("rejected", _("rejected"))])
    answer = forms.CharField(label=_("Answer to the author"), max_length=5000,
                             widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()
