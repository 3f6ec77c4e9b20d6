"""The parser of a draft's text: articles, parts, paragraphs; the preamble; texts without articles; errors."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from krai.lawmaking import provisions as p

RU = """О благоустройстве дворовых территорий

Статья 1. Предмет регулирования
Настоящий закон регулирует:
1) порядок благоустройства;
2) ответственность.

Статья 2. Основные понятия
1. Дворовая территория — территория, прилегающая к дому.
2. Благоустройство включает:
1) озеленение;
а) посадку деревьев;
б) устройство газонов;
2) освещение.
3. Иные понятия используются в значениях,
определённых федеральным законом."""


def keys(text: str) -> list[str]:
    return [item.key for item in p.parse(text)]


def test_russian_layout() -> None:
    items = p.parse(RU)
    assert [i.key for i in items] == ["0", "1", "1.1", "1.2", "2", "2.1", "2.2", "2.2.1", "2.2.1.а", "2.2.1.б",
                                      "2.2.2", "2.3"]
    by = {i.key: i for i in items}
    assert by["0"].kind == p.PREAMBLE and by["0"].text == "О благоустройстве дворовых территорий"
    assert by["1"].kind == p.ARTICLE and by["1"].heading == "Предмет регулирования"
    assert by["1"].label == "Статья 1." and by["1"].text == "Настоящий закон регулирует:"
    assert by["1.1"].kind == p.PARAGRAPH and by["1.1"].label == "1)"
    assert by["2.1"].kind == p.PART and by["2.1"].text.startswith("Дворовая")
    assert by["2.2.1.а"].label == "а)" and by["2.2.1.а"].text == "посадку деревьев;"
    assert by["2.3"].text == "Иные понятия используются в значениях,\nопределённых федеральным законом."


def test_english_layout_and_letters_without_points() -> None:
    text = "Article 1. Scope\n1. This act applies to:\na) yards;\nb) parks.\nArticle 2.\nText of two."
    items = p.parse(text)
    assert [i.key for i in items] == ["1", "1.1", "1.1.a", "1.1.b", "2"]
    assert items[0].label == "Article 1." and items[0].heading == "Scope"
    assert items[-1].heading == "" and items[-1].text == "Text of two."


def test_odd_spacing_is_normalised() -> None:
    text = "\r\n\r\n   Статья   1 .   Предмет  \r\n\t1.   Первая   часть.  \r\n\r\n\r\n\r\n  2.  Вторая.\r\n\r\n"
    items = p.parse(text)
    assert [(i.key, i.label, i.heading, i.text) for i in items] == [
        ("1", "Статья 1.", "Предмет", ""), ("1.1", "1.", "", "Первая часть."), ("1.2", "2.", "", "Вторая.")]


def test_render_round_trips() -> None:
    items = p.parse(RU)
    text = p.render(items)
    assert p.parse(text) == items
    assert p.render(p.parse(text)) == text
    canonical = "Преамбула.\n\nСтатья 1. А\n1. Часть.\n1) пункт.\n\nСтатья 2. Б\nТекст\n\nещё абзац."
    assert p.render(p.parse(canonical)) == canonical


def test_text_without_articles_becomes_paragraphs() -> None:
    items = p.parse("Первый абзац\nпродолжение.\n\n\n1. Не часть, статей нет.\n\nТретий.")
    assert [(i.key, i.kind, i.text) for i in items] == [
        ("p1", p.PARAGRAPH, "Первый абзац\nпродолжение."), ("p2", p.PARAGRAPH, "1. Не часть, статей нет."),
        ("p3", p.PARAGRAPH, "Третий.")]
    assert p.parse(p.render(items)) == items


@pytest.mark.parametrize(("text", "message"), [
    ("Статья 1. А\nСтатья 2. Б\nСтатья 1. В", "Article 1 appears twice (lines 1 and 3)."),
    ("Article 3. A\n1. x\n1. y", "Part 3.1 appears twice (lines 2 and 3)."),
    ("Статья 2. А\n1. x\n1) a\n1) b", "Paragraph 2.1.1 appears twice (lines 3 and 4)."),
])
def test_duplicate_numbers_name_the_line(text: str, message: str) -> None:
    with pytest.raises(ValidationError) as error:
        p.parse(text)
    assert error.value.message_dict["text"] == [message]


def test_errors() -> None:
    with pytest.raises(ValidationError, match="too long"):
        p.parse("а" * (p.MAX_TEXT + 1))
    with pytest.raises(ValidationError, match="empty"):
        p.parse("  \n\t\n")
    with pytest.raises(ValidationError, match="whole numbers"):
        p.parse("Статья 1. А\nСтатья 1.1. Б")
    with pytest.raises(ValidationError, match="heading"):
        p.parse("Статья 1. " + "х" * 501)


def test_tree_and_keys() -> None:
    top = p.tree(p.parse(RU))
    assert [i.key for i in top] == ["0", "1", "2"]
    assert [c.key for c in top[2].children] == ["2.1", "2.2", "2.3"]
    assert [c.key for c in top[2].children[1].children] == ["2.2.1", "2.2.2"]
    assert [c.key for c in top[2].children[1].children[0].children] == ["2.2.1.а", "2.2.1.б"]
    assert p.valid_key("2.2.1.а") and p.valid_key("p3") and p.valid_key("0")
    assert not p.valid_key("1;drop") and not p.valid_key("")
    assert p.describe(p.PARAGRAPH, "2.3") == "Paragraph 2.3"
