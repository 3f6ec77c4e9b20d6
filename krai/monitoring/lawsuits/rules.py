"""Who sees and changes court cases.

Reading: staff whose scope covers the case's organisation (its people, the block's vice-governor, the governor,
the Department of Control, administrators), and the case's lawyer. Changing (stage, hearings, outcome, acts):
the case's lawyer, heads whose scope covers the organisation, administrators. Registering a case for a body:
its heads and administrators (``lawsuits.add_courtcase`` with the organisation as the object).
"""

import rules

from krai.org.rules import is_administrator, is_controller, is_head, is_staff_member, organisation_in_scope


@rules.predicate
def is_lawyer_of(user, case) -> bool:
    return case is not None and case.lawyer_id is not None and case.lawyer_id == user.pk


@rules.predicate
def covers_case(user, case) -> bool:
    return case is not None and organisation_in_scope(user, case.organisation)


@rules.predicate
def covers_case_of_hearing(user, hearing) -> bool:
    return hearing is not None and (covers_case(user, hearing.case) or is_lawyer_of(user, hearing.case))


rules.add_perm("lawsuits.view_courtcase", is_staff_member & (is_administrator | is_controller | covers_case
                                                             | is_lawyer_of))
rules.add_perm("lawsuits.change_courtcase", is_staff_member & (is_administrator | is_lawyer_of
                                                               | (is_head & covers_case)))
rules.add_perm("lawsuits.view_hearing", is_staff_member & (is_administrator | is_controller | covers_case_of_hearing))
rules.add_perm("lawsuits.view_stagechange", is_staff_member & (is_administrator | is_controller
                                                               | covers_case_of_hearing))
rules.add_perm("lawsuits.add_courtcase", is_staff_member & (is_administrator | (is_head & organisation_in_scope)))
