"""The community's managed lists as they start: topics people follow and fields of expertise experts choose.

``ensure_seeds()`` adds the entries that are missing (by code) and leaves the rest as staff edited them; the
demo and tests call it. Staff keep the lists afterwards in the admin.
"""

from __future__ import annotations

from django.db import transaction

from krai.core.events.services import record_event
from krai.social.models import ExpertiseField, Topic

#: (code, name in Russian, name in English)
TOPICS: tuple[tuple[str, str, str], ...] = (
    ("roads", "Дороги", "Roads"),
    ("ecology", "Экология", "Ecology"),
    ("education", "Образование", "Education"),
    ("health", "Здравоохранение", "Health"),
    ("housing", "ЖКХ и жильё", "Housing and utilities"),
    ("transport", "Транспорт", "Transport"),
    ("culture", "Культура", "Culture"),
    ("sport", "Спорт", "Sport"),
    ("economy", "Экономика", "Economy"),
    ("digital", "Цифровизация", "Digital services"),
    ("safety", "Безопасность", "Safety"),
    ("tourism", "Туризм", "Tourism"),
)

EXPERTISE_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("law", "Право", "Law"),
    ("construction", "Строительство", "Construction"),
    ("urban-planning", "Градостроительство", "Urban planning"),
    ("public-health", "Общественное здоровье", "Public health"),
    ("education", "Образование", "Education"),
    ("ecology", "Экология", "Ecology"),
    ("economics", "Экономика и финансы", "Economics and finance"),
    ("it", "Информационные технологии", "Information technology"),
    ("transport", "Транспорт", "Transport"),
    ("energy", "Энергетика", "Energy"),
    ("social-policy", "Социальная политика", "Social policy"),
    ("culture", "Культура", "Culture"),
)


def _add_missing(model, rows: tuple[tuple[str, str, str], ...]) -> list[str]:
    known = set(model.objects.filter(code__in=[code for code, _ru, _en in rows]).values_list("code", flat=True))
    added = [model(code=code, name=name, name_en=name_en, sort_order=index)
             for index, (code, name, name_en) in enumerate(rows, start=1) if code not in known]
    model.objects.bulk_create(added)
    return [row.code for row in added]


def ensure_seeds() -> dict[str, list[str]]:
    """Create the topics and fields of expertise that are missing; returns the codes added to each list."""
    with transaction.atomic():
        added = {"topics": _add_missing(Topic, TOPICS), "expertise_fields": _add_missing(ExpertiseField,
                                                                                          EXPERTISE_FIELDS)}
        if added["topics"] or added["expertise_fields"]:
            record_event(kind="social.lists_seeded", payload=added)
    return added
