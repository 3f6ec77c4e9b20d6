"""Who is really acting when a deputy acts for a principal.

While a deputy acts for someone (``krai.accounts.acting``: a temporary deputyship, switched on in his session), the
request is the principal's — his scopes, his lists, his rights — and every event recorded during it carries the
deputy as well (``Event.deputy``, copied to the audit trail), so that everything done is marked as done by the
deputy for the principal. The kernel only keeps the marker; the structure decides who may act for whom.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

_deputy = contextvars.ContextVar[int | None]("krai_acting_deputy", default=None)


def current_deputy_id() -> int | None:
    """The id of the deputy acting in this request or job, or None when people act for themselves."""
    return _deputy.get()


@contextlib.contextmanager
def deputy_acting(deputy_id: int | None) -> Iterator[None]:
    """Mark every event recorded inside the block as done by ``deputy_id`` for the request's user."""
    token = _deputy.set(deputy_id)
    try:
        yield
    finally:
        _deputy.reset(token)
