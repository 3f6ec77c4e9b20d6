"""The generic CSV/XLSX exchange for systems that have nothing else: the import kernel's ``docflow.orders``
(``docs/imports.md``), started from the document-flow page with the system as its option (``opt.system=<code>``).

Each row is one order: the sender's number (optional), the title (optional: the text's first sentence), the
text, the deadline (optional: the urgency's), the lead executor (an organisation's code, INN or exact name), the
co-executors (the same, separated by ``;``) and the urgency (a code, or its name in Russian or English). Every row
is checked first; any wrong row stores nothing, and a row the issuer may not give stores nothing either."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from krai.core.imports.registry import Importer, register
from krai.core.imports.schema import Column
from krai.integration.docflow import selectors
from krai.integration.docflow.medo import OrganisationRef
from krai.integration.docflow.services import _issue
from krai.integration.docflow.services.tables import table_import
from krai.integration.models import ExternalSystem
from krai.orders.models import Priority

KIND = "docflow.orders"


def organisation_ref(text: str) -> OrganisationRef:
    """A cell naming an organisation: digits of an INN, else a code and a name both tried."""
    text = " ".join((text or "").split())
    if text.isdigit() and len(text) in (10, 12):
        return OrganisationRef(inn=text)
    return OrganisationRef(code=text if " " not in text else "", name=text)


def co_executor_texts(cell: str | None) -> list[str]:
    return [part.strip() for part in (cell or "").split(";") if part.strip()]


def priority_of(text: str | None) -> str | None:
    """An urgency class from its code or its name in English or Russian; '' when empty, None when unknown."""
    wanted = " ".join((text or "").split()).casefold()
    if not wanted:
        return ""
    for value, label in Priority.choices:
        names = {value, str(label).casefold()}
        with translation.override("ru"):
            names.add(str(label).casefold())
        if wanted in names:
            return value
    return None


def may_import(actor: Any, system: ExternalSystem | None) -> bool:
    """Whether ``actor`` may import ``system``'s table: the system has an active channel and he loads packages.
    A system read with its channel (``selectors.docflow_systems``) costs no query more: the start page asks this of
    every system without a query per system."""
    channel = getattr(system, "docflow_channel", None) if system is not None else None
    return bool(channel is not None and channel.is_active and actor.has_perm("integration.load_packages"))


class OrdersImporter(Importer):
    kind = KIND
    title = gettext_lazy("Orders from a document-flow system (table)")
    description = gettext_lazy(
        "Each row is an order given through a document-flow system that has no MEDO exchange: the text, the lead "
        "executor (an organisation's code, INN or exact name), co-executors separated by “;”, the deadline and the "
        "urgency. The orders are issued in the name of the system's channel issuer. A file with any wrong row "
        "stores nothing.")
    options = ("system",)
    token_scope = "integration:write"  # noqa: S105 — a scope name, not a secret

    def columns(self, *, options: dict) -> list[Column]:
        return [
            Column("number", title="Номер пункта", title_en="Number", max_length=100,
                   aliases=("номер", "№", "№ п/п")),
            Column("title", title="Заголовок", title_en="Title", max_length=500, aliases=("краткое содержание",)),
            Column("text", required=True, title="Текст поручения", title_en="Text", max_length=20_000,
                   aliases=("текст", "содержание", "поручение")),
            Column("deadline", type="date", title="Срок исполнения", title_en="Deadline",
                   aliases=("срок", "контрольный срок")),
            Column("lead", required=True, title="Ответственный исполнитель", title_en="Lead executor", max_length=400,
                   aliases=("исполнитель", "ответственный")),
            Column("co_executors", title="Соисполнители", title_en="Co-executors", max_length=4000,
                   aliases=("соисполнитель",)),
            Column("urgency", title="Срочность", title_en="Urgency", aliases=("приоритет",)),
        ]

    def _system(self, options: dict) -> Any:
        return selectors.system_by_code(str(options.get("system", "")))

    def allowed(self, actor: Any, *, options: dict) -> bool:
        return may_import(actor, self._system(options))

    def check_row(self, row: dict, *, actor: Any, options: dict) -> dict[str, str]:
        errors: dict[str, str] = {}
        if row.get("lead") and selectors.match_organisation(organisation_ref(row["lead"])) is None:
            errors["lead"] = _("No such organisation: give its code, INN or exact name.")
        unknown = [text for text in co_executor_texts(row.get("co_executors"))
                   if selectors.match_organisation(organisation_ref(text)) is None]
        if unknown:
            errors["co_executors"] = _("No such organisation: %(names)s.") % {"names": "; ".join(unknown)}
        if priority_of(row.get("urgency")) is None:
            errors["urgency"] = _("Unknown urgency: use one of %(names)s.") % {
                "names": ", ".join(str(label) for label in Priority.labels)}
        if row.get("deadline") and row["deadline"] < timezone.localdate():
            errors["deadline"] = _("The deadline cannot be earlier than the day of issue.")
        return errors

    def store(self, rows: list[dict], *, actor: Any, options: dict, record: Any) -> dict:
        entries = []
        for row in rows:
            lead = selectors.match_organisation(organisation_ref(row["lead"]))
            co = [selectors.match_organisation(organisation_ref(text))
                  for text in co_executor_texts(row.get("co_executors"))]
            entries.append(_issue.Entry(number=row.get("number") or "", text=row["text"], deadline=row.get("deadline"),
                                        lead=lead, co_executors=[(organisation, None) for organisation in co],
                                        priority=priority_of(row.get("urgency")) or "", title=row.get("title") or ""))
        return table_import(actor=actor, system=self._system(options), entries=entries, record=record,
                            file_name=getattr(record, "file_name", "") or "")

    def result_url(self, *, options: dict, summary: dict) -> str:
        if summary.get("package_id"):
            return reverse("docflow:package", args=[summary["package_id"]])
        return reverse("docflow:home")


register(OrdersImporter())
