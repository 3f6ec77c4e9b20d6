"""The section's start page /workspace/integration/: the counts (systems active; messages in and out today;
refused and failed in the last 24 hours — each a link to exactly the list it counts) and the parts of the section
the reader may open (the other parts' pages appear once they exist)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from krai.integration.selectors import exchange, systems
from krai.integration.selectors.exchange import LogFilter

#: the other parts of the section: URL name, permission, label, what it is
PARTS = (
    ("webhooks:home", "integration.manage_webhooks", gettext_lazy("Webhooks"),
     gettext_lazy("Signed notifications of events to registered systems, retries and replay.")),
    ("docflow:home", "integration.load_packages", gettext_lazy("Document flow"),
     gettext_lazy("MEDO packages of orders and the answers sent back; the CSV/XLSX exchange.")),
    ("consolidation:home", "integration.view_consolidation", gettext_lazy("Consolidation"),
     gettext_lazy("Orders pushed by the installations of the vice-governors.")),
)


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: int
    url: str


def log_query(filters: LogFilter) -> str:
    """The log's query string for ``filters`` (the form's names), so a count links to exactly its list."""
    values: dict[str, Any] = {}
    for name, value in asdict(filters).items():
        if value in (None, ""):
            continue
        values[name] = filters.system.code if name == "system" else value
    return urlencode(values)


def log_figures(user: Any) -> list[Figure]:
    today = timezone.localdate()
    wanted = (
        ("in_today", _("Messages in today"), LogFilter(direction="in", date_from=today, date_to=today)),
        ("out_today", _("Messages out today"), LogFilter(direction="out", date_from=today, date_to=today)),
        ("refused_24h", _("Refused in the last 24 hours"), LogFilter(status="refused", hours=24)),
        ("failed_24h", _("Failed in the last 24 hours"), LogFilter(status="failed", hours=24)),
    )
    base = reverse("integration:log")
    return [Figure(key, label, exchange.messages(user=user, filters=f).count(), f"{base}?{log_query(f)}")
            for key, label, f in wanted]


def _parts(user: Any) -> list[dict[str, Any]]:
    found = []
    for name, perm, label, text in PARTS:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        if user.has_perm(perm):
            found.append({"url": url, "label": label, "text": text})
    return found


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.has_perm("integration.access"):
        raise PermissionDenied(_("Integration is for administrators and the Department of Control."))
    manages = systems.may_manage(user)
    reads_log = user.has_perm("integration.view_exchange")
    return render(request, "integration/home.html", {
        "manages": manages, "reads_log": reads_log,
        "systems_active": systems.active_count() if manages else None,
        "figures": log_figures(user) if reads_log else [],
        "parts": _parts(user)})
