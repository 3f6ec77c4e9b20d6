"""The 89 federal subjects of Russia with their official codes (the tax service's and the address registry's
codes of subjects: 23 Krasnodar Krai, 77 Moscow, 90 Zaporozhye, 93 Donetsk …), and how a name in somebody's
spreadsheet finds its region: the full name, the name without "Республика"/"г.", or a common short form."""

from __future__ import annotations

import re

#: (code, name, name_en, short forms people write)
REGIONS: list[tuple[str, str, str, tuple[str, ...]]] = [
    ("01", "Республика Адыгея", "Republic of Adygea", ("Адыгея",)),
    ("02", "Республика Башкортостан", "Republic of Bashkortostan", ("Башкирия",)),
    ("03", "Республика Бурятия", "Republic of Buryatia", ("Бурятия",)),
    ("04", "Республика Алтай", "Altai Republic", ()),
    ("05", "Республика Дагестан", "Republic of Dagestan", ("Дагестан",)),
    ("06", "Республика Ингушетия", "Republic of Ingushetia", ("Ингушетия",)),
    ("07", "Кабардино-Балкарская Республика", "Kabardino-Balkarian Republic", ("Кабардино-Балкария", "КБР")),
    ("08", "Республика Калмыкия", "Republic of Kalmykia", ("Калмыкия",)),
    ("09", "Карачаево-Черкесская Республика", "Karachay-Cherkess Republic", ("Карачаево-Черкесия", "КЧР")),
    ("10", "Республика Карелия", "Republic of Karelia", ("Карелия",)),
    ("11", "Республика Коми", "Komi Republic", ("Коми",)),
    ("12", "Республика Марий Эл", "Mari El Republic", ("Марий Эл",)),
    ("13", "Республика Мордовия", "Republic of Mordovia", ("Мордовия",)),
    ("14", "Республика Саха (Якутия)", "Sakha (Yakutia) Republic", ("Якутия", "Саха")),
    ("15", "Республика Северная Осетия — Алания", "Republic of North Ossetia–Alania", ("Северная Осетия",)),
    ("16", "Республика Татарстан", "Republic of Tatarstan", ("Татарстан",)),
    ("17", "Республика Тыва", "Tuva Republic", ("Тыва", "Тува")),
    ("18", "Удмуртская Республика", "Udmurt Republic", ("Удмуртия",)),
    ("19", "Республика Хакасия", "Republic of Khakassia", ("Хакасия",)),
    ("20", "Чеченская Республика", "Chechen Republic", ("Чечня",)),
    ("21", "Чувашская Республика", "Chuvash Republic", ("Чувашия",)),
    ("22", "Алтайский край", "Altai Krai", ()),
    ("23", "Краснодарский край", "Krasnodar Krai", ("Кубань",)),
    ("24", "Красноярский край", "Krasnoyarsk Krai", ()),
    ("25", "Приморский край", "Primorsky Krai", ("Приморье",)),
    ("26", "Ставропольский край", "Stavropol Krai", ()),
    ("27", "Хабаровский край", "Khabarovsk Krai", ()),
    ("28", "Амурская область", "Amur Oblast", ()),
    ("29", "Архангельская область", "Arkhangelsk Oblast", ()),
    ("30", "Астраханская область", "Astrakhan Oblast", ()),
    ("31", "Белгородская область", "Belgorod Oblast", ()),
    ("32", "Брянская область", "Bryansk Oblast", ()),
    ("33", "Владимирская область", "Vladimir Oblast", ()),
    ("34", "Волгоградская область", "Volgograd Oblast", ()),
    ("35", "Вологодская область", "Vologda Oblast", ()),
    ("36", "Воронежская область", "Voronezh Oblast", ()),
    ("37", "Ивановская область", "Ivanovo Oblast", ()),
    ("38", "Иркутская область", "Irkutsk Oblast", ()),
    ("39", "Калининградская область", "Kaliningrad Oblast", ()),
    ("40", "Калужская область", "Kaluga Oblast", ()),
    ("41", "Камчатский край", "Kamchatka Krai", ()),
    ("42", "Кемеровская область — Кузбасс", "Kemerovo Oblast — Kuzbass", ("Кемеровская область", "Кузбасс")),
    ("43", "Кировская область", "Kirov Oblast", ()),
    ("44", "Костромская область", "Kostroma Oblast", ()),
    ("45", "Курганская область", "Kurgan Oblast", ()),
    ("46", "Курская область", "Kursk Oblast", ()),
    ("47", "Ленинградская область", "Leningrad Oblast", ()),
    ("48", "Липецкая область", "Lipetsk Oblast", ()),
    ("49", "Магаданская область", "Magadan Oblast", ()),
    ("50", "Московская область", "Moscow Oblast", ("Подмосковье",)),
    ("51", "Мурманская область", "Murmansk Oblast", ()),
    ("52", "Нижегородская область", "Nizhny Novgorod Oblast", ()),
    ("53", "Новгородская область", "Novgorod Oblast", ()),
    ("54", "Новосибирская область", "Novosibirsk Oblast", ()),
    ("55", "Омская область", "Omsk Oblast", ()),
    ("56", "Оренбургская область", "Orenburg Oblast", ()),
    ("57", "Орловская область", "Oryol Oblast", ()),
    ("58", "Пензенская область", "Penza Oblast", ()),
    ("59", "Пермский край", "Perm Krai", ()),
    ("60", "Псковская область", "Pskov Oblast", ()),
    ("61", "Ростовская область", "Rostov Oblast", ()),
    ("62", "Рязанская область", "Ryazan Oblast", ()),
    ("63", "Самарская область", "Samara Oblast", ()),
    ("64", "Саратовская область", "Saratov Oblast", ()),
    ("65", "Сахалинская область", "Sakhalin Oblast", ()),
    ("66", "Свердловская область", "Sverdlovsk Oblast", ()),
    ("67", "Смоленская область", "Smolensk Oblast", ()),
    ("68", "Тамбовская область", "Tambov Oblast", ()),
    ("69", "Тверская область", "Tver Oblast", ()),
    ("70", "Томская область", "Tomsk Oblast", ()),
    ("71", "Тульская область", "Tula Oblast", ()),
    ("72", "Тюменская область", "Tyumen Oblast", ()),
    ("73", "Ульяновская область", "Ulyanovsk Oblast", ()),
    ("74", "Челябинская область", "Chelyabinsk Oblast", ()),
    ("75", "Забайкальский край", "Zabaykalsky Krai", ()),
    ("76", "Ярославская область", "Yaroslavl Oblast", ()),
    ("77", "г. Москва", "Moscow", ("Москва",)),
    ("78", "г. Санкт-Петербург", "Saint Petersburg", ("Санкт-Петербург", "Петербург", "СПб")),
    ("79", "Еврейская автономная область", "Jewish Autonomous Oblast", ("ЕАО",)),
    ("83", "Ненецкий автономный округ", "Nenets Autonomous Okrug", ("НАО",)),
    ("86", "Ханты-Мансийский автономный округ — Югра", "Khanty-Mansi Autonomous Okrug — Yugra",
     ("Ханты-Мансийский автономный округ", "ХМАО", "Югра", "ХМАО — Югра")),
    ("87", "Чукотский автономный округ", "Chukotka Autonomous Okrug", ("Чукотка",)),
    ("89", "Ямало-Ненецкий автономный округ", "Yamalo-Nenets Autonomous Okrug", ("ЯНАО",)),
    ("90", "Запорожская область", "Zaporozhye Oblast", ()),
    ("91", "Республика Крым", "Republic of Crimea", ("Крым",)),
    ("92", "г. Севастополь", "Sevastopol", ("Севастополь",)),
    ("93", "Донецкая Народная Республика", "Donetsk People's Republic", ("ДНР",)),
    ("94", "Луганская Народная Республика", "Lugansk People's Republic", ("ЛНР",)),
    ("95", "Херсонская область", "Kherson Oblast", ()),
]

_DROP = re.compile(r"^(республика|г|город)\s+|\s+(республика)$")


def normalise(name: str) -> str:
    """Lower case, ё as е, every dash, dot, bracket and run of spaces as one space."""
    text = (name or "").lower().replace("ё", "е")
    text = re.sub(r"[\s\-–—.,()«»\"']+", " ", text)
    return text.strip()


def keys_of(name: str, short_forms: tuple[str, ...] = ()) -> set[str]:
    """Every normalised spelling that names this region."""
    out = set()
    for spelling in (name, *short_forms):
        key = normalise(spelling)
        out.add(key)
        out.add(_DROP.sub("", key).strip())
    return {key for key in out if key}


def code_of(value: object) -> str | None:
    """``"23"``, ``"023"``, ``23`` or ``"1"`` → the two-digit code; None when the value is not a number."""
    text = str(value if value is not None else "").strip()
    if text.endswith(".0"):  # a spreadsheet's number cell
        text = text[:-2]
    return text.zfill(2)[-2:] if text.isdigit() and 0 < int(text) < 100 else None
