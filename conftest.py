"""Shared pytest fixtures: a client per kind of actor, built on the org factories."""

import pytest

from krai.org.models import Role
from krai.org.tests.factories import BlockFactory, OrganisationFactory, StaffFactory, UserFactory, assign

# every public service call in every test is checked for a domain event with each write it makes
pytest_plugins = ["krai.core.tests.audit_tracer"]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _second_factor_not_asked(settings):
    """Tests log staff in with ``force_login``, which skips the password and so the second factor too.
    The staff second factor itself is tested with the installation's default roles in
    krai/accounts/tests/test_second_factor_required.py, which sets the roles back."""
    settings.KRAI_TWO_FACTOR_ROLES = []


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def citizen(db):
    return UserFactory()


@pytest.fixture
def two_blocks(db):
    """Two blocks, a department in each with a unit below it, and people in both."""
    social, economy = BlockFactory(name="Социальный блок"), BlockFactory(name="Экономический блок")
    health = OrganisationFactory(name="Министерство здравоохранения", block=social)
    health_unit = OrganisationFactory(name="Отдел лицензирования", block=social, parent=health,
                                      kind="unit")
    finance = OrganisationFactory(name="Министерство финансов", block=economy)
    vice = StaffFactory(surname="Социальный")
    assign(vice, Role.VICE_GOVERNOR, block=social)
    executor = StaffFactory(surname="Исполнитель")
    assign(executor, Role.EXECUTOR, organisation=health_unit)
    head = StaffFactory(surname="Финансовый")
    assign(head, Role.HEAD, organisation=finance)
    controller = StaffFactory(surname="Контролёр")
    assign(controller, Role.CONTROLLER)
    return {"social": social, "economy": economy, "health": health, "health_unit": health_unit,
            "finance": finance, "vice": vice, "executor": executor, "head": head, "controller": controller}
