"""What the public reads of a resident's text: the one mask of personal data (krai.core.privacy)."""

from __future__ import annotations

from krai.core.privacy import mask_personal


class PublicText:
    """``public_title`` and ``public_body`` of a model with ``title`` and ``body``; staff read the text as written."""

    title: str
    body: str

    @property
    def public_title(self) -> str:
        return mask_personal(self.title)

    @property
    def public_body(self) -> str:
        return mask_personal(self.body)
