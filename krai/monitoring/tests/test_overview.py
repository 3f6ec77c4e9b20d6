"""The monitoring overview and turning a finding into an order."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from krai.monitoring import tiles
from krai.monitoring.findings import finding_to_order
from krai.orders.models import Assignment
from krai.org.models import Role
from krai.org.tests.factories import OrganisationFactory, StaffFactory, UserFactory, assign

pytestmark = pytest.mark.django_db


def test_the_overview_shows_the_registered_tiles_to_staff_only(client):
    @tiles.register("test", order=1)
    def tile(user):
        return tiles.Tile("test", "Test monitor", "/x/", figures=[("Things", 7, "danger")])

    try:
        staff = StaffFactory()
        client.force_login(staff)
        page = client.get(reverse("monitoring:home"))
        assert page.status_code == 200
        assert 'data-tile="test"' in page.content.decode() and "Test monitor" in page.content.decode()
        client.force_login(UserFactory())
        assert client.get(reverse("monitoring:home")).status_code == 403
    finally:
        tiles._TILES.pop("test")


def test_a_figure_links_to_its_list_and_a_plain_tuple_still_renders(client):
    @tiles.register("test", order=1)
    def tile(user):
        return tiles.Tile("test", "Test monitor", "/x/", figures=[
            tiles.Figure("Late", 3, "danger", "/x/?late=1"), ("Plain", 4, "")], note="Note", note_url="/x/?all=1")

    try:
        figure = tiles.Figure("Late", 3, "danger", "/x/?late=1")
        label, value, tone = figure  # unpacks like the plain tuples tiles used to give
        assert (label, value, tone, figure.url) == ("Late", 3, "danger", "/x/?late=1")
        assert copy.deepcopy(figure).url == "/x/?late=1" and copy.deepcopy(figure) == figure
        client.force_login(StaffFactory())
        page = client.get(reverse("monitoring:home")).content.decode()
        assert 'href="/x/?late=1" data-figure>3</a>' in page and 'href="/x/?all=1">Note</a>' in page
        assert ">4</dd>" in page
    finally:
        tiles._TILES.pop("test")


def test_a_finding_becomes_one_assignment_of_the_control_engine():
    organisation = OrganisationFactory()
    controller = StaffFactory()
    assign(controller, Role.CONTROLLER)
    subject = OrganisationFactory()  # any saved object a finding is about
    assignment = finding_to_order(actor=controller, kind="monitoring.test", subject=subject, title="Разобраться",
                                  executor_organisation=organisation, deadline=dt.date.today() + dt.timedelta(days=10))
    assert Assignment.objects.get(pk=assignment.pk).executor_organisation_id == organisation.pk
    with pytest.raises(ValidationError):
        finding_to_order(actor=controller, kind="monitoring.test", subject=subject, title="Ещё раз",
                         executor_organisation=organisation, working_days=5)
    with pytest.raises(ValidationError):
        finding_to_order(actor=controller, kind="monitoring.test", subject=organisation, title="Без срока",
                         executor_organisation=organisation)
