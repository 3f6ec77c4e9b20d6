"""Factories for the organisation structure; other areas' tests build on them."""

import factory
from django.conf import settings

from krai.org.models import (
    Block,
    Municipality,
    Organisation,
    Position,
    Region,
    Role,
    RoleAssignment,
    ScopeKind,
    User,
)

PASSWORD = "correct-horse-battery-staple"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("name",)

    name = "Краснодарский край"
    name_en = "Krasnodar Krai"


def square(lon: float, lat: float, size: float = 0.5) -> dict:
    return {"type": "Polygon", "coordinates": [[[lon, lat], [lon + size, lat], [lon + size, lat + size],
                                                 [lon, lat + size], [lon, lat]]]}


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    region = factory.SubFactory(RegionFactory)
    code = factory.Sequence(lambda n: f"muni-{n}")
    name = factory.Sequence(lambda n: f"Район {n}")
    kind = Municipality.Kind.MUNICIPAL_DISTRICT
    population = 50_000


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.ru")
    surname = factory.Sequence(lambda n: f"Иванов{n}")
    given_name = "Иван"
    patronymic = "Петрович"
    email_confirmed = True
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffFactory(UserFactory):
    is_staff = True


class BlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Block

    code = factory.Sequence(lambda n: f"block-{n}")
    name = factory.Sequence(lambda n: f"Блок {n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    code = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"Министерство {n}")
    kind = Organisation.Kind.DEPARTMENT
    block = factory.SubFactory(BlockFactory)


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    organisation = factory.SubFactory(OrganisationFactory)
    title = "Главный специалист"


def assign(user: User, role: str, *, organisation=None, municipality=None, block=None) -> RoleAssignment:
    """Give ``user`` a role; the scope follows from the target named."""
    if organisation is not None:
        scope = ScopeKind.ORGANISATION
    elif municipality is not None:
        scope = ScopeKind.MUNICIPALITY
    elif block is not None:
        scope = ScopeKind.BLOCK
    elif role in (Role.GOVERNOR, Role.CONTROLLER, Role.ADMINISTRATOR):
        scope = ScopeKind.REGION
    else:
        scope = ScopeKind.SELF
    assignment = RoleAssignment.objects.create(user=user, role=role, scope=scope, organisation=organisation,
                                               municipality=municipality, block=block)
    user.__dict__.pop("_krai_scope", None)
    return assignment


assert settings  # settings must be configured before factories are used
