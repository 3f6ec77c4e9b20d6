from krai.org import selectors
from krai.org.models import Organisation
from krai.org.tests.factories import OrganisationFactory, StaffFactory, UserFactory


def names(qs):
    return sorted(o.name for o in qs)


def test_vice_governor_sees_only_his_block(two_blocks):
    visible = selectors.organisations_in_scope(two_blocks["vice"])
    assert names(visible) == ["Министерство здравоохранения", "Отдел лицензирования"]


def test_controller_sees_the_whole_region(two_blocks):
    assert selectors.organisations_in_scope(two_blocks["controller"]).count() == Organisation.objects.count()


def test_head_sees_his_subtree_and_nothing_of_another_block(two_blocks):
    assert names(selectors.organisations_in_scope(two_blocks["head"])) == ["Министерство финансов"]


def test_executor_in_a_unit_sees_the_unit_not_the_parent(two_blocks):
    assert names(selectors.organisations_in_scope(two_blocks["executor"])) == ["Отдел лицензирования"]


def test_staff_without_assignment_and_citizens_see_nothing(two_blocks):
    assert not selectors.organisations_in_scope(StaffFactory()).exists()
    assert not selectors.organisations_in_scope(UserFactory()).exists()


def test_moving_an_organisation_moves_its_subtree(two_blocks):
    health, unit, finance = two_blocks["health"], two_blocks["health_unit"], two_blocks["finance"]
    grandchild = OrganisationFactory(parent=unit, block=unit.block)
    health.parent = finance
    health.save()
    grandchild.refresh_from_db()
    assert grandchild.path.startswith(finance.path + f"{health.pk:06d}.")
    assert grandchild.depth == 3


def test_a_region_wide_scope_survives_an_or_with_another_condition(two_blocks):
    """"His scope, or what he created" must stay the whole region for a controller: an empty Q() vanishes in an OR."""
    from django.db.models import Q

    from krai.org.scopes import scope_for

    controller, head = two_blocks["controller"], two_blocks["head"]
    everything = Organisation.objects.filter(scope_for(controller).q(organisation="") | Q(pk=-1))
    assert everything.count() == Organisation.objects.count()
    narrow = Organisation.objects.filter(scope_for(head).q(organisation="") | Q(pk=-1))
    assert names(narrow) == ["Министерство финансов"]
