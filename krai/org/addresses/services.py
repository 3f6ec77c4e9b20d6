"""Loading the address registry (the one write of the geocoder; the reading and storing is ``loading``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from krai.core.events.services import record_event
from krai.org.addresses.loading import LoadResult, check_rows, store_rows


@transaction.atomic
def addresses_load(*, actor, rows: Iterable[Mapping[str, Any]], source: str = "", skip_invalid: bool = False
                   ) -> LoadResult:
    """Load address rows into the registry (an upsert); ``actor=None`` is the system (``krai load_addresses``).

    With a bad row nothing is written and ValidationError lists the first bad lines — unless
    ``skip_invalid``, when the good rows are loaded and the bad ones counted in the result.
    """
    if actor is not None and not getattr(actor, "is_superuser", False):
        raise PermissionDenied(_("Only an administrator loads the address registry."))
    good, result = check_rows(rows)
    if result.errors and not skip_invalid:
        shown = "; ".join(_("line %(line)s: %(error)s") % {"line": line, "error": error}
                          for line, error in result.errors[:20])
        raise ValidationError(_("%(n)s rows are not addresses, nothing was loaded: %(list)s")
                              % {"n": len(result.errors), "list": shown})
    result.skipped = len(result.errors)
    result.loaded, result.streets_added = store_rows(good)
    record_event(kind="addresses.loaded", actor=actor, payload={
        "source": source[:200], "rows": result.rows, "loaded": result.loaded, "streets_added": result.streets_added,
        "skipped": result.skipped})
    return result
