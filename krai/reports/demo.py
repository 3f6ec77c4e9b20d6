"""Demo data of periodic reports: the governor's weekly summary of order discipline and problems (in the workspace,
for the health department's head too) and the monthly report for residents (problems, indicators, rankings,
staffing; published on the portal), each with the edition of its last complete period generated.

Idempotent: a template is found by its owner and title, an edition by its period. Like the other demos it writes
rows directly and records no events (seeded data, not a person's doings): the editions are generated quietly.
"""

from __future__ import annotations

from datetime import time, timedelta
from typing import TextIO

from django.utils import timezone

from krai.core.demo import demo_loader
from krai.org.models import User
from krai.reports import jobs, periods
from krai.reports.models import Edition, Template

DOMAIN = "demo.krai"
OWNER, READER = "governor", "head.health"
#: (title, sections, frequency, weekday, day, publication)
TEMPLATES = (
    ("Еженедельная сводка: исполнительская дисциплина и обращения", ["orders", "problems"],
     Template.Frequency.WEEKLY, 0, 1, Template.Publication.WORKSPACE),
    ("Ежемесячный доклад для жителей", ["problems", "indicators", "rankings", "staffing"],
     Template.Frequency.MONTHLY, 0, 3, Template.Publication.PORTAL),
)


def _person(login: str) -> User | None:
    return User.objects.filter(email=f"{login}@{DOMAIN}", is_active=True, is_staff=True).first()


@demo_loader(order=97)
def load_reports(*, scale: int, stdout: TextIO) -> list[str]:
    """The two templates and their latest editions (see the module's text)."""
    owner, reader = _person(OWNER), _person(READER)
    if owner is None:
        return []
    made = 0
    for title, kinds, frequency, weekday, day, publication in TEMPLATES:
        template, _created = Template.objects.get_or_create(owner=owner, title=title, defaults={
            "sections": kinds, "frequency": frequency, "weekday": weekday, "day": day, "at": time(7, 0),
            "publication": publication, "created_at": timezone.now() - timedelta(days=1)})
        if reader is not None and publication == Template.Publication.WORKSPACE:
            template.recipients.add(reader)
        start, end = periods.latest_period(frequency)
        edition, created = Edition.objects.get_or_create(template=template, period_start=start, period_end=end)
        if created or edition.status == Edition.Status.PENDING:
            jobs.generate(edition.pk, tell=False)
            made += 1
    stdout.write(f"  reports: {len(TEMPLATES)} templates of {OWNER}, {made} editions generated\n")
    return []
