"""Who reads and who keeps the federal ratings.

Every staff member reads them (``monitoring.access``): the region's places are published by federal bodies,
nothing in them is scoped to a department. Administrators, controllers and the governor create and change any
rating and its editions; a rating's owner (the person answering for it) changes his own rating and adds its
editions. Opening an order from a drop is the control engine's decision (``orders.open_assignment``).
"""

import rules

from krai.org.rules import is_administrator, is_controller, is_governor, is_staff_member


@rules.predicate
def owns_rating(user, rating) -> bool:
    return rating is not None and user.is_authenticated and rating.owner_id == user.pk


keeps_ratings = is_staff_member & (is_administrator | is_controller | is_governor)

rules.add_perm("rankings.view_rating", is_staff_member)
rules.add_perm("rankings.add_rating", keeps_ratings)
rules.add_perm("rankings.change_rating", keeps_ratings | (is_staff_member & owns_rating))
rules.add_perm("rankings.add_edition", keeps_ratings | (is_staff_member & owns_rating))
