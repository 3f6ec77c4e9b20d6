"""The arithmetic of "the deviation now", kept apart from the database so that a test can check it by hand.

For the latest reported period (year ``y``, month ``m``) with actual ``A``:

* cumulative indicator, annual plan ``P_y``: the plan to date is ``P_y × m / 12`` (the share of the year
  elapsed up to the end of the reported month); the actual is the year-to-date value;
* cumulative indicator, monthly plan: the plan to date is the sum of the monthly plans of months 1…m;
* level indicator, monthly plan: the plan of month m (the annual plan when the month has none);
* level indicator, annual plan: the annual plan (a level is not pro-rated).

``deviation % = s × (A − plan) / plan × 100`` with ``s = +1`` when more is better and ``−1`` when less is
better, so a negative deviation always means "behind". The colour: ``ok`` when the deviation is above
``−warn``; ``warn`` when it is at or below ``−warn`` and above ``−critical``; ``critical`` at or below
``−critical``. A zero or missing plan gives no deviation (``none``).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

UP, DOWN = "up", "down"
CUMULATIVE, LEVEL = "cumulative", "level"
ANNUAL, MONTHLY = "annual", "monthly"
COLOURS = ("ok", "warn", "critical", "none")
RANK = {"none": 0, "ok": 0, "warn": 1, "critical": 2}


def plan_to_date(*, kind: str, basis: str, month: int, plans: dict[int, Decimal]) -> Decimal | None:
    """The plan the actual of ``month`` is measured against; ``plans`` maps month → plan (0: the year)."""
    annual, monthly = plans.get(0), {k: v for k, v in plans.items() if k}
    if kind == CUMULATIVE:
        if basis == MONTHLY and monthly:
            return sum((monthly.get(k, Decimal(0)) for k in range(1, month + 1)), Decimal(0))
        return None if annual is None else annual * month / 12
    if basis == MONTHLY and month in monthly:
        return monthly[month]
    return annual


def deviation_pct(*, actual: Decimal, plan: Decimal | None, direction: str) -> Decimal | None:
    if plan is None or plan == 0:
        return None
    sign = 1 if direction == UP else -1
    return (sign * (actual - plan) / abs(plan) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def colour(deviation: Decimal | None, *, warn: Decimal, critical: Decimal) -> str:
    if deviation is None:
        return "none"
    if deviation <= -critical:
        return "critical"
    if deviation <= -warn:
        return "warn"
    return "ok"


def crossed(before: str, after: str) -> bool:
    """Whether a new value moved the indicator into a worse band (an alert is due)."""
    return RANK[after] > RANK[before]
