"""The registry's reactions and registrations: an object of the registry is found by the site-wide search (kept
by its events) and a link to its card shows as a card (``krai.core.cards``). The registry is public, so every
object is indexed for everyone. (The open dataset ``construction-registry`` refreshes itself on the same events:
``krai/opendata/live_construction_objects.py``.)"""

from __future__ import annotations

from typing import Any

from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from krai.construction.models import ConstructionObject
from krai.construction.selectors.objects import object_get
from krai.core.cards import Card, register_card
from krai.core.events.registry import subscriber
from krai.core.search.services import index_object, remove_object

KINDS = ["construction.object_created", "construction.object_updated", "construction.object_stage_changed"]


def index_construction_object(object_id: int) -> None:
    """Index the object as the registry shows it, or take it out when it is gone."""
    obj = ConstructionObject.objects.filter(pk=object_id).select_related("municipality").first()
    if obj is None:
        remove_object(ConstructionObject(pk=object_id))
        return
    parts = [str(obj.get_kind_display()), str(obj.get_stage_display()), obj.address, obj.developer,
             obj.developer_inn, obj.permit_number, obj.cadastral_number, obj.purpose, obj.description]
    index_object(target=obj, title=obj.name, body="\n".join(p for p in parts if p), url=obj.get_absolute_url(),
                 municipality_id=obj.municipality_id)


@subscriber("construction.objects.search_index", kinds=KINDS)
def keep_search_index(event: Any) -> None:
    try:
        object_id = int((event.payload or {}).get("object_id") or event.subject_id)
    except (TypeError, ValueError):
        return
    index_construction_object(object_id)


def object_card(user: Any, pk: Any = None, **kwargs: Any) -> Card:
    obj = object_get(pk if pk is not None else next(iter(kwargs.values()), None))
    where = f"{obj.address}" + (f", {obj.municipality}" if obj.municipality_id else "")
    return Card(kind=_("Construction object"), title=obj.name, url=obj.get_absolute_url(),
                status=f"{obj.get_stage_display()} · {obj.get_kind_display()}",
                summary=Truncator(where + (f". {obj.developer}" if obj.developer else "")).chars(200))


register_card("construction:object", object_card)
