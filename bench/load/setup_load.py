"""The load test's accounts, made in the installation's own database after ``krai demo``.

Run by bench/bench_load.py with the installation's environment (KRAI_ENV=production, its database and Redis):

    python bench/load/setup_load.py OUT.json RESIDENTS

- RESIDENTS residents ``load.NNNNN@load.krai`` like the demo's ``citizen``: e-mail confirmed, residence verified,
  living in a municipality weighted by population. Many accounts because a person reports at most 5 problems an
  hour and votes once per poll: the limits stay as they are, the load spreads over people as a city's would.
- one signed-in session per resident and a few per official, made by Django's own ``login()`` (Client.force_login)
  into the installation's session store (Redis): the run measures pages, not 1 000 password hashings at start-up
  (the login form is rate-limited per address, and each hashing costs ~0.3 s of one core).

The accounts are set-up data of a benchmark, written straight through the ORM like the demo loaders do.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "krai.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402

from krai.org.models import Municipality  # noqa: E402

DOMAIN = "load.krai"
#: the officials the mix signs in as: none of their roles asks for a second factor (docs/accounts.md)
OFFICIALS = ["head.health@demo.krai", "head.housing-inspection@demo.krai", "mayor.krasnodar@demo.krai",
             "exec1.unit1.health@demo.krai"]
SESSIONS_PER_OFFICIAL = 40
BACKEND = "django.contrib.auth.backends.ModelBackend"


def residents(count: int) -> list:
    User = get_user_model()
    password = User.objects.get(email="citizen@demo.krai").password  # the demo's hash: no hashing per account
    municipalities = list(Municipality.objects.filter(centre_lat__isnull=False))
    rng = random.Random("krai-load")
    weights = [max(m.population, 1) for m in municipalities]
    homes = rng.choices(municipalities, weights, k=count)
    users = [User(email=f"load.{n:05d}@{DOMAIN}", password=password, surname="Нагрузкин", given_name=f"Житель {n}",
                  email_confirmed=True, residence_verified=True, home_municipality=home)
             for n, home in enumerate(homes, 1)]
    User.objects.bulk_create(users, batch_size=500, ignore_conflicts=True)
    return list(User.objects.filter(email__endswith=f"@{DOMAIN}").order_by("email"))


def session_of(user) -> str:
    client = Client()
    client.force_login(user, backend=BACKEND)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def main(out: str, count: int) -> None:
    started = time.monotonic()
    User = get_user_model()
    people = residents(count)
    data = {
        "cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "residents": [session_of(user) for user in people],
        "officials": {email: [session_of(user) for _ in range(SESSIONS_PER_OFFICIAL)]
                      for email in OFFICIALS for user in [User.objects.get(email=email)]},
    }
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(data, fh)
    print(f"{len(people)} residents, {len(OFFICIALS)} officials × {SESSIONS_PER_OFFICIAL} sessions "
          f"in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
