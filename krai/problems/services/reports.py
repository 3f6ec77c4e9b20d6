"""Residents' writes (report, endorse) and moderation (publish and route, edit, reject, merge duplicates)."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from krai.core.files import validation as file_validation
from krai.core.files.services import attachment_create
from krai.core.privacy import mask_personal
from krai.org.geo import check_point
from krai.org.selectors import municipality_ids_at
from krai.problems import buckets, engine, grid
from krai.problems.models import Category, Endorsement, Problem, Subscription
from krai.problems.services._common import (
    MAX_DESCRIPTION,
    MIN_DESCRIPTION,
    clean_text,
    event,
    history,
    max_photo_bytes,
    max_photos,
    reports_per_hour,
    require,
    require_confirmed,
)
from krai.problems.services.routing import due_date_for, route_for


def _number(value: Any, field: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError({field: _("Mark the place on the map or give its coordinates.")},
                              code="invalid") from None
    return number


def check_photos(photos: Sequence) -> None:
    """Prove every photo before anything is written: images only, within the count and size limits."""
    if len(photos) > max_photos():
        raise ValidationError({"photos": _("At most %(n)s photos.") % {"n": max_photos()}}, code="too_many")
    for photo in photos:
        try:
            file_validation.inspect_upload(photo, allowed_kinds=("image",), max_bytes=max_photo_bytes())
        except ValidationError as error:
            raise ValidationError({"photos": error.messages}) from None
        finally:
            if hasattr(photo, "seek"):
                photo.seek(0)


def _check_rate(actor) -> None:
    since = timezone.now() - timedelta(hours=1)
    if Problem.objects.filter(author=actor, created_at__gte=since).count() >= reports_per_hour():
        raise ValidationError(_("You have sent %(n)s reports within the last hour; please wait a little.")
                              % {"n": reports_per_hour()}, code="rate_limited")


def clean_report(*, category: Category | None, lat: Any, lon: Any, description: Any, address: Any = ""):
    """Validate a report's content; return (category, lat, lon, municipality id, description, address)."""
    errors: dict[str, Any] = {}
    if category is None or not category.is_active or category.children.filter(is_active=True).exists():
        errors["category"] = _("Choose the theme of the problem.")
    try:
        text = clean_text(description, field="description", required=_("Describe the problem."),
                          minimum=MIN_DESCRIPTION, maximum=MAX_DESCRIPTION)
    except ValidationError as error:
        errors.update(error.message_dict)
        text = ""
    address = clean_text(address, field="address", required="", maximum=300) if str(address or "").strip() else ""
    municipality = None
    try:
        lat_f, lon_f = _number(lat, "location"), _number(lon, "location")
        check_point(lon_f, lat_f)
        # the id only: loading the municipality would decode its whole boundary for a foreign key
        municipality = municipality_ids_at([(lon_f, lat_f)])[0]
        if municipality is None:
            errors["location"] = _("This place is outside the region's municipalities: mark a place in the region.")
    except ValidationError as error:
        errors["location"] = [m for messages in error.message_dict.values() for m in messages] \
            if hasattr(error, "error_dict") else error.messages
        lat_f = lon_f = 0.0
    if errors:
        raise ValidationError(errors)
    return category, lat_f, lon_f, municipality, text, address


@transaction.atomic
def problem_report(*, actor, category: Category | None, lat: Any, lon: Any, description: str, address: str = "",
                   photos: Sequence = (), anonymous: bool = False, source: str = Problem.Source.PORTAL,
                   reporter_name: str = "", reporter_email: str = "") -> Problem:
    """Report a problem at a place; it shows to others once a moderator publishes it and routes it.

    Open311 clients report through their key's account (``source="open311"``), naming the resident in
    ``reporter_name``/``reporter_email``; everyone else needs a confirmed e-mail. Bad input changes nothing.
    """
    if source == Problem.Source.OPEN311:
        if actor is None or not actor.is_active:
            raise ValidationError(_("This Open311 key's account is blocked."))
    else:
        require_confirmed(actor, verb=_("report a problem"))
        require(actor, "problems.report_problem")
        _check_rate(actor)
    category, lat_f, lon_f, municipality, text, address = clean_report(
        category=category, lat=lat, lon=lon, description=description, address=address)
    photos = list(photos or [])
    check_photos(photos)
    problem = Problem.objects.create(
        category=category, municipality_id=municipality, author=actor, anonymous=bool(anonymous), source=source,
        reporter_name=(reporter_name or "")[:200], reporter_email=(reporter_email or "")[:254],
        lat=lat_f, lon=lon_f, address=address, description=text, public_description=mask_personal(text),
        open311_token=secrets.token_hex(16) if source == Problem.Source.OPEN311 else None)
    for photo in photos:
        attachment_create(actor=actor, target=problem, upload=photo, allowed_kinds=("image",),
                          max_bytes=max_photo_bytes())
    history(problem=problem, kind="reported", actor=actor)
    event(kind="reported", actor=actor, problem=problem, source=source, photos=len(photos))
    return problem


def _locked(problem: Problem) -> Problem:
    return Problem.objects.select_for_update(of=("self",)).select_related("category", "municipality", "organisation") \
        .get(pk=problem.pk)


@transaction.atomic
def problem_publish(*, actor, problem: Problem, public_description: str | None = None,
                    category: Category | None = None, organisation=None) -> Problem:
    """Moderation passes a new report: publish it (personal data edited out) and route it to the body.

    With no rule and no administration for its place, the moderator names the organisation.
    """
    problem = _locked(problem)
    require(actor, "problems.moderate_problem", problem, message=_("You do not moderate problems of this place."))
    if problem.status != Problem.Status.NEW:
        raise ValidationError(_("Only a report awaiting moderation can be published."), code="state")
    if category is not None and category.pk != problem.category_id:
        if not category.is_active or category.children.filter(is_active=True).exists():
            raise ValidationError({"category": _("Choose the theme of the problem.")})
        problem.category = category
    if public_description is not None:
        problem.public_description = clean_text(public_description, field="public_description",
                                                required=_("The public text cannot be empty."))
    if organisation is not None and not organisation.is_active:
        raise ValidationError({"organisation": _("This organisation is no longer active.")})
    problem.organisation = organisation or route_for(category=problem.category, municipality=problem.municipality)
    if problem.organisation is None:
        raise ValidationError({"organisation": _("No body answers this theme here: choose the organisation.")},
                              code="unroutable")
    problem.status = Problem.Status.ROUTED
    problem.routed_at = timezone.now()
    problem.due_date = due_date_for(problem.category)
    problem.save()
    history(problem=problem, kind="published", actor=actor, organisation=problem.organisation)
    grid.add(problem)
    buckets.move(None, buckets.key_of(problem), problem)
    engine.open_assignment(problem=problem)
    event(kind="published", actor=actor, problem=problem, due_date=problem.due_date)
    return problem


@transaction.atomic
def problem_edit_public(*, actor, problem: Problem, public_description: str) -> Problem:
    """Moderation edits the public text (personal data, insults); the author's text stays for the record."""
    problem = _locked(problem)
    require(actor, "problems.moderate_problem", problem, message=_("You do not moderate problems of this place."))
    text = clean_text(public_description, field="public_description", required=_("The public text cannot be empty."))
    if text == problem.public_description:
        raise ValidationError({"public_description": _("The text is unchanged.")})
    problem.public_description = text
    problem.save(update_fields=["public_description", "updated_at"])
    history(problem=problem, kind="edited", actor=actor, public=False)
    event(kind="edited", actor=actor, problem=problem)
    return problem


@transaction.atomic
def problem_reject(*, actor, problem: Problem, reason: str) -> Problem:
    """Moderation refuses a report (spam, insults, not a problem) with a reason the author is sent."""
    problem = _locked(problem)
    require(actor, "problems.moderate_problem", problem, message=_("You do not moderate problems of this place."))
    reason = clean_text(reason, field="reason", required=_("Say why the report is rejected: the author is told."),
                        maximum=2000)
    if problem.status != Problem.Status.NEW:
        raise ValidationError(_("Only a report awaiting moderation can be rejected."), code="state")
    problem.status = Problem.Status.REJECTED
    problem.moderation_reason = reason
    problem.closed_at = timezone.now()
    problem.save()
    history(problem=problem, kind="rejected", actor=actor, text=reason, public=False)
    event(kind="rejected", actor=actor, problem=problem, reason=reason)
    return problem


@transaction.atomic
def problem_merge(*, actor, problem: Problem, into: Problem) -> Problem:
    """Close a duplicate into the original: its endorsements (and its author's) move to the original."""
    problem, into = _locked(problem), _locked(into)
    require(actor, "problems.moderate_problem", problem, message=_("You do not moderate problems of this place."))
    if problem.pk == into.pk or into.duplicate_of_id or not into.is_published:
        raise ValidationError({"into": _("Choose another published report to merge into.")})
    if problem.status not in (Problem.Status.NEW, *Problem.OPEN):
        raise ValidationError(_("Only an open report can be merged."), code="state")
    people = set(Endorsement.objects.filter(problem=problem).values_list("user_id", flat=True))
    if problem.author_id:
        people.add(problem.author_id)
    people -= set(Endorsement.objects.filter(problem=into).values_list("user_id", flat=True))
    people.discard(into.author_id)
    Endorsement.objects.bulk_create([Endorsement(problem=into, user_id=pk) for pk in sorted(people)])
    following = set(Subscription.objects.filter(problem=into).values_list("user_id", flat=True))
    Subscription.objects.bulk_create([Subscription(problem=into, user_id=pk) for pk in sorted(people - following)])
    Problem.objects.filter(pk=into.pk).update(endorsements_count=F("endorsements_count") + len(people))
    was_routed = problem.status != Problem.Status.NEW
    before = buckets.key_of(problem)
    problem.status, problem.duplicate_of, problem.closed_at = Problem.Status.CLOSED, into, timezone.now()
    problem.save()
    buckets.move(before, buckets.key_of(problem), problem)
    history(problem=problem, kind="merged", actor=actor, text=f"№{into.pk}")
    if was_routed:
        grid.remove(problem)
        engine.cancel(problem=problem, reason=f"duplicate of {into.pk}")
    event(kind="merged", actor=actor, problem=problem, into=into.pk, moved=len(people))
    return problem


@transaction.atomic
def problem_endorse(*, actor, problem: Problem) -> Endorsement:
    """"Me too" on a published problem: once per resident, never on one's own."""
    require_confirmed(actor, verb=_("endorse a problem"))
    problem = Problem.objects.get(pk=problem.pk)
    if problem.author_id == actor.pk:
        raise ValidationError(_("Your own report has your voice already."), code="own")
    if not problem.is_published or problem.duplicate_of_id:
        raise ValidationError(_("Only a published problem can be endorsed."), code="state")
    require(actor, "problems.endorse_problem", problem)
    try:
        with transaction.atomic():
            endorsement = Endorsement.objects.create(problem=problem, user=actor)
    except IntegrityError:
        raise ValidationError(_("You have endorsed this problem already."), code="already_endorsed") from None
    Problem.objects.filter(pk=problem.pk).update(endorsements_count=F("endorsements_count") + 1)
    Subscription.objects.get_or_create(problem=problem, user=actor)
    event(kind="endorsed", actor=actor, problem=problem)
    return endorsement


@transaction.atomic
def problem_unendorse(*, actor, problem: Problem) -> None:
    require_confirmed(actor, verb=_("endorse a problem"))
    deleted, _rows = Endorsement.objects.filter(problem=problem, user=actor).delete()
    if not deleted:
        raise ValidationError(_("You have not endorsed this problem."), code="not_endorsed")
    Problem.objects.filter(pk=problem.pk, endorsements_count__gt=0).update(
        endorsements_count=F("endorsements_count") - 1)
    event(kind="unendorsed", actor=actor, problem=problem)


@transaction.atomic
def problem_subscribe(*, actor, problem: Problem, on: bool = True) -> bool:
    """Follow (or stop following) a published problem's changes; returns whether the actor now follows it."""
    require_confirmed(actor, verb=_("follow a problem"))
    require(actor, "problems.view_problem", problem)
    if not problem.is_published:
        raise ValidationError(_("Only a published problem can be followed."), code="state")
    if on:
        changed = Subscription.objects.get_or_create(problem=problem, user=actor)[1]
    else:
        changed = Subscription.objects.filter(problem=problem, user=actor).delete()[0] > 0
    if changed:
        event(kind="subscribed" if on else "unsubscribed", actor=actor, problem=problem)
    return on
