"""Factories of the problems area, on top of the org factories."""

import factory

from krai.org.tests.factories import MunicipalityFactory, OrganisationFactory, UserFactory, square
from krai.problems.models import Category, Problem, RoutingRule


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"theme-{n}")
    name = factory.Sequence(lambda n: f"Тема {n}")
    name_en = factory.Sequence(lambda n: f"Theme {n}")
    reaction_days = 10


class RoutingRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoutingRule

    category = factory.SubFactory(CategoryFactory)
    organisation = factory.SubFactory(OrganisationFactory)


def place(lon: float = 38.0, lat: float = 45.0, *, code: str | None = None, admin: bool = True):
    """A square municipality around (lon, lat) with (optionally) its administration; returns both."""
    kwargs = {"code": code} if code else {}
    municipality = MunicipalityFactory(boundary=square(lon - 0.25, lat - 0.25, 0.5), **kwargs)
    administration = None
    if admin:
        administration = OrganisationFactory(kind="municipal_administration", municipality=municipality, block=None,
                                             name=f"Администрация {municipality.name}")
    return municipality, administration


class ProblemFactory(factory.django.DjangoModelFactory):
    """A problem row written directly (tests of reads); tests of writes go through the services."""

    class Meta:
        model = Problem
        skip_postgeneration_save = True  # the hook rebuilds the grid; the row itself is already saved

    category = factory.SubFactory(CategoryFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    author = factory.SubFactory(UserFactory)
    lat = 45.0
    lon = 38.0
    description = "Яма на дороге у дома 5, глубокая"
    public_description = factory.SelfAttribute("description")
    status = Problem.Status.ROUTED

    @factory.post_generation
    def map_grid(obj, create, extracted, **kwargs):
        """Rows written past the services: count the map's grid again, as a bulk writer must."""
        if create:
            from krai.problems import grid

            grid.rebuild()
