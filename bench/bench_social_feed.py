"""The community's feed: one reader following 10,000 accounts and 5 topics among 1,000,000 publications by 50,000
authors — p50/p95 of the feed's first page and of a deep page, against the floor measured in the same run.

    .venv/bin/python bench/bench_social_feed.py [--scale 1.0] [--runs 200] [--keep] [--explain]
    KRAI_DATABASE_URL=postgres://postgres@127.0.0.1:5432/krai_x nice .venv/bin/python bench/bench_social_feed.py
    ... --scale 0.05  # a quick run: 50,000 publications, 2,500 authors, 500 followed accounts

Runs on the configured engine in a throw-away database beside the configured one (``<name>_bench_social``;
``--keep`` keeps it and skips the generation when the data is there), with the tables the feed reads made
straight from the models. The generator (seeded) writes, at ``--scale`` 1:

* 50,000 authors and the reader; 1,000,000 publications over the last 365 days in time order (ids grow with
  time, as they do), 80 % public, 10 % for registered users, 10 % for followers, 0.5 % hidden; 40 % carry one
  of 30 topics, 10 % two (``PublicationTopic`` with the copied time) — loaded with ``COPY``
  (``krai.core.bulksql.insert_rows``);
* the reader's follows: 10,000 of the authors and 5 topics; 200,000 follows among the others; the reader blocks
  20 followed authors and 20 others block him; 50 publications of his own.

Timed ``--runs`` times each (after a warm-up), p50 and p95 in milliseconds:

* feed, first page  — ``selectors.feed.feed(user=reader)`` (20 publications, loaded with authors, photos, topics);
* feed, deep page   — the same from a cursor six months back;
* light follower    — the feed of a member following a handful of accounts (the planner reads his few authors'
  indexes instead of the time index);
* public timeline   — ``public_timeline`` for the reader (audience and block filters), first page;
* topic feed        — ``topic_feed`` of one followed topic, first page;
* floor             — the bare ``SELECT id, created_at … WHERE hidden_at IS NULL ORDER BY created_at DESC, id DESC
  LIMIT 21``: one backward scan of the time index, the least any timeline can cost.

``--explain`` prints EXPLAIN ANALYZE of the feed's followed-authors and topic queries (PostgreSQL).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "krai.settings")

TOPICS = 30
FOLLOWED_TOPICS = 5


def create_tables() -> None:
    """The tables the feed touches and those they refer to, from the models (no migrations: faster)."""
    from django.db import connection

    from krai.core.events.models import Event
    from krai.social.models import Album, Follow, Photo, Profile, Publication, PublicationTopic, Topic, UserBlock

    ordered: list = []

    def visit(model) -> None:
        if model in ordered:
            return
        ordered.append(model)
        for field in model._meta.get_fields(include_hidden=False):
            target = getattr(field, "related_model", None)
            if (field.many_to_one or field.one_to_one or field.many_to_many) and not field.auto_created \
                    and target is not None:
                visit(target)
                through = field.remote_field.through if field.many_to_many else None
                if through is not None and not through._meta.auto_created:
                    visit(through)

    for model in (Publication, PublicationTopic, Topic, Follow, UserBlock, Photo, Album, Profile, Event):
        visit(model)
    existing = set(connection.introspection.table_names())
    with connection.schema_editor() as editor:
        for model in ordered:
            if model._meta.db_table not in existing:
                editor.create_model(model)


def generate(scale: float, seed: int) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from krai.core.bulksql import insert_rows
    from krai.org.models import User
    from krai.social.models import Follow, Publication, PublicationTopic, Topic, UserBlock

    rng = random.Random(seed)
    authors_n = max(100, int(50_000 * scale))
    publications_n = max(1000, int(1_000_000 * scale))
    followed_n = max(20, int(10_000 * scale))
    others_follows = int(200_000 * scale)
    started = time.perf_counter()
    with transaction.atomic():
        unusable = "!"  # no one signs in as these
        reader = User.objects.create(email="reader@bench.krai", password=unusable, surname="Читатель", given_name="Ч")
        users = User.objects.bulk_create(
            [User(email=f"a{n}@bench.krai", password=unusable, surname=f"Автор{n}", given_name="А")
             for n in range(authors_n)], batch_size=5000)
        author_ids = [u.pk for u in users]
        topics = Topic.objects.bulk_create([Topic(code=f"t{n:02d}", name=f"Тема {n}") for n in range(TOPICS)])
        topic_ids = [t.pk for t in topics]
        now = timezone.now()
        start = now - timedelta(days=365)
        span = (now - start).total_seconds()
        moments = sorted(start + timedelta(seconds=rng.random() * span) for _ in range(publications_n))
        rows = []
        for moment in moments:
            roll = rng.random()
            audience = "public" if roll < 0.8 else "registered" if roll < 0.9 else "followers"
            hidden = moment if rng.random() < 0.005 else None
            rows.append((rng.choice(author_ids), "Текст публикации " * 3, audience, "[]", False, moment, None,
                         hidden, "", None))
        for n in range(50):  # the reader's own
            rows.append((reader.pk, f"Моя запись {n}", "followers", "[]", False,
                         start + timedelta(seconds=rng.random() * span), None, None, "", None))
        rows.sort(key=lambda r: r[5])
        insert_rows(Publication, ["author_id", "body", "audience", "links", "comments_closed", "created_at",
                                  "edited_at", "hidden_at", "hidden_reason", "hidden_by_id"], rows)
        print(f"  {len(rows):,} publications in {time.perf_counter() - started:.1f} s")
        pubs = list(Publication.objects.order_by("id").values_list("id", "created_at"))
        links = []
        for pk, moment in pubs:
            roll = rng.random()
            if roll < 0.5:
                chosen = rng.sample(topic_ids, 2 if roll < 0.1 else 1)
                links += [(pk, t, moment) for t in chosen]
        insert_rows(PublicationTopic, ["publication_id", "topic_id", "created_at"], links)
        print(f"  {len(links):,} topic links in {time.perf_counter() - started:.1f} s")
        followed = rng.sample(author_ids, followed_n)
        follows = [(reader.pk, a, None, now) for a in followed]
        follows += [(reader.pk, None, t, now) for t in topic_ids[:FOLLOWED_TOPICS]]
        seen = set()
        while len(seen) < others_follows:
            pair = (rng.choice(author_ids), rng.choice(author_ids))
            if pair[0] != pair[1]:
                seen.add(pair)
        follows += [(a, b, None, now) for a, b in seen]
        insert_rows(Follow, ["follower_id", "followee_id", "topic_id", "created_at"], follows)
        blocks = [(reader.pk, a, now) for a in followed[:20]]
        blocks += [(a, reader.pk, now) for a in rng.sample(sorted(set(author_ids) - set(followed)), 20)]
        insert_rows(UserBlock, ["blocker_id", "blocked_id", "created_at"], blocks)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"data ready in {time.perf_counter() - started:.1f} s")


def _time(func, runs: int) -> tuple[float, float]:
    func()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        func()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * len(times)) - 1)]


def explain(reader, topic_id: int) -> None:
    from django.db import connection

    from krai.social.models import Publication, PublicationTopic
    from krai.social.selectors import feed as feeds

    if connection.vendor != "postgresql":
        return
    authors = (Publication.objects.filter(hidden_at__isnull=True, author_id__in=feeds._followed_authors(reader))
               .order_by("-created_at", "-id").values_list("id", "created_at")[:21])
    topics = (PublicationTopic.objects.filter(topic_id=topic_id, publication__hidden_at__isnull=True)
              .filter(feeds.audience_q(reader, "publication__")).order_by("-created_at", "-publication_id")
              .values_list("publication_id", "created_at")[:21])
    for title, qs in (("followed authors", authors), ("one followed topic", topics)):
        sql, params = qs.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            print(f"\n-- {title}\n" + "\n".join(row[0] for row in cursor.fetchall()))


def run(args) -> None:
    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from krai.org.models import User
    from krai.social.models import Follow, Publication, Topic
    from krai.social.selectors import feed as feeds

    if not Publication.objects.exists():
        generate(args.scale, args.seed)
    reader = User.objects.get(email="reader@bench.krai")
    topic = Topic.objects.get(pk=Follow.objects.filter(follower=reader, topic__isnull=False).values("topic_id")[:1])
    print(f"publications: {Publication.objects.count():,}; the reader follows "
          f"{Follow.objects.filter(follower=reader, followee__isnull=False).count():,} accounts and "
          f"{Follow.objects.filter(follower=reader, topic__isnull=False).count()} topics")
    deep = feeds.Cursor(timezone.now() - timedelta(days=180), 2 ** 62)
    table = Publication._meta.db_table
    floor_sql = f"SELECT id, created_at FROM {table} WHERE hidden_at IS NULL ORDER BY created_at DESC, id DESC LIMIT 21"  # noqa: S608

    def floor() -> None:
        with connection.cursor() as cursor:
            cursor.execute(floor_sql)
            cursor.fetchall()

    # a typical member: one of the authors with the most follows among the others (a handful)
    light = User.objects.get(pk=Follow.objects.filter(followee__isnull=False).exclude(follower=reader)
                             .values("follower_id").annotate(n=Count("id")).order_by("-n")
                             .values_list("follower_id", flat=True)[:1])
    first = feeds.feed(user=reader)
    assert len(first.items) == 20, "the feed's first page is full"
    cases = [
        ("floor (one index scan)", floor),
        ("feed, first page", lambda: feeds.feed(user=reader)),
        ("feed, deep page (6 months)", lambda: feeds.feed(user=reader, before=deep)),
        ("feed of a light follower", lambda: feeds.feed(user=light)),
        ("public timeline, first page", lambda: feeds.public_timeline(user=reader)),
        ("topic feed, first page", lambda: feeds.topic_feed(user=reader, topic=topic)),
    ]
    print(f"\n{'case':<30}{'p50 ms':>9}{'p95 ms':>9}{'p95 / floor':>13}")
    floor_p95 = None
    for title, func in cases:
        p50, p95 = _time(func, args.runs)
        floor_p95 = floor_p95 or p95
        print(f"{title:<30}{p50:>9.2f}{p95:>9.2f}{p95 / floor_p95:>13.1f}")
    if args.explain:
        explain(reader, topic.pk)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 1,000,000 publications (0.05 for a quick run)")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--keep", action="store_true", help="keep (and reuse) the benchmark database")
    parser.add_argument("--explain", action="store_true", help="print the plans of the feed's queries (PostgreSQL)")
    args = parser.parse_args()

    import django
    from django.conf import settings

    django.setup()
    from django.db import connection

    test = settings.DATABASES["default"].setdefault("TEST", {})
    if connection.vendor == "sqlite":
        test["NAME"] = str(Path(tempfile.gettempdir()) / "krai-bench-social.sqlite3")
    else:
        test["NAME"] = f"{connection.settings_dict['NAME']}_bench_social"
    started = time.perf_counter()
    creation = connection.creation
    old_name = connection.settings_dict["NAME"]
    test_name = creation._get_test_db_name()
    creation._create_test_db(verbosity=0, autoclobber=True, keepdb=args.keep)
    connection.close()
    settings.DATABASES["default"]["NAME"] = connection.settings_dict["NAME"] = test_name
    create_tables()
    print(f"database: {connection.vendor} ({test_name}), ready in {time.perf_counter() - started:.1f} s")
    try:
        run(args)
    finally:
        creation.destroy_test_db(old_name, verbosity=0, keepdb=args.keep)


if __name__ == "__main__":
    main()
