"""Voice orders under /workspace/planner/voice/: record a phrase (the page's script records 16 kHz WAV and sends it
to the server's offline recogniser, ``krai.planner.api.voice``) or type it, correct it, and see the draft read from
it — the intent, the executor (or the near matches to choose from), the subject, the deadline, the priority, and
what is missing asked for. Nothing is created unseen:

- an order: "Create draft order" makes a DRAFT order (``krai.orders.services.order_create``; the orders' form takes
  no initial values, so the draft is made here) and opens the orders' own form over it, prefilled, where the person
  checks everything and issues it — or not. Several people named ("поручить Иванову и Петровой …"): the first is the
  lead executor, each of the others a co-executor (with his organisation: an order names each organisation once);
  one the phrase named but nobody matched clearly is asked for — chosen, or left out on purpose;
- a task for oneself: "Add the task" writes a planner task (source "dictated") after the same confirmation.

Members of staff only (``planner.dictate``). The browser's own recognition (Web Speech API) is offered only when
``KRAI_VOICE_BROWSER_RECOGNITION`` is on, and the page says that the audio then goes to the browser's vendor.
"""

from __future__ import annotations

import uuid
from datetime import datetime, time
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy
from django.views.decorators.http import require_http_methods

from krai.core.forms import service_errors_onto
from krai.orders import pickers
from krai.orders.models import Priority, SourceType
from krai.orders.services import order_create
from krai.planner.models import Entry
from krai.planner.services import entries as entry_services
from krai.planner.voice import audio, dictation, engines
from krai.planner.voice.types import Draft

DICTATE = "planner.dictate"
CONTROL_KIND = "control"
MAX_CO_EXECUTORS = 10


class PhraseForm(forms.Form):
    """The phrase: heard by the server (and put here by the page's script) or typed, and corrected."""

    text = forms.CharField(label=gettext_lazy("What to do, who and by when"), max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 3, "class": "form-control", "id": "krai-voice-text",
                                                        "autocomplete": "off"}),
                           help_text=gettext_lazy('For example: "assign Ivanov to prepare a note on the roads by '
                                                  'Friday" or "поручить Иванову подготовить справку по дорогам до '
                                                  'пятницы"; "remind me to…" makes a task for yourself.'))


class ConfirmForm(forms.Form):
    """The draft as the person confirms it: every value visible and changeable."""

    text = forms.CharField(widget=forms.HiddenInput, max_length=1000)
    intent = forms.ChoiceField(label=gettext_lazy("What it is"), widget=forms.RadioSelect,
                               choices=[("order", gettext_lazy("An order to someone")),
                                        ("task", gettext_lazy("A task for myself"))])
    title = forms.CharField(label=pgettext_lazy("voice draft", "Subject"), max_length=300)
    executor = forms.ModelChoiceField(label=gettext_lazy("Executor"), queryset=None, required=False,
                                      empty_label=gettext_lazy("— choose the executor —"))
    deadline = forms.DateField(label=gettext_lazy("Deadline"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    priority = forms.ChoiceField(label=gettext_lazy("Urgency"), choices=Priority.choices, initial=Priority.ORDINARY)
    key = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)
    executor_words = forms.CharField(widget=forms.HiddenInput, max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, co_words: list[str] | None = None, **kwargs: Any) -> None:
        """``co_words``: the words that named each co-executor (one field each); sent back, they are read from the
        data."""
        super().__init__(*args, **kwargs)
        if co_words is None:
            co_words = _co_words_sent(self.data) if self.is_bound else []
        self._units: dict[int, str] = {}
        self._picker(self.fields["executor"], user, "lead")
        words = (self.data.get("executor_words") if self.is_bound else self.initial.get("executor_words")) or ""
        if words:
            self.fields["executor"].label = _("Executor (“%(words)s”)") % {"words": str(words)[:200]}
        for place, words in enumerate(co_words):
            label = (_("Co-executor (“%(words)s”)") % {"words": words}) if words else _("Co-executor")
            self.fields[f"co_executor_{place}"] = self._picker(
                forms.ModelChoiceField(label=label, queryset=None, required=False,
                                       empty_label=gettext_lazy("— choose the co-executor —")), user, "co")
            self.fields[f"co_words_{place}"] = forms.CharField(widget=forms.HiddenInput, max_length=200,
                                                               required=False, initial=words)
            self.fields[f"co_leave_{place}"] = forms.BooleanField(
                label=_("Leave “%(words)s” out") % {"words": words} if words else _("Leave out"), required=False)
        self.co_places = range(len(co_words))
        for field in self.fields.values():
            if isinstance(field.widget, forms.RadioSelect | forms.HiddenInput):
                continue
            field.widget.attrs["class"] = ("form-select" if isinstance(field.widget, forms.Select) else
                                           "form-check-input" if isinstance(field.widget, forms.CheckboxInput) else
                                           "form-control")

    def _picker(self, field: forms.ModelChoiceField, user: Any, purpose: str) -> forms.ModelChoiceField:
        """A person field offering the people ``user`` may name for ``purpose``, labelled with their units."""
        field.queryset = pickers.people_for(user=user, purpose=purpose)
        field.label_from_instance = lambda person: pickers.person_label(person, self._units.get(person.pk, ""))
        field.widget.attrs.update({
            "data-krai-picker": f"{reverse('orders:pick_people')}?{urlencode({'purpose': purpose})}",
            "data-krai-picker-more": pgettext("people picker", "More are found: type more of the name."),
            "data-krai-picker-none": _("Nothing is found.")})
        return field

    def co_executor_rows(self) -> list[tuple[Any, Any, Any]]:
        """Each co-executor's (person field, leave-out box, hidden words) for the template."""
        return [(self[f"co_executor_{place}"], self[f"co_leave_{place}"], self[f"co_words_{place}"])
                for place in self.co_places]

    def co_executors(self) -> list[tuple[str, Any]]:
        """The co-executors chosen (not left out): (field name, person)."""
        chosen = []
        for place in self.co_places:
            person = self.cleaned_data.get(f"co_executor_{place}")
            if person is not None and not self.cleaned_data.get(f"co_leave_{place}"):
                chosen.append((f"co_executor_{place}", person))
        return chosen

    def label_units(self, people: list[Any]) -> None:
        """Each offered person's unit in his label (asked for the few shown, not the whole list)."""
        self._units.update(pickers.units_of(people))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("intent") == "order":
            if cleaned.get("executor") is None and "executor" not in self.errors:
                self.add_error("executor", _("Who is to do it? Choose the executor."))
            if cleaned.get("deadline") is None and "deadline" not in self.errors:
                self.add_error("deadline", _("By when? Give the deadline."))
            self._clean_co_executors(cleaned)
        deadline = cleaned.get("deadline")
        if deadline is not None and deadline < timezone.localdate():
            self.add_error("deadline", _("The deadline has passed; give a day from today on."))
        return cleaned

    def _clean_co_executors(self, cleaned: dict[str, Any]) -> None:
        """A co-executor the phrase named is chosen or left out on purpose, never dropped unseen; nobody twice."""
        seen = {cleaned["executor"].pk} if cleaned.get("executor") is not None else set()
        for place in self.co_places:
            name, person = f"co_executor_{place}", cleaned.get(f"co_executor_{place}")
            if cleaned.get(f"co_leave_{place}") or name in self.errors:
                continue
            if person is None:
                words = cleaned.get(f"co_words_{place}") or ""
                self.add_error(name, _("Who is “%(words)s”? Choose the co-executor, or leave them out.")
                               % {"words": words} if words else _("Choose the co-executor, or leave them out."))
            elif person.pk in seen:
                self.add_error(name, _("This person is already an executor of this order."))
            else:
                seen.add(person.pk)


def _co_words_sent(data: Any) -> list[str]:
    """The co-executors' words sent back with the form (one ``co_words_N`` each, numbered from 0)."""
    found = []
    while f"co_words_{len(found)}" in data and len(found) < MAX_CO_EXECUTORS:
        found.append(str(data[f"co_words_{len(found)}"])[:200])
    return found


def dictate_required(view: Any) -> Any:
    """Anonymous visitors go to the login page; anyone who may not dictate (not staff) gets 403."""

    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.has_perm(DICTATE):
            raise PermissionDenied(_("Only members of staff may dictate orders."))
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _initial(draft: Draft) -> dict[str, Any]:
    initial = {"text": draft.text, "intent": draft.intent, "title": draft.subject,
               "executor": draft.executor.user_id if draft.executor else None, "deadline": draft.deadline,
               "priority": dictation.ORDER_PRIORITY.get(draft.priority, Priority.ORDINARY), "key": uuid.uuid4().hex,
               "executor_words": draft.executor_words[0] if draft.executors else ""}
    for place, named in enumerate(draft.co_executors[:MAX_CO_EXECUTORS]):
        initial[f"co_executor_{place}"] = named.person.user_id if named.person else None
    return initial


def _context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {"server_recognition": engines.enabled(), "browser_recognition": settings.KRAI_VOICE_BROWSER_RECOGNITION,
            "max_seconds": audio.max_seconds(), "language": dictation.language() or "",
            "recognise_url": reverse("planner-voice-recognise"), **extra}


@require_http_methods(["GET", "POST"])
@dictate_required
def voice(request: HttpRequest) -> HttpResponse:
    """The phrase (``action=read`` reads it into a draft) and the draft's confirmation (``action=confirm``)."""
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action == "confirm":
        return _confirm(request)
    phrase = PhraseForm(request.POST or None)
    draft, confirm = None, None
    if action == "read" and phrase.is_valid():
        draft = dictation.read(phrase.cleaned_data["text"], user=request.user, language_code=dictation.language())
        confirm = ConfirmForm(initial=_initial(draft), user=request.user,
                              co_words=[named.words for named in draft.co_executors[:MAX_CO_EXECUTORS]])
        shown = [person.user_id for named in draft.executors for person in [named.person, *named.candidates]
                 if person is not None] + ([draft.executor.user_id] if draft.executor else [])
        confirm.label_units(list(confirm.fields["executor"].queryset.filter(pk__in=shown)))
    status = 400 if action == "read" and not phrase.is_valid() else 200
    priority = Priority(dictation.ORDER_PRIORITY.get(draft.priority, Priority.ORDINARY)).label if draft else ""
    return render(request, "planner/voice.html", _context(request, phrase=phrase, draft=draft, confirm=confirm,
                                                          priority=priority), status=status)


def _confirm(request: HttpRequest) -> HttpResponse:
    form = ConfirmForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["intent"] == "order":
                order = _order_draft(request.user, data, form)
                if order is not None:
                    messages.success(request, _("The draft order is saved. Check it and issue it from this form."))
                    return redirect("orders:order_edit", pk=order.pk)
            else:
                entry = _task(request.user, data)
                messages.success(request, _("The task is added to your planner."))
                return redirect("planner:entry", pk=entry.pk)
        except ValidationError as exc:
            service_errors_onto(form, exc)
    phrase = PhraseForm(initial={"text": request.POST.get("text", "")})
    chosen = [form.cleaned_data.get(name) for name in form.fields
              if name == "executor" or name.startswith("co_executor_")] if hasattr(form, "cleaned_data") else []
    form.label_units([person for person in chosen if person is not None])
    return render(request, "planner/voice.html", _context(request, phrase=phrase, draft=None, confirm=form,
                                                          confirming=True), status=400)


def _units_of(person: Any, allowed: Any) -> list[Any]:
    """The executor's units among the organisations the issuer may put under control, where he holds a post or a
    role: the deepest first."""
    units = allowed.filter(Q(positions__holder=person) | Q(role_assignments__user=person)).distinct()
    return sorted(units, key=lambda org: (-org.path.count("."), org.path))


def _co_executors(user: Any, form: ConfirmForm, lead_unit: Any) -> list[tuple[Any, Any]] | None:
    """(organisation, person) of each co-executor chosen: his deepest unit no other executor has (an order names each
    organisation once); None with the reason on the form when one has none."""
    allowed = pickers.organisations_for(user=user, purpose="co")
    used, found = {lead_unit.pk}, []
    for name, person in form.co_executors():
        units = _units_of(person, allowed)
        free = [unit for unit in units if unit.pk not in used]
        if not free:
            form.add_error(name, _("This person works in no organisation you may give orders to.") if not units else
                           _("%(person)s works in the same organisation as another executor, and an order names "
                             "each organisation once: leave one of them out.") % {"person": person.full_name})
            continue
        used.add(free[0].pk)
        found.append((free[0], person))
    return None if form.errors else found


def _order_draft(user: Any, data: dict[str, Any], form: ConfirmForm) -> Any:
    """A draft order from the confirmed values (never issued here); None with the reason on the form."""
    allowed = pickers.organisations_for(user=user, purpose="lead")
    unit = next(iter(_units_of(data["executor"], allowed)), None)
    if unit is None:
        form.add_error("executor", _("This person works in no organisation you may give orders to."))
        return None
    co_executors = _co_executors(user, form, unit)
    if co_executors is None:
        return None
    controller = pickers.organisations_for(user=user, purpose="controller").filter(kind=CONTROL_KIND).first()
    if controller is None:
        form.add_error(None, _("No controlling body is set up: give this order on the orders' form."))
        return None
    with transaction.atomic():
        return order_create(actor=user, title=data["title"], text=data["text"] or data["title"],
                            source_type=SourceType.OTHER, priority=data["priority"], lead_organisation=unit,
                            lead_user=data["executor"], controller_organisation=controller,
                            deadline=data["deadline"], co_executors=co_executors)


def _task(user: Any, data: dict[str, Any]) -> Entry:
    """A planner task for the day of the deadline (today if none), made once however often the form is sent."""
    day = data["deadline"] or timezone.localdate()
    starts = timezone.make_aware(datetime.combine(day, time.min))
    return entry_services.entry_create(actor=user, kind=Entry.Kind.TASK, title=data["title"], starts_at=starts,
                                       all_day=True, notes=data["text"], source=Entry.Source.VOICE,
                                       client_key=f"voice-{data['key']}" if data.get("key") else "")


urlpatterns = [
    path("workspace/planner/voice/", voice, name="voice"),
]
