"""Mass media: 100,000 articles matched against 500 topics on lemmas, against a regex per topic measured in the same
run, with the recall of both on the mentions planted; and the story grouping (MinHash + LSH) over 20,000 of them.

    .venv/bin/python bench/bench_media_matching.py [--articles 100000] [--topics 500] [--stories 20000] [--seed 1]
    .venv/bin/python bench/bench_media_matching.py --quick   # 10,000 articles × 100 topics, 5,000 for the stories

The full run takes about 12 minutes on the shared 2-core development machine (load average ~3), 11 of them the
regex peer; ``--quick`` about 30 seconds.

No database: Krai's path is the ingest's own — each topic is a ``Topic`` built in memory (its body, municipality or
official an unsaved model instance), its ``term_list()`` compiled by ``text.TermMatcher`` exactly as
``ingest.topic_matcher`` does, and each article matched on ``f"{title}\\n{text}"`` as ``ingest.record_mentions``
does; only the ``Mention`` rows it would then write are left out. The story grouping calls ``stories.signature``
and ``StoryIndex.nearest_story``/``add`` as ``ingest._store`` does, a new story an in-memory counter.

The corpus (seeded, deterministic):

* topics — 30 % bodies (``министерство`` / ``департамент`` / ``комитет`` … + a fixed genitive: «департамент
  транспорта и дорожного хозяйства»), 30 % officials (a made-up male surname in -ов/-ев/-ин and a given name: the
  terms «Иван Кабатов» and «Кабатов»), 20 % municipalities («Лумесский район», «Лумесский муниципальный округ»),
  20 % keyword sets of 3–10 terms from a pool of 100 words and adjective + noun phrases;
* articles — a title and 1–3 paragraphs of 3–5 sentences of 7–14 words, each word a form of a news lemma in a
  random case, number or tense (pymorphy3's lexeme of the lemma); the filler never holds a word whose lemma starts
  a term. 40 % of the articles mention 1–3 topics, each mention one of the topic's terms put in one of the six
  cases (the head noun inflected, adjectives agreeing, a genitive complement kept; surnames and made-up adjectives
  inflected by their endings);
* stories — the first articles again, 20 % of them a reprint of one of the 500 before, edited: 0–12 % of the words
  replaced, a sentence dropped (30 %), the title rewritten (50 %).

Printed: the time to compile the topics, the matching's total seconds and articles per second, for Krai and for the
peer — one compiled regex per topic (its terms as written, folded, between word boundaries) over the folded text:
what matching without morphology costs and finds. Recall and precision are counted over (article, topic) pairs
against the pairs planted (a planted keyword is expected for every keyword set holding it). Then the story
grouping: seconds, articles per second, and pairwise precision and recall against the planted groups.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "krai.settings")

CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
SURNAME_ENDINGS = {"nomn": "", "gent": "а", "datv": "у", "accs": "а", "ablt": "ым", "loct": "е"}
SKY_ENDINGS = {"nomn": "ий", "gent": "ого", "datv": "ому", "accs": "ий", "ablt": "им", "loct": "ом"}
HEADS = ("министерство", "департамент", "комитет", "управление", "агентство", "инспекция", "служба")
DOMAINS = ("здравоохранения", "образования и науки", "транспорта и дорожного хозяйства", "культуры",
           "физической культуры и спорта", "экономического развития", "сельского хозяйства", "строительства",
           "жилищно-коммунального хозяйства", "природных ресурсов", "труда и занятости", "социальной защиты",
           "финансов", "имущественных отношений", "молодёжной политики", "туризма", "цифрового развития",
           "промышленности и торговли", "архитектуры и градостроительства", "по делам семьи", "ветеринарии",
           "лесного хозяйства", "юстиции", "гражданской обороны", "региональной безопасности")
GIVEN_NAMES = ("Иван", "Сергей", "Алексей", "Дмитрий", "Андрей", "Михаил", "Павел", "Олег", "Игорь", "Виктор",
               "Николай", "Юрий", "Роман", "Евгений", "Владимир")
KEYWORDS = ("газификация", "капитальный ремонт", "водоснабжение", "канализация", "отопление", "тариф", "свалка",
            "мусорный полигон", "паводок", "пожар", "авария", "больница", "поликлиника", "школа", "детский сад",
            "стадион", "бассейн", "мост", "трасса", "автобус", "электричка", "аэропорт", "вокзал", "пенсионер",
            "ветеран", "многодетная семья", "ипотека", "аренда", "инвестор", "завод", "фабрика", "ферма", "урожай",
            "зерно", "молоко", "субсидия", "грант", "налог", "кредит", "зарплата", "безработица", "вакансия",
            "мигрант", "коррупция", "взятка", "прокуратура", "суд", "полиция", "штраф", "дорожная яма",
            "светофор", "тротуар", "парк", "сквер", "набережная", "памятник", "музей", "театр", "библиотека",
            "фестиваль", "выставка", "турнир", "чемпионат", "олимпиада", "экзамен", "студент", "университет",
            "колледж", "врач", "медсестра", "вакцинация", "эпидемия", "лекарство", "аптека", "скорая помощь",
            "экология", "выброс", "лес", "река", "озеро", "рыба", "охота", "газопровод", "электроснабжение",
            "интернет", "связь", "почта", "благоустройство", "детская площадка", "общежитие", "аварийное жильё",
            "переселение", "застройщик", "дольщик", "снос", "реконструкция", "тендер", "контракт", "волонтёр",
            "донор")
NOUNS = ("год", "неделя", "день", "месяц", "житель", "вопрос", "проект", "решение", "работа", "встреча",
         "заседание", "совещание", "программа", "средство", "человек", "глава", "заместитель", "специалист",
         "сотрудник", "участник", "гражданин", "место", "время", "срок", "план", "итог", "результат", "рост",
         "число", "доля", "объём", "рубль", "миллион", "процент", "часть", "случай", "ситуация", "событие",
         "мероприятие", "обращение", "заявка", "документ", "закон", "порядок", "правило", "условие", "задача",
         "цель", "направление", "развитие", "поддержка", "помощь", "проверка", "жалоба", "ответ", "мнение",
         "сообщение", "информация", "данные", "отчёт", "площадь", "улица", "дом", "здание", "территория",
         "объект", "участок", "дорога", "край", "регион", "страна", "центр", "компания", "предприятие",
         "организация", "учреждение", "власть", "сторона", "журналист", "издание", "новость", "начало", "конец",
         "неделя", "утро", "вечер", "очередь", "смена", "этап", "шаг", "мера", "показатель", "уровень")
ADJECTIVES = ("новый", "большой", "главный", "местный", "областной", "краевой", "городской", "сельский",
              "общий", "важный", "первый", "второй", "последний", "ближайший", "прошлый", "текущий", "дополнительный",
              "необходимый", "социальный", "общественный", "старый", "крупный", "малый", "единый", "средний",
              "высокий", "низкий", "летний", "зимний", "весенний", "осенний", "федеральный", "частный", "открытый")
VERBS = ("сообщить", "рассказать", "заявить", "отметить", "подчеркнуть", "провести", "начать", "закончить",
         "получить", "выделить", "построить", "открыть", "закрыть", "обсудить", "рассмотреть", "принять",
         "утвердить", "планировать", "продолжить", "выполнить", "проверить", "обратиться", "увеличить",
         "снизить", "показать", "решить", "подготовить", "направить", "поручить", "объявить")
FUNCTION_WORDS = ("в", "на", "по", "и", "с", "о", "для", "что", "как", "также", "не", "уже", "еще", "к", "из",
                  "до", "после", "при", "за", "более", "около", "этот", "весь")


def analyzer():
    from krai.monitoring.media.text import analyzer as media_analyzer

    return media_analyzer()


def inflected(word: str, pos: str, grammemes: set[str]) -> str:
    """``word`` (a nominative) put into ``grammemes`` by pymorphy3, the word itself when it cannot."""
    for parse in analyzer().parse(word):
        if pos == parse.tag.POS and "nomn" in parse.tag:
            for wanted in (grammemes | {"inan"}, grammemes):
                form = parse.inflect(wanted)
                if form is not None:
                    return form.word
    return word


def phrase_in(term: str, case: str) -> str:
    """A term put into ``case``: the head noun inflected, the adjectives before it agreeing, the rest kept;
    «-ский» adjectives and surnames (the made-up words) by their endings."""
    words = term.split()
    head = next((i for i, word in enumerate(words)
                 if any(p.tag.POS == "NOUN" and "nomn" in p.tag for p in analyzer().parse(word))
                 and not word.lower().endswith("ский")), len(words) - 1)
    parse = next((p for p in analyzer().parse(words[head]) if p.tag.POS == "NOUN"), None)
    gender = (parse.tag.gender if parse is not None else None) or "masc"
    out = []
    for i, word in enumerate(words):
        if i > head:
            out.append(word)
        elif i == head:
            out.append(inflected(word, "NOUN", {case, "sing"}))
        elif word.lower().endswith("ский"):
            stem = word[:-2]
            out.append(stem + SKY_ENDINGS[case] if gender == "masc" else inflected(word, "ADJF", {case, gender}))
        else:
            out.append(inflected(word, "ADJF", {case, gender, "sing"}))
    return " ".join(out)


def person_in(given: str, surname: str, case: str, *, full: bool) -> str:
    name = surname + SURNAME_ENDINGS[case]
    return f"{inflected(given, 'NOUN', {case})} {name}" if full else name


def made_up_stems(rng: random.Random, count: int) -> list[str]:
    consonants, vowels = "бвгдзклмнпрстх", "аеиоу"
    stems: set[str] = set()
    while len(stems) < count:
        stems.add(rng.choice(consonants).upper() + rng.choice(vowels) + rng.choice(consonants) + rng.choice(vowels)
                  + rng.choice(consonants))
    return sorted(stems)


def build_topics(count: int, rng: random.Random) -> list:
    """``count`` unsaved topics (pk 1…count): bodies, officials, municipalities and keyword sets."""
    from krai.monitoring.media.models import Topic
    from krai.org.models import Municipality, Organisation, User

    bodies = [f"{head} {domain}" for head in HEADS for domain in DOMAINS]
    rng.shuffle(bodies)
    n_body, n_person, n_place = count * 3 // 10, count * 3 // 10, count * 2 // 10
    stems = made_up_stems(rng, n_person + n_place)
    topics = []
    for i in range(n_body):
        name = bodies[i % len(bodies)].capitalize()
        topics.append(Topic(kind=Topic.Kind.ORGANISATION, name=name, organisation=Organisation(name=name)))
    for i in range(n_person):
        surname = stems[i] + rng.choice(("ов", "ев", "ин"))
        person = User(given_name=rng.choice(GIVEN_NAMES), surname=surname)
        topics.append(Topic(kind=Topic.Kind.PERSON, name=surname, person=person))
    for i in range(n_place):
        adjective = stems[n_person + i] + "ский"
        name = f"{adjective} {rng.choice(('район', 'муниципальный округ'))}"
        topics.append(Topic(kind=Topic.Kind.MUNICIPALITY, name=name, municipality=Municipality(name=name)))
    while len(topics) < count:
        terms = rng.sample(KEYWORDS, rng.randint(3, 10))
        topics.append(Topic(kind=Topic.Kind.KEYWORDS, name=terms[0], terms="\n".join(terms)))
    for pk, topic in enumerate(topics, 1):
        topic.pk = pk
    return topics


def mention_of(topic, rng: random.Random) -> tuple[str, str]:
    """A mention of ``topic`` in a random case, and the term it plants (as the topic writes it)."""
    case = rng.choice(CASES)
    if topic.kind == topic.Kind.PERSON:
        full = rng.random() < 0.5
        person = topic.person
        term = f"{person.given_name} {person.surname}" if full else person.surname
        return person_in(person.given_name, person.surname, case, full=full), term
    term = rng.choice(topic.term_list())
    return phrase_in(term, case), term


def filler_forms(first_lemmas: set[str]) -> list[str]:
    """Every form of the news lemmas, none whose lemmas start a term."""
    from krai.monitoring.media.text import lemmas_of

    forms: set[str] = set(FUNCTION_WORDS)
    for lemmas, pos in ((NOUNS, {"NOUN"}), (ADJECTIVES, {"ADJF"}), (VERBS, {"VERB", "INFN"})):
        for lemma in lemmas:
            parses = analyzer().parse(lemma)
            parse = next((p for p in parses if p.normal_form == lemma and p.tag.POS in pos), parses[0])
            forms |= {form.word for form in parse.lexeme if form.tag.POS in pos}
    return sorted(form for form in forms if not lemmas_of(form) & first_lemmas)


def sentence(rng: random.Random, forms: list[str], mentions: list[str]) -> str:
    words = rng.choices(forms, k=rng.randint(7, 14))
    for mention in mentions:
        words.insert(rng.randint(0, len(words)), mention)
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def build_articles(count: int, topics: list, forms: list[str], rng: random.Random):
    """``count`` (title, text) and, per article, the set of topic pks it should be found for."""
    by_term: dict[str, set[int]] = {}
    for topic in topics:
        for term in topic.term_list():
            by_term.setdefault(term, set()).add(topic.pk)
    articles, expected = [], []
    for _ in range(count):
        planted: list[str] = []
        want: set[int] = set()
        if rng.random() < 0.4:
            for topic in rng.sample(topics, rng.randint(1, 3)):
                mention, term = mention_of(topic, rng)
                planted.append(mention)
                want |= by_term[term]
        sentences = [[] for _ in range(rng.randint(1, 3) * rng.randint(3, 5) + 1)]
        for mention in planted:
            rng.choice(sentences).append(mention)
        text_sentences = [sentence(rng, forms, mentions) for mentions in sentences[1:]]
        paragraphs, at = [], 0
        while at < len(text_sentences):
            step = rng.randint(3, 5)
            paragraphs.append(" ".join(text_sentences[at:at + step]))
            at += step
        articles.append((sentence(rng, forms, sentences[0])[:-1], "\n\n".join(paragraphs)))
        expected.append(want)
    return articles, expected


def naive_patterns(topics: list) -> dict[int, re.Pattern]:
    from krai.monitoring.media.text import fold

    return {topic.pk: re.compile(r"(?<!\w)(?:" + "|".join(re.escape(fold(t)) for t in topic.term_list()) + r")(?!\w)")
            for topic in topics}


def score(found: list[set[int]], expected: list[set[int]]) -> tuple[float, float, int, int]:
    right = sum(len(f & e) for f, e in zip(found, expected, strict=True))
    planted = sum(len(e) for e in expected)
    reported = sum(len(f) for f in found)
    return right / max(planted, 1), right / max(reported, 1), planted, reported


def edited(article: tuple[str, str], rng: random.Random, forms: list[str], rate: float) -> tuple[str, str]:
    """A reprint: a share ``rate`` of the words replaced, perhaps a sentence dropped and the title rewritten."""
    title, text = article
    parts = [p for p in text.split(". ") if p]
    if len(parts) > 2 and rng.random() < 0.3:
        parts.pop(rng.randrange(len(parts)))
    words = ". ".join(parts).split(" ")
    words = [rng.choice(forms) if rng.random() < rate else word for word in words]
    if rng.random() < 0.5:
        title = sentence(rng, forms, [])[:-1]
    return title, " ".join(words)


def bench_stories(articles: list[tuple[str, str]], count: int, rng: random.Random,
                  forms: list[str]) -> None:
    from krai.monitoring.media import stories

    corpus: list[tuple[str, str]] = []
    truth: list[int] = []
    reprints: list[tuple[int, int, float]] = []  # (reprint, the article it copies, share of words replaced)
    fresh = iter(range(len(articles)))
    while len(corpus) < count:
        if corpus and rng.random() < 0.2:
            original, rate = rng.randrange(max(0, len(corpus) - 500), len(corpus)), rng.uniform(0, 0.12)
            reprints.append((len(corpus), original, rate))
            corpus.append(edited(corpus[original], rng, forms, rate))
            truth.append(truth[original])
        else:
            corpus.append(articles[next(fresh)])
            truth.append(len(corpus) - 1)
    index = stories.StoryIndex()
    grouped: list[int] = []
    started = time.perf_counter()
    for pk, (title, text) in enumerate(corpus):
        minhash = stories.signature(f"{title} {text}")
        story = index.nearest_story(minhash)
        story = pk if story is None else story
        index.add(pk, story, minhash)
        grouped.append(story)
    elapsed = time.perf_counter() - started

    def pairs(counts: Counter) -> int:
        return sum(n * (n - 1) // 2 for n in counts.values())

    true_pairs, found_pairs = pairs(Counter(truth)), pairs(Counter(grouped))
    both = pairs(Counter(zip(truth, grouped, strict=True)))
    print(f"\nstories: {count:,} articles ({len(reprints):,} planted reprints in {len(set(truth)):,} groups) in "
          f"{elapsed:.1f} s = {count / elapsed:,.0f} articles/s; {len(set(grouped)):,} stories found")
    print(f"  pairs: planted {true_pairs:,}, grouped {found_pairs:,}, right {both:,}; precision "
          f"{both / max(found_pairs, 1) * 100:.2f}%, recall {both / max(true_pairs, 1) * 100:.2f}%")
    for low, high in ((0, 0.04), (0.04, 0.08), (0.08, 0.121)):
        band = [(pk, original) for pk, original, rate in reprints if low <= rate < high]
        joined = sum(grouped[pk] == grouped[original] for pk, original in band)
        print(f"  reprints with {low * 100:.0f}–{min(high, 0.12) * 100:.0f}% of words replaced: {len(band):,}, "
              f"{joined / max(len(band), 1) * 100:.1f}% in the story of the article they copy")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--topics", type=int, default=500)
    parser.add_argument("--stories", type=int, default=20_000, help="articles grouped into stories (0: skip)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="10,000 articles × 100 topics, 5,000 for stories")
    args = parser.parse_args()
    if args.quick:
        args.articles, args.topics, args.stories = 10_000, 100, 5_000

    import django

    django.setup()
    from krai.monitoring.media.text import TermMatcher, fold, lemmas_of

    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}, {os.cpu_count()} cores")
    rng = random.Random(args.seed)
    started = time.perf_counter()
    analyzer()
    topics = build_topics(args.topics, rng)
    first_lemmas = set()
    for topic in topics:
        for term in topic.term_list():
            first_lemmas |= lemmas_of(fold(term.split()[0]))
    forms = filler_forms(first_lemmas)
    articles, expected = build_articles(args.articles, topics, forms, rng)
    kinds = Counter(topic.kind for topic in topics)
    words = sum(len((title + " " + text).split()) for title, text in articles)
    print(f"corpus: {len(topics)} topics ({', '.join(f'{k} {n}' for k, n in kinds.items())}), "
          f"{sum(len(t.term_list()) for t in topics):,} terms; {len(articles):,} articles, {words / len(articles):.0f} "
          f"words each on average, {len(forms):,} filler forms; {sum(bool(e) for e in expected):,} articles with "
          f"planted mentions; generated in {time.perf_counter() - started:.1f} s")
    lemmas_of.cache_clear()  # the matching below starts as a fresh process would (pymorphy3 loaded, nothing memoised)

    started = time.perf_counter()
    matcher = TermMatcher({topic.pk: topic.term_list() for topic in topics})
    compiled = time.perf_counter() - started
    started = time.perf_counter()
    krai_found = [set(matcher.match(f"{title}\n{text}")) for title, text in articles]
    krai_time = time.perf_counter() - started
    cache = lemmas_of.cache_info()

    started = time.perf_counter()
    patterns = naive_patterns(topics)
    naive_compiled = time.perf_counter() - started
    started = time.perf_counter()
    naive_found = []
    for title, text in articles:
        folded = fold(f"{title}\n{text}")
        naive_found.append({pk for pk, pattern in patterns.items() if pattern.search(folded)})
    naive_time = time.perf_counter() - started

    print(f"\n{'matcher':<22}{'compile':>10}{'total s':>10}{'articles/s':>12}{'recall':>9}{'precision':>11}"
          f"{'pairs found':>13}")
    rows = (("krai (lemmas)", compiled, krai_time, krai_found), ("regex per topic", naive_compiled, naive_time,
                                                                  naive_found))
    for name, compile_time, total, found in rows:
        recall, precision, planted, reported = score(found, expected)
        print(f"{name:<22}{compile_time * 1000:>8.0f}ms{total:>10.1f}{len(articles) / total:>12,.0f}"
              f"{recall * 100:>8.2f}%{precision * 100:>10.2f}%{reported:>13,}")
    print(f"pairs planted: {planted:,}; speed ratio krai/regex {naive_time / krai_time:.2f} "
          f"(krai {len(articles) * len(topics) / krai_time / 1e6:.1f} M article×topic checks/s); "
          f"lemma memo: {cache.currsize:,} words, {cache.hits / max(cache.hits + cache.misses, 1) * 100:.1f}% hits")
    misses = Counter(topics[pk - 1].kind for f, e in zip(krai_found, expected, strict=True) for pk in e - f)
    extra = Counter(topics[pk - 1].kind for f, e in zip(krai_found, expected, strict=True) for pk in f - e)
    print(f"krai misses by kind: {dict(misses) or 'none'}; krai pairs not planted by kind: {dict(extra) or 'none'}")
    if args.stories:
        bench_stories(articles, min(args.stories, len(articles)), random.Random(args.seed + 1), forms)


if __name__ == "__main__":
    main()
