"""The account menu carries "My community profile" and "Messages" with the unread count, which falls to none once
the conversation is read."""

from __future__ import annotations

import re

import pytest

from krai.org.tests.factories import UserFactory
from krai.social import services

pytestmark = pytest.mark.django_db


def _badge(html: str) -> str | None:
    found = re.search(r'krai-account-link-social-messages"[^>]*>[^<]*<span class="badge[^"]*">(\d+)', html)
    return found.group(1) if found else None


def test_unread_messages_show_on_the_account_menu_until_read(client):
    anna, boris = UserFactory(), UserFactory()
    conversation, _message = services.conversation_start(actor=anna, recipients=[boris], body="Добрый день!")
    services.message_send(actor=anna, conversation=conversation, body="Вы здесь?")
    client.force_login(boris)
    html = client.get("/community/").content.decode()
    assert 'href="/community/me/"' in html and _badge(html) == "2"
    client.get(f"/community/messages/{conversation.pk}/")  # reading it
    assert _badge(client.get("/community/").content.decode()) is None
