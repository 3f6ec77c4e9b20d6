"""The account menu's area links: shown to signed-in people with their counts, their URLs resolved; none for
visitors; a link whose page does not exist is left out."""

from __future__ import annotations

import pytest

from krai.core import account_menu

pytestmark = pytest.mark.django_db


def test_links_show_with_their_counts_and_only_where_their_page_exists(client, citizen, monkeypatch):
    monkeypatch.setattr(account_menu, "_links", {})
    account_menu.register_account_link("inbox", "Входящие", "notifications:inbox", count=lambda user: 3)
    account_menu.register_account_link("nowhere", "Нигде", "nowhere:page")
    assert account_menu.links_for(None) == []
    shown = account_menu.links_for(citizen)
    assert [(link.key, link.count) for link in shown] == [("inbox", 3)]
    client.force_login(citizen)
    html = client.get("/").content.decode()
    assert "krai-account-link-inbox" in html and "krai-account-badge" in html
    assert "Нигде" not in html
