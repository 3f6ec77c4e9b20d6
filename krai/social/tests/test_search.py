"""The community in the site-wide search: a public publication and a listed person are found; a followers-only
or hidden publication, and a person who left the people search, are not — and a change takes them out again."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from krai.core.events import dispatch
from krai.core.search.selectors import search
from krai.org.models import Role
from krai.org.tests.factories import StaffFactory, UserFactory, assign
from krai.social import services

pytestmark = pytest.mark.django_db


def _deliver() -> None:
    while dispatch.deliver_pending().attempted:
        pass


def _found(query: str) -> list[str]:
    return [result.url for result in search(user=AnonymousUser(), query=query)]


def test_public_publications_are_found_until_hidden_or_narrowed(django_capture_on_commit_callbacks):
    author, moderator = UserFactory(), StaffFactory()
    assign(moderator, Role.CONTROLLER)
    public = services.publication_create(actor=author, body="Субботник на набережной в субботу")
    private = services.publication_create(actor=author, body="Субботник для своих", audience="followers")
    _deliver()
    assert _found("субботник") == [public.get_absolute_url()]
    services.content_hide(actor=moderator, target=public, reason="Реклама")
    _deliver()
    assert _found("субботник") == []
    services.content_restore(actor=moderator, target=public)
    services.publication_edit(actor=author, publication=private, audience="public")
    _deliver()
    assert sorted(_found("субботник")) == sorted([public.get_absolute_url(), private.get_absolute_url()])
    services.publication_delete(actor=author, publication=public)
    _deliver()
    assert _found("субботник") == [private.get_absolute_url()]


def test_people_are_found_by_name_and_public_fields_while_listed(django_capture_on_commit_callbacks):
    person = UserFactory()
    services.profile_update(actor=person, user=person, display_name="Евдокия Градостроева",
                            position="Архитектор", about="Телефон 8 918 123-45-67", privacy={"about": "public"})
    _deliver()
    url = f"/community/people/{person.pk}/"
    assert _found("Градостроева") == [url] and _found("архитектор") == [url]
    assert _found("123-45-67") == []  # masked before indexing
    services.profile_update(actor=person, user=person, is_discoverable=False)
    _deliver()
    assert _found("Градостроева") == []
