"""Law-making in the site-wide search (``krai.core.search``): a published initiative is found by its title, the
problem, the proposal and the current text of its draft, kept by an event subscriber — every event that may
change what is found (approval, a change of stage, a new version, an edit, a reaction) re-reads the initiative
and indexes it or takes it out.

Only what anyone may read is indexed: an initiative once published (a stopped one stays a public record). A
concept waiting for moderation, or one refused there, is never indexed — and is taken out if it ever was.
Residents' texts pass through the mask of personal data first.
"""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch

from krai.core.events.registry import subscriber
from krai.core.privacy import mask_personal
from krai.core.search.services import index_object, remove_object
from krai.lawmaking.models import Initiative
from krai.lawmaking.selectors.initiatives import current_version

KINDS = ["lawmaking.initiative_*", "lawmaking.stage_changed", "lawmaking.version_created",
         "lawmaking.reaction_given"]


def _url(initiative: Initiative) -> str:
    try:
        return initiative.get_absolute_url()
    except NoReverseMatch:  # the detail page is another part's; its path is fixed by the area's URL list
        return f"/lawmaking/{initiative.pk}/"


def index_initiative(initiative_id: int) -> None:
    """Index the initiative as anyone may read it now, or take it out of the index."""
    initiative = Initiative.objects.filter(pk=initiative_id).select_related(
        "municipality", "responsible_body").first()
    if initiative is None or initiative.published_at is None:
        remove_object(initiative or Initiative(pk=initiative_id))
        return
    version = current_version(initiative)
    parts = [str(initiative.get_stage_display()), str(initiative.responsible_body),
             str(initiative.municipality or initiative.get_level_display()),
             mask_personal(initiative.problem), mask_personal(initiative.proposal),
             *(field.name for field in initiative.fields.all())]
    if version is not None:
        parts.append(mask_personal(version.text))
    index_object(target=initiative, title=initiative.title, body="\n".join(p for p in parts if p),
                 url=_url(initiative), municipality_id=initiative.municipality_id)


def _initiative_id(event: Any) -> int | None:
    value = (event.payload or {}).get("initiative_id")
    if value is None and event.subject_type_id and event.subject_type.model_class() is Initiative:
        value = event.subject_id
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


@subscriber("lawmaking.search_index", kinds=KINDS)
def keep_search_index(event: Any) -> None:
    initiative_id = _initiative_id(event)
    if initiative_id is not None:
        index_initiative(initiative_id)
