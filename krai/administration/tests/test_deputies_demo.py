"""The deputies' demo: one deputyship in force, one coming and one past between departments' heads and their deputy
heads, the login line of the one in force; a second run changes nothing."""

from __future__ import annotations

import io

import pytest

from krai.administration.demo import load_deputies
from krai.org import deputies as selectors
from krai.org.models import Deputyship
from krai.org.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def test_the_demo_is_in_force_coming_and_past_and_idempotent():
    for code in ("health", "education", "labour", "culture"):
        StaffFactory(email=f"head.{code}@demo.krai")
        if code != "health":  # the health's deputy head post is vacant in the demo
            StaffFactory(email=f"deputy.{code}@demo.krai")
    StaffFactory(email="admin@demo.krai", is_superuser=True)
    lines = load_deputies(scale=1, stdout=io.StringIO())
    assert Deputyship.objects.count() == 3
    now, = selectors.in_force()
    assert now.deputy.email == "deputy.education@demo.krai" and now.principal.email == "head.education@demo.krai"
    assert selectors.coming().get().deputy.email == "deputy.labour@demo.krai"
    assert selectors.past().get().deputy.email == "deputy.culture@demo.krai"
    assert lines[0].startswith("deputy.education@demo.krai") and "acting for" in lines[0]
    load_deputies(scale=1, stdout=io.StringIO())
    assert Deputyship.objects.count() == 3
