"""What every law-making API view shares: the kernel's area views (documented errors, refusals kept with their
messages, throttled writes) and the initiative by its id for the caller (404 for a missing and a hidden one
alike)."""

from __future__ import annotations

from krai.core.api_views import ERRORS, AreaView, AreaWriteView, errors
from krai.lawmaking.models import Initiative
from krai.lawmaking.selectors.initiatives import initiative_for

__all__ = ["ERRORS", "LawmakingView", "LawmakingWriteView", "errors"]


class LawmakingView(AreaView):
    """Reads for everyone, writes for the signed-in; the services' refusals keep their messages."""

    def initiative(self, pk: int) -> Initiative:
        return initiative_for(self.request.user, pk)


class LawmakingWriteView(LawmakingView, AreaWriteView):
    """Writes throttled like every public write of Krai (reads are not)."""
