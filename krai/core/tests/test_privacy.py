"""The one mask of residents' personal data: what it hides, and the ordinary numbers it leaves alone."""

from types import SimpleNamespace

import pytest

from krai.core.privacy import MASK, Erasure, mask_personal

MASKED = [
    ("+7 (861) 123-45-67", "+7 (861) 123-45-67"),
    ("8 861 123 45 67", "8 861 123 45 67"),
    ("8(918)1234567", "8(918)1234567"),
    ("+79181234567", "+79181234567"),
    ("8-918-123-45-67", "8-918-123-45-67"),
    ("89181234567", "89181234567"),
    ("+7 918 123 45 67", "+7 918 123 45 67"),
    ("7-918-123-45-67", "7-918-123-45-67"),
    ("+7 (86137) 1-23-45", "+7 (86137) 1-23-45"),
    ("8 (8617) 12-34-56", "8 (8617) 12-34-56"),
    ("звоните по тел. 123-45-67 вечером", "123-45-67"),
    ("телефон: 1234567", "1234567"),
    ("моб. 12-34-56", "12-34-56"),
    ("пишите ivan.petrov+yama@mail.ru", "ivan.petrov+yama@mail.ru"),
    ("Petrov_I@krasnodar.gov.ru", "Petrov_I@krasnodar.gov.ru"),
    ("СНИЛС 123-456-789 01", "123-456-789 01"),
    ("мой снилс 123 456 789 01", "123 456 789 01"),
    ("СНИЛС: 12345678901", "12345678901"),
    ("паспорт 45 06 123456", "45 06 123456"),
    ("серия и номер 4506 123456", "4506 123456"),
    ("паспорт 4506 №123456", "4506 №123456"),
    ("паспорт РФ 4506123456", "4506123456"),
]


@pytest.mark.parametrize("text,secret", MASKED, ids=[case[0] for case in MASKED])
def test_personal_data_is_masked(text, secret):
    public = mask_personal(f"Яма у дома 5. {text}. Спасибо!")
    assert secret not in public
    assert MASK in public
    assert public.startswith("Яма у дома 5.") and public.endswith(". Спасибо!")


KEPT = [
    "В 2023 году обещали отремонтировать до 2025 года",
    "ул. Красная, д. 12, кв. 34, подъезд 2",
    "смета 1 500 000 руб., из них 250 000 — на дорогу",
    "с 12.05.2023 по 01.09.2024, с 8 до 17 часов",
    "кадастровый номер 23:43:0000000:123 и 23:43:0137001:1234",
    "ИНН администрации 2308012345, ОГРН 1022301598549",
    "индекс 350000, маршрут 8 и 10, 12 квартир",
    "в 8 домах 10 квартир 12 подъездов 14 этажей",
    "площадь 1234,5 кв. м, 45 мест, номер 7",
    "телефон доверия 112",
    "оценка 5 из 5",
]


@pytest.mark.parametrize("text", KEPT)
def test_ordinary_numbers_stay(text):
    assert mask_personal(text) == text


def test_the_mask_is_idempotent_and_keeps_empty_text():
    once = mask_personal("тел. 8 918 123 45 67, почта a@b.ru")
    assert mask_personal(once) == once
    assert mask_personal("") == ""


def test_erasure_scrubs_the_persons_names_in_their_cases_and_his_phone_in_any_spelling():
    person = SimpleNamespace(pk=7, email="petrov@mail.ru", phone="+79181234567", surname="Петров",
                             given_name="Иван", patronymic="Сергеевич")
    erasure = Erasure.of(person)
    text = ("Я, Петров Иван Сергеевич, прошу. Ответ Петрову И. С. на petrov@mail.ru "
            "или 8 (918) 123-45-67; пишите petrov в телеграм")
    scrubbed = erasure.scrub(text)
    for secret in ("Петров", "Иван", "Сергеевич", "petrov", "918", "123-45-67"):
        assert secret.lower() not in scrubbed.lower()
    assert erasure.scrub_json({"excerpt": text, "n": 3, "list": [text]})["n"] == 3
    assert "Петров" not in str(erasure.scrub_json({"excerpt": text, "list": [text]}))
    # someone else's text: only the mentions of him go, other numbers stay
    assert erasure.scrub_mentions("Уважаемый Иван Сергеевич! Горячая линия 8-800-100-00-00") == \
        f"Уважаемый {MASK} {MASK}! Горячая линия 8-800-100-00-00"
