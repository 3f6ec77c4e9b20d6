"""Reading the draft: its versions, the text of one version as a tree of provisions with counts of comments
and pending amendments per provision, amendments (filtered by status), the comments anchored to a provision.

The caller has already fetched the initiative through ``initiatives.initiative_for`` (the reader may see it);
hidden comments and amendments are left out for everyone but coordinators. Residents' texts are masked
(``krai.core.privacy.mask_personal``) by ``shown``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from krai.core.privacy import mask_personal
from krai.lawmaking import policy
from krai.lawmaking.models import Amendment, Annotation, Initiative, Provision, Version


@dataclass
class Node:
    """One provision of the shown version with what hangs on it."""

    provision: Provision
    annotations: int = 0
    pending: int = 0
    children: list[Node] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.provision.key

    @property
    def anchor(self) -> str:
        return f"p-{self.provision.key}"


def versions(initiative: Initiative) -> QuerySet[Version]:
    """Every version of the draft, the newest first."""
    return initiative.versions.select_related("created_by").order_by("-number")


def version_of(initiative: Initiative, number: Any = None) -> Version | None:
    """Version ``number`` of the draft (``None`` or "" → the current one); ``Http404`` for a missing number."""
    if number in (None, ""):
        return initiative.versions.order_by("-number").first()
    try:
        number = int(number)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < number < 2**31:  # the column is a 32-bit integer: PostgreSQL would refuse the query
        raise Http404
    version = initiative.versions.filter(number=number).first()
    if version is None:
        raise Http404
    return version


def _visible_annotations(viewer: Any, initiative: Initiative) -> QuerySet[Annotation]:
    rows = Annotation.objects.filter(initiative=initiative).select_related("author", "version")
    return rows if policy.is_coordinator(viewer) else rows.filter(hidden_at__isnull=True)


def row_id(value: Any) -> int:
    """An id from a URL, or ``Http404`` when it cannot be one (out of the column's range)."""
    try:
        value = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < value < 2**63:
        raise Http404
    return value


def amendments(viewer: Any, initiative: Initiative, *, status: str = "", key: str = "") -> QuerySet[Amendment]:
    """The draft's amendments, oldest first; ``status`` and ``key`` filter them."""
    rows = (Amendment.objects.filter(initiative=initiative)
            .select_related("author", "version", "applied_in", "decided_by"))
    if not policy.is_coordinator(viewer):
        rows = rows.filter(hidden_at__isnull=True)
    if status in Amendment.Status.values:
        rows = rows.filter(status=status)
    if key:
        rows = rows.filter(key=key)
    return rows


def orphaned(initiative: Initiative, rows: Any, current: Version | None = None) -> set[int]:
    """Ids of pending amendments whose provision the current version no longer has (the editor sees a flag)."""
    current = current or initiative.versions.order_by("-number").first()
    if current is None:
        return set()
    keys = set(current.provisions.values_list("key", flat=True))
    return {a.pk for a in rows if a.status == Amendment.Status.PENDING and a.key not in keys}


def annotations_of(viewer: Any, initiative: Initiative, key: str, version: Version | None = None) -> list[Annotation]:
    """Comments anchored to provision ``key`` on ``version`` and the versions before it (keys are stable)."""
    rows = _visible_annotations(viewer, initiative).filter(key=key)
    if version is not None:
        rows = rows.filter(version__number__lte=version.number)
    return list(rows.order_by("created_at", "id"))


def annotations(viewer: Any, initiative: Initiative, version: Version | None = None) -> QuerySet[Annotation]:
    """All comments on the draft (up to ``version``), oldest first."""
    rows = _visible_annotations(viewer, initiative)
    if version is not None:
        rows = rows.filter(version__number__lte=version.number)
    return rows.order_by("created_at", "id")


def draft_tree(viewer: Any, initiative: Initiative, version: Version) -> list[Node]:
    """The provisions of ``version`` nested (articles → parts → points), with per-provision counts of visible
    comments (on this version and earlier) and of pending amendments."""
    notes = Counter(annotations(viewer, initiative, version).values_list("key", flat=True))
    waiting = Counter(amendments(viewer, initiative, status=Amendment.Status.PENDING).values_list("key", flat=True))
    nodes: dict[str, Node] = {}
    top: list[Node] = []
    for provision in version.provisions.all():
        node = Node(provision, notes.get(provision.key, 0), waiting.get(provision.key, 0))
        nodes[provision.key] = node
        parent = None
        if provision.kind in (Provision.Kind.PART, Provision.Kind.PARAGRAPH) and "." in provision.key:
            parent = nodes.get(provision.key.rpartition(".")[0])
        (parent.children if parent is not None else top).append(node)
    return top


def flat(nodes: list[Node]) -> list[Node]:
    """The tree in reading order."""
    out: list[Node] = []
    for node in nodes:
        out.append(node)
        out.extend(flat(node.children))
    return out


def counts(viewer: Any, initiative: Initiative) -> dict[str, int]:
    """Totals for the initiative's page: versions, comments on provisions, amendments by status."""
    by_status = Counter(amendments(viewer, initiative).values_list("status", flat=True))
    return {"versions": initiative.versions.count(), "annotations": annotations(viewer, initiative).count(),
            "amendments": sum(by_status.values()), **{status: by_status.get(status, 0)
                                                     for status in Amendment.Status.values}}


def shown(text: str) -> str:
    """A resident's text as others see it (personal data masked)."""
    return mask_personal(text or "")
