"""Who may edit the production calendar.

The kernel does not import ``krai.org``: the rule asks ``user.has_perm("org.change_structure")`` by name
(the org area defines it: its administrators), so the calendar's editors are superusers and the
region's administrators. Everyone may read the calendar: deadlines shown to residents come from it.
"""

import rules


@rules.predicate
def administers_structure(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_perm("org.change_structure"))


can_edit_calendar = rules.is_superuser | administers_structure

rules.add_perm("workcalendar.view_calendarday", rules.always_allow)
rules.add_perm("workcalendar.add_calendarday", can_edit_calendar)
rules.add_perm("workcalendar.change_calendarday", can_edit_calendar)
rules.add_perm("workcalendar.delete_calendarday", can_edit_calendar)
