"""The idempotency keys of the writes that carried one: a request repeated with the same key (an app's action queued
offline and sent again after a lost answer) gets the first one's answer instead of doing it twice."""

from __future__ import annotations

from django.db import models


class IdempotencyKey(models.Model):
    """A key as its sender used it: ``owner`` is whose it is (a session's user, a token's digest, an anonymous
    session), ``fingerprint`` the digest of the request it came with (method, path, body), and the answer kept to be
    replayed: its status, its location (a redirect) and its body (JSON of at most ``MAX_BODY`` bytes)."""

    owner = models.CharField(max_length=80)
    key = models.CharField(max_length=128)
    fingerprint = models.CharField(max_length=64)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=500)
    status = models.PositiveSmallIntegerField(default=0)
    content_type = models.CharField(max_length=100, blank=True)
    location = models.CharField(max_length=1000, blank=True)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "key"], name="idempotency_owner_key")]

    def __str__(self) -> str:
        return f"{self.owner} {self.key}"
