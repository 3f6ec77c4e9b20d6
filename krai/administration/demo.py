"""Demo data of temporary deputies: a department's deputy head acting for its head now (he logs in and switches on
the banner), one deputyship coming and one past, each between a department's head and his deputy.

Idempotent: each is looked up by its pair and reason, so a second run changes nothing. Deterministic: the
departments are tried in a fixed order and the first ones with both posts filled are taken. Like the structure's
demo it writes rows directly and records no events (seeded data, not an administrator's doings).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TextIO

from django.utils import timezone

from krai.core.demo import demo_loader
from krai.org.models import Deputyship, User

DOMAIN = "demo.krai"
#: departments tried in turn: the first with a deputy head serves the deputyship in force, the next ones the others
DEPARTMENTS = ("health", "education", "labour", "culture", "sport", "youth", "finance", "economy", "property",
               "agriculture", "construction", "transport", "digital", "resorts", "civil-defence")
#: (what for, first day from today, last day from today)
PLANS = (
    ("Ежегодный оплачиваемый отпуск", -3, 11),
    ("Служебная командировка в г. Москву", 9, 15),
    ("Временная нетрудоспособность", -40, -27),
)


def _pairs() -> list[tuple[User, User, str]]:
    """(head, deputy head, department code) for the departments whose two posts are held, in the fixed order."""
    found = []
    for code in DEPARTMENTS:
        head = User.objects.filter(email=f"head.{code}@{DOMAIN}", is_active=True, is_staff=True).first()
        deputy = User.objects.filter(email=f"deputy.{code}@{DOMAIN}", is_active=True, is_staff=True).first()
        if head is not None and deputy is not None:
            found.append((head, deputy, code))
    return found


def _admin() -> User | None:
    return User.objects.filter(email=f"admin@{DOMAIN}").first()


@demo_loader(order=94)
def load_deputies(*, scale: int, stdout: TextIO) -> list[str]:
    """One deputyship in force, one coming, one past (see the module's text)."""
    pairs = _pairs()
    if len(pairs) < len(PLANS):
        stdout.write("  administration: too few departments with a deputy head, no deputyships\n")
        return []
    today: date = timezone.localdate()
    admin = _admin()
    made = []
    for (head, deputy, code), (reason, start, end) in zip(pairs, PLANS, strict=False):
        item, _created = Deputyship.objects.get_or_create(
            principal=head, deputy=deputy, reason=reason,
            defaults={"starts_on": today + timedelta(days=start), "ends_on": today + timedelta(days=end),
                      "created_by": admin})
        made.append((item, code))
    stdout.write(f"  administration: {len(made)} temporary deputyships (in force, coming, past)\n")
    current, code = made[0]
    return [f"{current.deputy.email:<34} acting for {current.principal.short_name} (head, {code}) until "
            f"{current.ends_on:%d.%m.%Y}: the banner's button switches"]
