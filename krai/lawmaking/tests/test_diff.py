"""The readable difference of two versions: per provision, then per word, as safe HTML."""

from __future__ import annotations

import pytest
from django.utils import translation

from krai.lawmaking import diff
from krai.lawmaking import provisions as p

OLD = "Статья 1. Предмет\n1. Закон регулирует дворы.\n2. Вторая часть.\n3. Третья часть.\n\nСтатья 2. Б\nТекст."
NEW = "Статья 1. Предмет\n1. Закон регулирует дворы и парки.\n3. Третья часть.\n4. Новая.\n\nСтатья 2. Б\nТекст."


@pytest.fixture(autouse=True)
def _english():
    """Messages are compared in English (the catalogue's Russian comes with the area's .po)."""
    with translation.override("en"):
        yield


def test_per_provision_statuses_in_order() -> None:
    entries = diff.compare(p.parse(OLD), p.parse(NEW))
    assert [(e.key, e.status) for e in entries] == [
        ("1", "unchanged"), ("1.1", "changed"), ("1.2", "removed"), ("1.3", "unchanged"), ("1.4", "added"),
        ("2", "unchanged")]
    assert diff.summary(entries) == {"added": 1, "removed": 1, "changed": 1, "unchanged": 3}


def test_word_level_diff() -> None:
    entries = {e.key: e for e in diff.compare(p.parse(OLD), p.parse(NEW))}
    assert str(entries["1.1"].html) == "Закон регулирует <del>дворы.</del><ins>дворы и парки.</ins>"
    assert str(entries["1.2"].html) == "<del>Вторая часть.</del>"
    assert str(entries["1.4"].html) == "<ins>Новая.</ins>"
    assert diff.word_diff("a b c", "a x c") == "a <del>b </del><ins>x </ins>c"


def test_everything_is_escaped() -> None:
    html = str(diff.word_diff('<b>жирный</b> "x" & y', '<script>alert(1)</script> "x" & y'))
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;" in html and "&amp;" in html and "&quot;" in html
    old = p.parse("Статья 1. <i>A</i>\n1. <img src=x onerror=alert(1)>")
    new = p.parse("Статья 1. <i>A</i>\n2. <svg onload=alert(1)>")
    for entry in diff.compare(old, new):
        text = str(entry.html)
        assert "<img" not in text and "<svg" not in text and "<i>" not in text
        assert text.replace("<ins>", "").replace("</ins>", "").replace("<del>", "").replace("</del>", "").count(
            "<") == 0


def test_heading_change_is_a_change() -> None:
    entries = diff.compare(p.parse("Статья 1. Старое\nТекст."), p.parse("Статья 1. Новое\nТекст."))
    assert entries[0].status == "changed" and "<del>Старое" in str(entries[0].html)
