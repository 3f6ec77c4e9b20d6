"""Who may do what with problem reports; the same names guard pages, API, Open311 and services.

* Residents (signed in, active, e-mail confirmed) report, endorse others' published problems; once the
  body answers, the author and everyone who endorsed the report rate the result (once per fix cycle) and
  may reopen it.
* Moderators — administrators, controllers, and heads acting for the problem's municipality — publish,
  edit out personal data, reject with a reason, merge duplicates.
* The responsible body — staff whose scope covers the problem's organisation — takes it in work,
  answers (fixed, planned, declined) and passes it to another body; controllers may pass it too.
"""

import rules

from krai.org.selectors import is_administrator, is_controller, is_head, is_staff_member, scope_for
from krai.problems.models import Endorsement


@rules.predicate
def is_confirmed(user) -> bool:
    return bool(user.is_authenticated and user.is_active and getattr(user, "email_confirmed", False))


@rules.predicate
def is_author(user, problem) -> bool:
    return bool(problem is not None and user.is_authenticated and problem.author_id == user.pk)


@rules.predicate
def is_supporter(user, problem) -> bool:
    """``user`` endorsed the report (a "me too"): the result is his too."""
    return bool(problem is not None and user.is_authenticated
                and Endorsement.objects.filter(problem_id=problem.pk, user_id=user.pk).exists())


@rules.predicate
def is_published(user, problem) -> bool:
    return problem is not None and problem.is_published


@rules.predicate
def covers_municipality(user, problem) -> bool:
    if problem is None:
        return False
    scope = scope_for(user)
    return scope.region or problem.municipality_id in scope.municipality_ids


@rules.predicate
def covers_organisation(user, problem) -> bool:
    """The problem's body is within the user's organisations, blocks or municipalities.

    A region-wide scope alone (the governor, controllers) does not make one the answering body: they
    oversee the answers, they do not give them.
    """
    if problem is None or problem.organisation_id is None:
        return False
    scope = scope_for(user)
    organisation = problem.organisation
    return (any(organisation.path.startswith(path) for path in scope.org_paths)
            or (organisation.block_id is not None and organisation.block_id in scope.block_ids)
            or (organisation.municipality_id is not None and organisation.municipality_id in scope.municipality_ids))


moderator = is_staff_member & (is_administrator | is_controller | (is_head & covers_municipality))
responsible = is_staff_member & (is_administrator | covers_organisation)

rules.add_perm("problems.report_problem", is_confirmed)
rules.add_perm("problems.view_problem", is_published | is_author | moderator | responsible)
rules.add_perm("problems.endorse_problem", is_confirmed & is_published & ~is_author)
rules.add_perm("problems.rate_problem", (is_author | is_supporter) & is_confirmed)
rules.add_perm("problems.comment_problem", is_confirmed & is_published)
rules.add_perm("problems.attach_problem", is_author | responsible)
rules.add_perm("problems.moderate_problem", moderator)
rules.add_perm("problems.answer_problem", responsible)
rules.add_perm("problems.reassign_problem", responsible | (is_staff_member & is_controller))
rules.add_perm("problems.view_statistics", is_staff_member)
rules.add_perm("problems.access_workspace", is_staff_member)
rules.add_perm("problems.manage_routing", is_staff_member & is_administrator)
