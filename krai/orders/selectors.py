"""Reads of the control engine and of orders, always scoped to the acting user.

Visibility of an assignment: the user's scope covers its executor organisation, its controller or its
block, or the user is its executor or its issuer, or it lies anywhere below an assignment he holds or gave,
or it was given straight out of an assignment of an organisation he heads (he accepts its reports). So the
issuer of an order sees its whole vertical, and a head his subtree with the parts given out of it, not
what another block delegated inside itself. The tree of an order adds the path from the root down to each of those
rows, so that everyone sees where his task came from, and nothing of the branches his scope does not reach.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from krai.orders.models import (
    OPEN_STATUSES,
    Assignment,
    AssignmentAncestor,
    Extension,
    Order,
    Report,
    Status,
    Transition,
)
from krai.org.selectors import scope_for


def _scope_q(scope, user, prefix: str = "") -> Q:
    """Rows whose executor (or controller) lies in the scope, or which the user executes or gave.

    The block is read from the row's own copied ``block`` column, not through the organisation, so a
    vice-governor's filter needs no join; organisation subtrees and municipalities go through the executor
    organisation (and the controller organisation) as the scope says.
    """
    q = Q(**{f"{prefix}executor_user_id": user.pk}) | Q(**{f"{prefix}issuer_id": user.pk})
    if scope.block_ids:
        q |= Q(**{f"{prefix}block_id__in": sorted(scope.block_ids)})
    for path in scope.org_paths:
        q |= Q(**{f"{prefix}executor_organisation__path__startswith": path})
        q |= Q(**{f"{prefix}controller_organisation__path__startswith": path})
    if scope.municipality_ids:
        ids = sorted(scope.municipality_ids)
        q |= Q(**{f"{prefix}executor_organisation__municipality_id__in": ids})
        q |= Q(**{f"{prefix}controller_organisation__municipality_id__in": ids})
    return q


def assignments_visible_to(user, *, top_only: bool = False) -> QuerySet[Assignment]:
    """Every assignment ``user`` may see (nothing for an anonymous or inactive user).

    ``top_only`` narrows to top-level assignments, whose visibility is their own scope alone (a root is its
    own root), so the filter stays a plain condition the dashboard's indexes can serve.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return Assignment.objects.none()
    scope = scope_for(user)
    if scope.region:
        return Assignment.objects.filter(parent__isnull=True) if top_only else Assignment.objects.all()
    if scope.is_empty:
        return Assignment.objects.none()
    own = _scope_q(scope, user)
    if top_only:
        return Assignment.objects.filter(own, parent__isnull=True)
    q = own | Q(Exists(_below_held(user)))
    # a head acts for his organisations' assignments, so their parts given straight out of them are his to
    # accept (a co-executor's part reports to the lead executor): those, one level, not what was delegated
    # inside another body below them
    from krai.orders.rules import head_reach

    paths, municipalities = head_reach(user)
    if paths or municipalities:
        headed = Q(executor_organisation__municipality_id__in=sorted(municipalities)) if municipalities else Q(
            pk__in=[])
        for path in paths:
            headed |= Q(executor_organisation__path__startswith=path)
        q |= Q(parent_id__in=Assignment.objects.filter(headed).values("id"))
    return Assignment.objects.filter(q)


#: from how many rows held or given on the set "below them" is too big to build for each query (see below)
MANY_HELD = 2000


def _below_held(user) -> QuerySet[AssignmentAncestor]:
    """Rows with an ancestor ``user`` holds or gave, as a subquery correlated to the outer assignment.

    The closure table (``krai.orders.ancestry``) answers it per row from its (descendant, ancestor) index and
    the ancestor's key: a few index probes, no recursive walk. PostgreSQL may instead build the whole set
    once and hash it when it expects many rows to probe — cheap for someone who holds little, but for a
    vice-governor who gave tens of thousands it is a second or more, even when the list stops after 20 rows
    (the planner does not count the LIMIT). For such a person the correlation is written as a range
    (``>= id AND <= id``: the same index lookup, but not an equality PostgreSQL can hash), so it stays per
    row. Whether he holds many is one indexed count, memoised on the user for the request.
    """
    held = Q(ancestor__executor_user_id=user.pk) | Q(ancestor__issuer_id=user.pk)
    many = getattr(user, "_krai_orders_holds_many", None)
    if many is None:
        mine = Assignment.objects.filter(Q(executor_user_id=user.pk) | Q(issuer_id=user.pk)).order_by()
        many = user._krai_orders_holds_many = mine.values("id")[:MANY_HELD].count() >= MANY_HELD
    if many:
        return AssignmentAncestor.objects.filter(held, descendant_id__gte=OuterRef("pk"),
                                                 descendant_id__lte=OuterRef("pk"))
    return AssignmentAncestor.objects.filter(held, descendant_id=OuterRef("pk"))


def assignment_get_for_user(*, user, pk) -> Assignment:
    """An assignment ``user`` may see; missing and forbidden both raise Http404."""
    assignment = (assignments_visible_to(user)
                  .select_related("executor_organisation", "executor_user", "issuer", "controller_organisation",
                                  "parent", "subject_type", "block", "body")
                  .filter(pk=pk).first() if str(pk).isdigit() else None)
    if assignment is None:
        raise Http404(_("No such assignment."))
    return assignment


def control_for_subject(subject) -> Assignment | None:
    """The root assignment of ``subject`` (the latest one, if the subject was put on control again)."""
    if subject is None or subject.pk is None:
        return None
    return (Assignment.objects.filter(subject_type=ContentType.objects.get_for_model(subject),
                                      subject_id=str(subject.pk), parent__isnull=True)
            .select_related("executor_organisation", "executor_user").order_by("-id").first())


@dataclass(frozen=True)
class StateAsOf:
    status: str
    deadline: date
    completed_on: date | None

    def overdue(self, on: date) -> bool:
        return self.status in OPEN_STATUSES and self.deadline < on

    @property
    def late(self) -> bool:
        return self.status == Status.DONE and self.completed_on is not None and self.completed_on > self.deadline


def state_as_of(assignment: Assignment, day: date) -> StateAsOf | None:
    """The assignment's state at the end of ``day`` from its history (None if it did not exist yet)."""
    end = timezone.make_aware(datetime.combine(day, time.max))
    last = Transition.objects.filter(assignment=assignment, at__lte=end).order_by("-at", "-id").first()
    return None if last is None else StateAsOf(last.status, last.deadline, last.completed_on)


def pending_report(assignment: Assignment) -> Report | None:
    return assignment.reports.filter(decision=Report.Decision.PENDING).first()


def reports_with_photos(reports: list[Report]) -> set[int]:
    """Which of ``reports`` carry photos (one query): the page shows those reports' files (``krai_files``)."""
    from krai.core.files.models import Attachment  # the kernel's files, read for the page's choice only

    if not reports:
        return set()
    found = Attachment.objects.filter(content_type=ContentType.objects.get_for_model(Report),
                                      object_id__in=[str(report.pk) for report in reports])
    return {int(pk) for pk in found.values_list("object_id", flat=True).distinct()}


def open_extension(assignment: Assignment) -> Extension | None:
    return assignment.extensions.filter(status=Extension.Status.REQUESTED).first()


# --- lists for the workspace and the API --------------------------------------------------------------

LISTS = ("mine", "given", "to_accept", "overdue", "all")


def default_list(user) -> str:
    """The list a user's orders page opens on: "given" (under his control) for someone who gives orders and
    executes none himself (the governor, a vice-governor); "all" in his reach for one who only watches (the
    Department of Control); else his own assignments."""
    visible = assignments_visible_to(user)
    if visible.filter(issuer=user, parent__isnull=True).exists() and not visible.filter(
            executor_user=user, status__in=OPEN_STATUSES).exists():
        from krai.orders.rules import head_reach

        if not any(head_reach(user)):
            return "given"
    if scope_for(user).has_role("controller") and not visible.filter(executor_user=user).exists():
        return "all"
    return "mine"


@dataclass
class ListFilter:
    which: str = "all"
    kind: str = ""
    status: str = ""
    priority: str = ""
    source: str = ""
    block: int | None = None
    body: int | None = None
    executor: int | None = None
    issuer: int | None = None
    bucket: str = ""  # total / done / open / overdue / late (links from the dashboard)
    top_only: bool = False
    search: str = ""
    period_from: date | None = None
    period_to: date | None = None
    done_from: date | None = None  # executed on or after that day (the workspace home's "executed this month")
    as_of: date | None = None  # the list as of the end of that day, from the history (as the dashboard)
    extra: dict = field(default_factory=dict)


def _order_ct() -> ContentType:
    return ContentType.objects.get_for_model(Order)


def assignment_list(*, user, filters: ListFilter | None = None, today: date | None = None) -> QuerySet[Assignment]:
    """The assignments behind a workspace list or a dashboard number.

    ``block``, ``body``, ``executor`` and ``issuer`` of 0 mean "none" (outside the blocks, the organisation
    itself, the system); filters, place and bucket are the dashboard's own (``krai.orders.cells``), read from
    the history when ``as_of`` is given, so a number and its list always agree.
    """
    from krai.orders import cells

    f = filters or ListFilter()
    today = today or timezone.localdate()
    qs = assignments_visible_to(user).select_related("executor_organisation", "executor_user", "issuer", "block")
    if f.which == "mine":
        from krai.orders.rules import head_reach

        paths, municipalities = head_reach(user)
        q = Q(executor_user=user)
        for path in paths:
            q |= Q(executor_user__isnull=True, executor_organisation__path__startswith=path)
        if municipalities:
            q |= Q(executor_user__isnull=True, executor_organisation__municipality_id__in=municipalities)
        qs = qs.filter(q, status__in=OPEN_STATUSES)
    elif f.which == "given":
        qs = qs.filter(issuer=user)
    elif f.which == "to_accept":
        qs = qs.filter(status=Status.REPORTED).filter(Q(issuer=user) | Q(parent__executor_user=user))
    elif f.which == "overdue":
        qs = qs.overdue(today)
    cols = cells.CURRENT
    if f.as_of or f.bucket:
        qs, cols = cells.counted(qs, as_of=f.as_of)
    if f.status:
        qs = qs.filter(**{cols.status: f.status})
    qs = cells.narrow(qs, cols, kind=f.kind, priority=f.priority, source=f.source, period_from=f.period_from,
                      period_to=f.period_to)
    qs = cells.place(qs, cols, block=f.block, body=f.body, executor=f.executor, issuer=f.issuer, top=f.top_only)
    if f.bucket in cells.BUCKETS:
        qs = qs.filter(cells.bucket_q(f.bucket, cols, f.as_of or today))
    if f.done_from:
        qs = qs.filter(status=Status.DONE, completed_on__gte=f.done_from)
    if f.search:
        qs = qs.filter(title__icontains=f.search)
    return qs.order_by(cols.deadline, "id")


def orders_visible_to(user) -> QuerySet[Order]:
    """Orders ``user`` may see: his own (drafts included) and those whose control tree he sees."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Order.objects.none()
    roots = assignments_visible_to(user).values("root_id")
    return Order.objects.filter(Q(issuer=user) | Q(assignment_id__in=roots))


def order_get_for_user(*, user, pk) -> Order:
    """An order ``user`` may see; missing and forbidden both raise Http404."""
    order = (Order.objects.select_related("issuer", "lead_organisation", "lead_user", "controller_organisation",
                                          "assignment", "issuer_organisation")
             .filter(pk=pk).first() if str(pk).isdigit() else None)
    if order is None or not user.has_perm("orders.view_order", order):
        raise Http404(_("No such order."))
    return order


def order_for_assignment(assignment: Assignment) -> Order | None:
    if assignment.subject_type_id != _order_ct().pk:
        return None
    return Order.objects.filter(pk=assignment.subject_id).first()


from krai.orders.dashboard import control_load  # noqa: E402,F401  (part of this module's public interface)
from krai.orders.trees import (  # noqa: E402,F401  (part of this module's public interface)
    TreeForUser,
    history,
    subtree,
    subtree_for_user,
    tree,
    tree_for_user,
    tree_history_for_user,
)


def subject_url(assignment: Assignment) -> str:
    """Where the subject of an assignment lives, when its model says (``get_absolute_url``): a project's item, …"""
    model = assignment.subject_type.model_class() if assignment.subject_type_id else None
    if model is None or not hasattr(model, "get_absolute_url"):
        return ""
    subject = model._default_manager.filter(pk=assignment.subject_id).first()
    return subject.get_absolute_url() if subject is not None else ""
