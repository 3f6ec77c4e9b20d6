"""The templates' services: made, changed, removed and generated now by their owner, each an audited event; bad
input refused by field with nothing saved; only the owner changes or generates a template; only staff keep one."""

from __future__ import annotations

from datetime import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from krai.core.events.models import Event
from krai.org.tests.factories import StaffFactory, UserFactory
from krai.reports import services
from krai.reports.models import Edition, Template

pytestmark = pytest.mark.django_db


def kinds() -> list[str]:
    return list(Event.objects.filter(kind__startswith="reports.").order_by("id").values_list("kind", flat=True))


def test_make_change_generate_remove_are_audited(django_capture_on_commit_callbacks):
    owner, reader = StaffFactory(), StaffFactory()
    template = services.template_create(actor=owner, title=" Еженедельный отчёт ", sections=["rankings", "rankings"],
                                        frequency="weekly", weekday=4, at=time(8, 0), recipients=[reader])
    assert (template.title, template.sections, template.owner) == ("Еженедельный отчёт", ["rankings"], owner)
    assert list(template.recipients.all()) == [reader]
    services.template_update(actor=owner, template=template, title="Еженедельный отчёт")  # no change: no event
    services.template_update(actor=owner, template=template, day=5, publication="portal", recipients=[])
    template.refresh_from_db()
    assert (template.day, template.publication, list(template.recipients.all())) == (5, "portal", [])
    with django_capture_on_commit_callbacks(execute=True):
        edition = services.edition_generate_now(actor=owner, template=template)
    edition.refresh_from_db()
    assert edition.status == Edition.Status.DONE and edition.public, edition.error
    with django_capture_on_commit_callbacks(execute=True):
        again = services.edition_generate_now(actor=owner, template=template)  # the same period: the same row
    assert again.pk == edition.pk and Edition.objects.count() == 1
    services.template_delete(actor=owner, template=template)
    assert not Template.objects.exists() and not Edition.objects.exists()
    assert kinds() == ["reports.template_created", "reports.template_updated", "reports.edition_requested",
                       "reports.edition_made", "reports.edition_requested", "reports.edition_made",
                       "reports.template_deleted"]


def test_bad_input_is_refused_by_field():
    owner = StaffFactory()
    with pytest.raises(ValidationError) as refused:
        services.template_create(actor=owner, title="", sections=["nonsense"], frequency="daily", weekday=9,
                                 day=31)
    assert set(refused.value.message_dict) == {"title", "sections", "frequency", "weekday", "day"}
    with pytest.raises(ValidationError) as refused:
        services.template_create(actor=owner, title="Отчёт", sections=["orders"], recipients=[UserFactory()])
    assert set(refused.value.message_dict) == {"recipients"}
    assert not Template.objects.exists() and not Event.objects.exists()


def test_only_the_owner_changes_and_only_staff_keep_templates():
    owner, other = StaffFactory(), StaffFactory()
    template = services.template_create(actor=owner, title="Отчёт", sections=["orders"])
    for action in (lambda: services.template_update(actor=other, template=template, title="Чужой"),
                   lambda: services.edition_generate_now(actor=other, template=template),
                   lambda: services.template_delete(actor=other, template=template)):
        with pytest.raises(PermissionDenied):
            action()
    with pytest.raises(PermissionDenied):
        services.template_create(actor=UserFactory(), title="Отчёт", sections=["orders"])
    assert Template.objects.get().title == "Отчёт"
