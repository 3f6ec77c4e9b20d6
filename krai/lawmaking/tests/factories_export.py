"""Test data of the export part: an initiative with a draft of two versions (provisions written as rows), comments
anchored to them, amendments in each state, reviews, a comment on the initiative and a reaction — everything the
export shows, written directly as a fixture (the parts' services are tested by their own tests)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType

from krai.core.comments.models import Comment
from krai.lawmaking.models import (
    Amendment,
    Annotation,
    Initiative,
    Provision,
    Reaction,
    Review,
    Stage,
    Version,
)
from krai.lawmaking.tests.factories import field, initiative, verified_expert
from krai.org.tests.factories import UserFactory

TITLE = "О поддержке сельских библиотек Краснодарского края"

#: (key, kind, label, heading, text) of the current version
PROVISIONS = [
    ("1", "article", "Статья 1.", "Предмет регулирования", ""),
    ("1.1", "part", "1.", "", "Настоящий закон устанавливает меры поддержки сельских библиотек."),
    ("2", "article", "Статья 2.", "Меры поддержки", ""),
    ("2.1", "part", "1.", "", "Поддержка оказывается в виде субсидий на комплектование фондов."),
    ("2.1.1", "paragraph", "1)", "", "приобретение книг и периодических изданий;"),
    ("2.1.2", "paragraph", "2)", "", "подключение к сети Интернет."),
    ("3", "article", "Статья 3.", "Вступление в силу", "Закон вступает в силу через десять дней."),
]


def version(item: Initiative, number: int, provisions: list[tuple[str, str, str, str, str]] | None = None,
            **fields: Any) -> Version:
    rows = PROVISIONS if provisions is None else provisions
    text = "\n".join(f"{label} {heading} {body}".strip() for _k, _kind, label, heading, body in rows)
    made = Version.objects.create(initiative=item, number=number, text=text, **fields)
    Provision.objects.bulk_create(Provision(version=made, key=key, kind=kind, label=label, heading=heading,
                                            text=body, position=n)
                                  for n, (key, kind, label, heading, body) in enumerate(rows))
    return made


def full_initiative(stage: str = Stage.CLOSED, **fields: Any) -> Initiative:
    """An initiative at ``stage`` with all the export shows (a reaction only when closed)."""
    values = {"title": TITLE, "problem": "Сельские библиотеки закрываются: нет средств на книги.",
              "proposal": "Ввести субсидии сельским библиотекам.", **fields}
    item = initiative(stage, **values)
    first = version(item, 1, PROVISIONS[:4])
    current = version(item, 2)
    resident, other = UserFactory(given_name="Мария", surname="Соколова"), UserFactory()
    Annotation.objects.create(initiative=item, version=current, key="2.1", quote="субсидий",
                              body="Звоните мне: +7 918 123-45-67, обсудим размер субсидий.", author=resident)
    Annotation.objects.create(initiative=item, version=current, key="1.1", body="Скрытый комментарий",
                              author=other, hidden_at=item.created_at, hidden_reason="Спам")
    Amendment.objects.create(initiative=item, version=first, key="2.1", proposed_text="Добавить подключение к "
                             "сети Интернет.", justification="Читатели просят.", author=resident,
                             status=Amendment.Status.ACCEPTED, decision_reason="Принято: полезно.", applied_in=current)
    Amendment.objects.create(initiative=item, version=current, key="3", proposed_text="Через месяц.",
                             author=other, status=Amendment.Status.REJECTED, decision_reason="Срок достаточен.")
    expert = verified_expert("law")
    Review.objects.create(initiative=item, version=current, expert=expert, field=field("law"),
                          conclusion=Review.Conclusion.REMARKS, summary="Проект в целом соответствует закону.",
                          corruption_risks_found=True, corruption_findings="Широкие дискреционные полномочия.",
                          proposals="Уточнить порядок отбора.")
    Comment.objects.create(content_type=ContentType.objects.get_for_model(Initiative), object_id=str(item.pk),
                           author=resident, body="Поддерживаю, библиотека в нашей станице закрылась.")
    if stage == Stage.CLOSED:
        Reaction.objects.create(initiative=item, decision=Reaction.Decision.ADOPTED_CHANGED,
                                reasons="Принят с уточнениями порядка отбора.", act_title="Закон Краснодарского края",
                                act_number="4321-КЗ", act_date=date(2025, 3, 1), body=item.responsible_body,
                                due=date(2099, 1, 1))
    return item
