"""Court cases through the import kernel: kind ``lawsuits.cases`` (each row a case; a hearing date optional)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from krai.core.events.services import record_event
from krai.core.imports.registry import Importer, register
from krai.core.imports.schema import Column
from krai.monitoring.lawsuits import services
from krai.monitoring.lawsuits.models import CourtCase
from krai.org.models import Organisation, User

SIDES = {"истец": "plaintiff", "ответчик": "defendant", "третье лицо": "third_party"}


def _choice(value: str, choices, aliases: dict | None = None) -> str | None:
    value = (value or "").strip().lower()
    value = (aliases or {}).get(value, value)
    for key, label in choices:
        if value in (key, str(label).lower()):
            return key
    return None


class CasesImporter(Importer):
    kind = "lawsuits.cases"
    title = gettext_lazy("Court cases")
    description = gettext_lazy("Each row registers a court case of an organisation; the next hearing may be given.")
    token_scope = "monitoring:write"  # noqa: S105 — a scope name, not a secret

    def columns(self, *, options: dict) -> list[Column]:
        return [
            Column("number", required=True, title="Номер дела", title_en="Case number", max_length=100,
                   aliases=("номер", "№ дела")),
            Column("court", required=True, title="Суд", title_en="Court", max_length=300),
            Column("organisation", required=True, title="Код организации", title_en="Organisation code",
                   aliases=("организация",)),
            Column("our_side", required=True, title="Наша сторона", title_en="Our side",
                   aliases=("процессуальный статус",)),
            Column("category", title="Категория", title_en="Category"),
            Column("instance", title="Инстанция", title_en="Instance"),
            Column("other_parties", title="Другие стороны", title_en="Other parties", aliases=("стороны",)),
            Column("amount_claimed", type="number", title="Сумма иска", title_en="Amount claimed", minimum=0),
            Column("filed_on", type="date", required=True, title="Дата подачи", title_en="Filed"),
            Column("lawyer", title="Юрист (e-mail)", title_en="Lawyer (e-mail)", aliases=("юрист",)),
            Column("next_hearing", type="datetime", title="Следующее заседание", title_en="Next hearing"),
        ]

    def allowed(self, actor, *, options: dict) -> bool:
        return bool(actor.is_authenticated and actor.is_staff and actor.has_perm("monitoring.access"))

    def check_row(self, row: dict, *, actor, options: dict) -> dict[str, str]:
        errors = {}
        organisation = Organisation.objects.filter(code=(row.get("organisation") or "").strip()).first()
        if organisation is None:
            errors["organisation"] = _("No such organisation.")
        elif not actor.has_perm("lawsuits.add_courtcase", organisation):
            errors["organisation"] = _("You may not register cases of this organisation.")
        if _choice(row.get("our_side"), CourtCase.Side.choices, SIDES) is None:
            errors["our_side"] = _("Plaintiff, defendant or third party.")
        if row.get("category") and _choice(row["category"], CourtCase.Category.choices) is None:
            errors["category"] = _("Unknown category.")
        if row.get("instance") and _choice(row["instance"], CourtCase.Instance.choices) is None:
            errors["instance"] = _("Unknown instance.")
        if row.get("lawyer") and not User.objects.filter(email__iexact=row["lawyer"].strip(), is_staff=True).exists():
            errors["lawyer"] = _("No member of staff with this e-mail.")
        if CourtCase.objects.filter(number=(row.get("number") or "").strip(), court=(row.get("court") or "").strip()
                                    ).exists():
            errors["number"] = _("This case is registered already.")
        return errors

    def store(self, rows: list[dict], *, actor, options: dict, record) -> dict:
        hearings = 0
        for row in rows:
            lawyer = User.objects.filter(email__iexact=row["lawyer"].strip()).first() if row.get("lawyer") else None
            case = services.case_create(
                actor=actor, organisation=Organisation.objects.get(code=row["organisation"].strip()),
                number=row["number"], court=row["court"], filed_on=row["filed_on"], lawyer=lawyer,
                our_side=_choice(row["our_side"], CourtCase.Side.choices, SIDES),
                category=_choice(row.get("category"), CourtCase.Category.choices) or "other",
                instance=_choice(row.get("instance"), CourtCase.Instance.choices) or "first",
                other_parties=row.get("other_parties") or "", amount_claimed=row.get("amount_claimed") or 0)
            when = row.get("next_hearing")
            if when:
                if isinstance(when, dt.datetime) and timezone.is_naive(when):
                    when = timezone.make_aware(when)
                services.hearing_add(actor=actor, case=case, starts_at=when)
                hearings += 1
        record_event(kind="lawsuits.cases_imported", actor=actor, subject=record,
                     payload={"cases": len(rows), "hearings": hearings})
        return {"created": len(rows), "hearings": hearings}

    def result_url(self, *, options: dict, summary: dict) -> str:
        return reverse("monitoring:lawsuits:home")


register(CasesImporter())
