"""The planner's entries under /workspace/planner/entries/: writing one (its kind, times or whole days, place, notes,
how it repeats), its page (the next occurrences, each can be left out, and those left out brought back), changing
and deleting it (after a confirmation), ticking a task done, and the quick task of the calendar's page.

Members of staff only; an entry is its owner's — another's answers 404 like a missing one. Every write goes through
``krai.planner.services.entries``; a refusal comes back on the form with nothing saved.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from krai.core.forms import carried_out, service_errors_onto
from krai.planner import recurrence
from krai.planner.forms import ENTRY_FIELDS, DoneForm, EntryForm, OccurrenceForm, QuickTaskForm
from krai.planner.forms_reminders import RemindersFormSet
from krai.planner.models import Entry
from krai.planner.selectors import entries as selectors
from krai.planner.services import entries as services
from krai.planner.services.reminders import reminders_set
from krai.planner.views.calendar import planner_required

#: how far ahead an entry's page lists the occurrences of a repeating one
AHEAD = timedelta(days=366)
SHOWN = 10


def _back(request: HttpRequest, fallback: str) -> str:
    """Where a form sends the person back: the ``next`` he came from on this site, else ``fallback``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


def _save(request: HttpRequest, form: EntryForm, reminders: RemindersFormSet, entry: Entry | None) -> Entry | None:
    """The entry written (made or changed) with its reminders, all or nothing; None when refused (the refusal is on
    the form)."""
    try:
        with transaction.atomic():
            if entry is None:
                entry = services.entry_create(actor=request.user, **form.entry_values())
            else:
                entry = services.entry_update(actor=request.user, entry=entry, **form.entry_values())
            reminders_set(actor=request.user, entry=entry, reminders=reminders.specs())
    except ValidationError as exc:
        service_errors_onto(form, exc, ENTRY_FIELDS)
        return None
    return entry


def _form_page(request: HttpRequest, form: EntryForm, reminders: RemindersFormSet, entry: Entry | None
               ) -> HttpResponse:
    return render(request, "planner/entry_form.html", {"form": form, "reminders": reminders, "entry": entry},
                  status=400 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
@planner_required
def entry_new(request: HttpRequest) -> HttpResponse:
    """Write an entry with its reminders (``?date=YYYY-MM-DD&kind=…`` prefill the form)."""
    initial = {"start_date": request.GET.get("date") or timezone.localdate(),
               "kind": request.GET.get("kind") if request.GET.get("kind") in Entry.Kind.values else Entry.Kind.MEETING}
    form = EntryForm(request.POST or None, initial=initial)
    reminders = RemindersFormSet.for_entry(request.POST or None)
    if request.method == "POST" and form.is_valid() & reminders.is_valid():
        entry = _save(request, form, reminders, None)
        if entry is not None:
            messages.success(request, _("The entry “%(title)s” is in your planner.") % {"title": entry.title})
            return redirect("planner:entry", pk=entry.pk)
    return _form_page(request, form, reminders, None)


@require_http_methods(["GET", "POST"])
@planner_required
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.entry_get_for_user(user=request.user, pk=pk)
    form = EntryForm(request.POST or None, initial=EntryForm.initial_of(entry))
    reminders = RemindersFormSet.for_entry(request.POST or None, entry=entry)
    valid = request.method == "POST" and form.is_valid() & reminders.is_valid()
    if valid and _save(request, form, reminders, entry) is not None:
        messages.success(request, _("The entry is changed."))
        return redirect("planner:entry", pk=entry.pk)
    return _form_page(request, form, reminders, entry)


@require_GET
@planner_required
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An entry; a repeating one's next occurrences (each can be left out) and those left out (brought back)."""
    entry = selectors.entry_get_for_user(user=request.user, pk=pk)
    coming: list[recurrence.Occurrence] = []
    left_out: list[tuple[str, date | datetime]] = []
    if entry.rrule:
        now = timezone.localtime()
        since = timezone.make_aware(datetime.combine(now.date(), time.min)) if entry.all_day else now
        since = max(since, recurrence.local(entry.starts_at))
        coming = recurrence.occurrences(entry, since, since + AHEAD)[:SHOWN]
        parsed = [(value, recurrence.parse_exdate(value)) for value in entry.exdates]
        left_out = sorted(((key, moment) for key, moment in parsed if moment is not None), key=lambda pair: pair[0])
    return render(request, "planner/entry.html", {
        "entry": entry, "coming": coming, "left_out": left_out, "repeat": recurrence.read(entry.rrule),
        "is_task": entry.kind in (Entry.Kind.TASK, Entry.Kind.DEADLINE)})


@require_http_methods(["GET", "POST"])
@planner_required
def entry_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm; POST deletes."""
    entry = selectors.entry_get_for_user(user=request.user, pk=pk)
    if request.method == "POST":
        title = entry.title
        if carried_out(request, lambda: services.entry_delete(actor=request.user, entry=entry),
                       _("The entry “%(title)s” is deleted.") % {"title": title}):
            return redirect("planner:home")
        return redirect("planner:entry", pk=entry.pk)
    return render(request, "planner/entry.html", {"entry": entry, "confirm_delete": True})


@require_POST
@planner_required
def entry_done(request: HttpRequest, pk: int) -> HttpResponse:
    """Tick a task done (``done=1``) or bring it back (``done`` absent)."""
    entry = selectors.entry_get_for_user(user=request.user, pk=pk)
    form = DoneForm(request.POST)
    done = form.is_valid() and form.cleaned_data["done"]
    carried_out(request, lambda: services.entry_set_done(actor=request.user, entry=entry, done=done),
                _("Done: “%(title)s”.") % {"title": entry.title} if done
                else _("“%(title)s” is to be done again.") % {"title": entry.title})
    return redirect(_back(request, reverse("planner:entry", args=[entry.pk])))


def _occurrence_action(request: HttpRequest, pk: int, skip: bool) -> HttpResponse:
    entry = selectors.entry_get_for_user(user=request.user, pk=pk)
    form = OccurrenceForm(request.POST)
    occurrence = form.cleaned_data["occurrence"] if form.is_valid() else ""
    action = services.entry_skip if skip else services.entry_restore
    carried_out(request, lambda: action(actor=request.user, entry=entry, occurrence=occurrence),
                _("That occurrence is left out.") if skip else _("That occurrence is back."))
    return redirect("planner:entry", pk=entry.pk)


@require_POST
@planner_required
def entry_skip(request: HttpRequest, pk: int) -> HttpResponse:
    """Leave one occurrence of a repeating entry out."""
    return _occurrence_action(request, pk, skip=True)


@require_POST
@planner_required
def entry_restore(request: HttpRequest, pk: int) -> HttpResponse:
    """Bring an occurrence left out back."""
    return _occurrence_action(request, pk, skip=False)


@require_POST
@planner_required
def quick_task(request: HttpRequest) -> HttpResponse:
    """A task in one line, for its day (today if none): the same form sent twice makes one task."""
    form = QuickTaskForm(request.POST)
    if form.is_valid():
        due = form.cleaned_data["due"] or timezone.localdate()
        starts_at = timezone.make_aware(datetime.combine(due, time.min))
        try:
            entry = services.entry_create(actor=request.user, kind=Entry.Kind.TASK, title=form.cleaned_data["title"],
                                          starts_at=starts_at, all_day=True,
                                          client_key=form.cleaned_data["client_key"])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The task “%(title)s” is in your planner.") % {"title": entry.title})
            return redirect(_back(request, f"{reverse('planner:home')}?view=day&date={due.isoformat()}"))
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for message in errors:
                messages.error(request, f"{label}: {message}" if label else message)
    return redirect(_back(request, reverse("planner:home")))


urlpatterns = [
    path("workspace/planner/entries/new/", entry_new, name="entry_new"),
    path("workspace/planner/entries/<int:pk>/", entry_detail, name="entry"),
    path("workspace/planner/entries/<int:pk>/edit/", entry_edit, name="entry_edit"),
    path("workspace/planner/entries/<int:pk>/delete/", entry_delete, name="entry_delete"),
    path("workspace/planner/entries/<int:pk>/done/", entry_done, name="entry_done"),
    path("workspace/planner/entries/<int:pk>/skip/", entry_skip, name="entry_skip"),
    path("workspace/planner/entries/<int:pk>/restore/", entry_restore, name="entry_restore"),
    path("workspace/planner/tasks/quick/", quick_task, name="quick_task"),
]
