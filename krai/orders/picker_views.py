"""The pickers' search endpoint: JSON for the order and action forms' search boxes (``krai/picker.js``).

It answers exactly the choices the forms accept (``krai.orders.pickers``): for a delegation or a reassignment
only to whoever may take that action on the assignment, which is otherwise "not found" alike for missing and
forbidden. Bad input is a 400 with a message in the user's language.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from krai.orders import pickers, selectors
from krai.orders.views import workspace_required

ACTION_PERMS = {"delegate": "orders.delegate_assignment", "reassign": "orders.reassign_assignment"}


def _error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _context(request: HttpRequest):
    """(purpose, assignment) from the query, or a JsonResponse saying what is wrong."""
    purpose = request.GET.get("purpose", "")
    if purpose not in pickers.PURPOSES:
        return _error(_("Unknown purpose of the choice."))
    assignment = None
    if purpose in ACTION_PERMS:
        pk = request.GET.get("assignment", "")
        if not pk.isdigit():
            return _error(_("Name the assignment."))
        assignment = selectors.assignment_get_for_user(user=request.user, pk=pk)  # 404 when not visible
        if not request.user.has_perm(ACTION_PERMS[purpose], assignment):
            return _error(_("You may not act on this assignment."), 403)
    return purpose, assignment


@require_GET
@workspace_required
def organisations(request: HttpRequest) -> JsonResponse:
    found = _context(request)
    if isinstance(found, JsonResponse):
        return found
    purpose, assignment = found
    allowed = pickers.organisations_for(user=request.user, purpose=purpose, assignment=assignment)
    choices, more = pickers.organisation_choices(allowed, search=request.GET.get("q", "")[:200])
    return JsonResponse({"results": [c.as_json() for c in choices], "more": more})


@require_GET
@workspace_required
def people(request: HttpRequest) -> JsonResponse:
    found = _context(request)
    if isinstance(found, JsonResponse):
        return found
    purpose, assignment = found
    organisation = None
    if request.GET.get("organisation"):
        pk = request.GET["organisation"]
        allowed = pickers.organisations_for(user=request.user, purpose=purpose, assignment=assignment)
        organisation = allowed.filter(pk=pk).first() if pk.isdigit() else None
        if organisation is None:
            return _error(_("Choose an organisation from the list."))
    people = pickers.people_for(user=request.user, purpose=purpose, assignment=assignment, organisation=organisation)
    choices, more = pickers.people_choices(people, search=request.GET.get("q", "")[:200])
    return JsonResponse({"results": [c.as_json() for c in choices], "more": more})
