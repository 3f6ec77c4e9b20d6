"""The demo loader: with the systems' document-flow system it sets the channel and brings three accepted packages
and one refused through the real import; run again it changes nothing; without such a system it skips."""

from __future__ import annotations

import io

import pytest

from krai.integration.docflow.demo import load_docflow
from krai.integration.docflow.models import DocflowChannel, DocflowPackage
from krai.integration.tests.factories import administrator, external_system
from krai.orders.models import Order
from krai.org.models import Organisation, Role
from krai.org.tests.factories import OrganisationFactory, StaffFactory, assign

pytestmark = pytest.mark.django_db
CODES = ("transport", "krasnodaravtodor", "finance", "education", "construction", "energy-housing", "health")


def test_the_demo_packages(settings):
    for code in CODES:
        OrganisationFactory(code=code, name=f"Орган {code}")
    OrganisationFactory(code="control", name="Департамент контроля", kind=Organisation.Kind.CONTROL, block=None)
    assign(StaffFactory(surname="Губернатор"), Role.GOVERNOR)
    administrator()
    system = external_system("sed-delo")

    load_docflow(scale=1, stdout=io.StringIO())

    assert DocflowChannel.objects.get(system=system).issuer.surname == "Губернатор"
    assert sorted(DocflowPackage.objects.values_list("status", flat=True)) == ["accepted"] * 3 + ["refused"]
    assert Order.objects.count() == 8
    load_docflow(scale=1, stdout=io.StringIO())
    assert DocflowPackage.objects.count() == 4 and Order.objects.count() == 8


def test_without_a_docflow_system_it_skips():
    out = io.StringIO()
    load_docflow(scale=1, stdout=out)
    assert "skipped" in out.getvalue() and not DocflowPackage.objects.exists()
