"""Who sees and changes staffing.

Reading: staff whose scope covers the body (or the unit) — its own people, the block's vice-governor, the
governor, the Department of Control, administrators. Changing a body's table, vacancies and employments: the
heads whose scope covers the body (a head of a unit does not change his body's table) and administrators.
"""

import rules

from krai.org.rules import is_administrator, is_head, is_staff_member, organisation_in_scope


@rules.predicate
def covers_table_of(user, obj) -> bool:
    """The organisation of a table, position, employment or vacancy is in the user's scope."""
    from krai.monitoring.staffing.models import Employment, StaffingTable, StaffPosition, Vacancy

    if isinstance(obj, StaffingTable):
        return organisation_in_scope(user, obj.organisation)
    if isinstance(obj, Employment | Vacancy):
        obj = obj.staff_position
    if isinstance(obj, StaffPosition):
        return organisation_in_scope(user, obj.table.organisation) or organisation_in_scope(user, obj.unit)
    return False


_reader = is_staff_member & (is_administrator | covers_table_of)
rules.add_perm("staffing.view_staffingtable", _reader)
rules.add_perm("staffing.view_staffposition", _reader)
rules.add_perm("staffing.view_employment", _reader)
rules.add_perm("staffing.view_vacancy", _reader)
# object: the body (org.Organisation) whose table is changed
rules.add_perm("staffing.change_staffing", is_staff_member & (is_administrator | (is_head & organisation_in_scope)))
