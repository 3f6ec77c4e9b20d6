"""Open311 clients' keys (``Open311Key``): only the SHA-256 of a key is stored (``_hash``); the key itself is
shown once, when it is issued, and the reports a client posts are authored by the key's user.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from krai.core.models import TimeStamped


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class Open311Key(TimeStamped):
    """An Open311 client's ``api_key`` for posting requests; the reports it posts are authored by ``user``.

    Only the SHA-256 of the key is stored; the key itself is shown once, when it is made.
    """

    name = models.CharField(_("client"), max_length=200)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("acts as"))
    prefix = models.CharField(max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("Open311 key")
        verbose_name_plural = _("Open311 keys")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, *, name: str, user) -> tuple[Open311Key, str]:
        key = secrets.token_urlsafe(30)
        return cls.objects.create(name=name, user=user, prefix=key[:8], key_hash=_hash(key)), key

    @classmethod
    def find(cls, key: str) -> Open311Key | None:
        if not key or len(key) > 200:
            return None
        return cls.objects.select_related("user").filter(key_hash=_hash(key), is_active=True).first()
