"""Construction's permissions (django-rules). The registries, the requests with their inspections and the works
are public; files go on an object, a work or an illegal construction with ``change_`` (their keepers and
managers), on a request with ``attach_`` (its author while it is open; the inspector through the inspection)."""

import rules

from krai.construction import policy
from krai.org.rules import is_confirmed_resident, is_staff_member


@rules.predicate
def _keeper(user, obj=None) -> bool:
    return policy.is_keeper(user)


@rules.predicate
def _inspector_of_request(user, request) -> bool:
    return request is not None and policy.is_inspector(user, request)


@rules.predicate
def _inspector_of_inspection(user, inspection) -> bool:
    return inspection is not None and policy.is_inspector(user, inspection.request)


@rules.predicate
def _author_while_open(user, request) -> bool:
    return (request is not None and request.status == "open" and user.is_authenticated
            and request.author_id == user.pk)


@rules.predicate
def _manages_work(user, work) -> bool:
    return work is not None and policy.manages_work(user, work)


@rules.predicate
def _enters_works(user) -> bool:
    return policy.may_enter_works(user)


for model in ("constructionobject", "verificationrequest", "inspection", "illegalconstruction", "measure", "work"):
    rules.add_perm(f"construction.view_{model}", rules.always_allow)

rules.add_perm("construction.keep_registry", _keeper)
rules.add_perm("construction.change_constructionobject", _keeper)
rules.add_perm("construction.change_illegalconstruction", _keeper)
rules.add_perm("construction.attach_verificationrequest", _author_while_open & is_confirmed_resident)
rules.add_perm("construction.inspect_verificationrequest", _inspector_of_request)
rules.add_perm("construction.change_inspection", _inspector_of_inspection)
rules.add_perm("construction.change_work", _manages_work)
rules.add_perm("construction.add_work", _enters_works)
rules.add_perm("construction.request_verification", is_confirmed_resident)
rules.add_perm("construction.access_workspace", is_staff_member)
