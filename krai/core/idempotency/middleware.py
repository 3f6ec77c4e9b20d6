"""``Idempotency-Key`` on every write of Krai, pages and API alike.

A write (POST, PUT, PATCH, DELETE) that carries the header runs in one transaction together with the key's row:

- the first request with a key inserts the row, runs, and keeps its answer when it succeeded (2xx, 3xx);
- the same key again, with the same request, gets that answer replayed (``Idempotent-Replayed: true``) and
  changes nothing;
- the same key with a different request is refused (422), the key being someone else's action;
- two requests with one key at the same moment: the second waits on the key's unique index until the first
  commits, then gets its answer (PostgreSQL; SQLite serialises writers anyway);
- a refusal (4xx), a failure (5xx) or a crash keeps nothing: the key's row goes with the request's own writes, so a
  request that did not finish can be sent again and does it once.

Keys are per owner (the session's user, else the token, else the anonymous session) and kept
``KRAI_IDEMPOTENCY_HOURS`` (a daily job removes older ones)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from krai.core.idempotency.models import IdempotencyKey

HEADER = "HTTP_IDEMPOTENCY_KEY"
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
MAX_KEY = 128
MAX_BODY = 256 * 1024


def _owner(request: HttpRequest) -> str | None:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    authorization = request.META.get("HTTP_AUTHORIZATION", "")
    if authorization:
        return "auth:" + hashlib.sha256(authorization.encode()).hexdigest()[:64]
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        return f"session:{session.session_key}"
    return None


def _fingerprint(request: HttpRequest) -> str:
    """The digest of the method, the path and the body; of a body too large to hold in memory (an upload), its
    length and type instead (reading it here would take it from the view)."""
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.get_full_path()}\n".encode())
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is not None and length > limit:
        digest.update(f"{length} {request.META.get('CONTENT_TYPE', '')}".encode())
    else:
        body = request.body
        boundary = _boundary(request.META.get("CONTENT_TYPE", ""))
        if boundary:  # a form sent again is the same form, though the browser draws a new boundary for each sending
            body = body.replace(boundary, b"")
        digest.update(body)
    return digest.hexdigest()


def _boundary(content_type: str) -> bytes:
    """The multipart boundary named in a Content-Type header, or empty."""
    kind, _sep, params = content_type.partition(";")
    if kind.strip().lower() != "multipart/form-data":
        return b""
    for param in params.split(";"):
        name, _eq, value = param.strip().partition("=")
        if name.lower() == "boundary" and value:
            return value.strip('"').encode("latin-1", "ignore")
    return b""


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"status": status, "code": code, "message": message}}, status=status)


def _replay(row: IdempotencyKey, fingerprint: str) -> HttpResponse:
    if row.fingerprint != fingerprint:
        return _error(422, "idempotency_key_reused",
                      _("This Idempotency-Key was already used for another request; make a new key for this one."))
    response = HttpResponse(row.body, status=row.status, content_type=row.content_type or None)
    if row.location:
        response["Location"] = row.location
    response["Idempotent-Replayed"] = "true"
    return response


def _keep(row: IdempotencyKey, response: HttpResponse) -> bool:
    """Fill the row with the answer to replay; False when it cannot be replayed (then the key is not kept)."""
    if getattr(response, "streaming", False) or len(response.content) > MAX_BODY:
        return False
    row.status = response.status_code
    row.content_type = response.get("Content-Type", "")[:100]
    row.location = response.get("Location", "")[:1000]
    try:
        row.body = response.content.decode()
    except UnicodeDecodeError:
        return False
    row.save(update_fields=["status", "content_type", "location", "body"])
    return True


class IdempotencyMiddleware:
    """After authentication: a write carrying ``Idempotency-Key`` is done at most once per key and owner."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.META.get(HEADER, "").strip()
        if not key or request.method not in WRITES:
            return self.get_response(request)
        if len(key) > MAX_KEY or not key.isprintable():
            return _error(400, "idempotency_key_invalid",
                          _("The Idempotency-Key must be at most %(n)d printable characters.") % {"n": MAX_KEY})
        owner = _owner(request)
        if owner is None:
            return self.get_response(request)  # nobody to keep the key for: the request is simply done
        fingerprint = _fingerprint(request)
        try:
            with transaction.atomic():
                row = IdempotencyKey.objects.create(owner=owner, key=key, fingerprint=fingerprint,
                                                    method=request.method, path=request.path[:500])
                response = self.get_response(request)
                if response.status_code >= 500:
                    transaction.set_rollback(True)  # a failure keeps nothing, neither its writes nor the key
                elif response.status_code >= 400 or not _keep(row, response):
                    row.delete()
                return response
        except IntegrityError:
            pass  # the key exists (or came in while this request waited on it): answer as it was answered
        row = IdempotencyKey.objects.filter(owner=owner, key=key).first()
        if row is None or not row.status:
            return _error(409, "idempotency_key_in_use", _("A request with this Idempotency-Key is being done; "
                                                           "send it again in a moment."))
        return _replay(row, fingerprint)


def purge(hours: int | None = None) -> int:
    """Remove the keys older than ``hours`` (``KRAI_IDEMPOTENCY_HOURS``); how many went."""
    from datetime import timedelta

    from django.utils import timezone

    hours = settings.KRAI_IDEMPOTENCY_HOURS if hours is None else hours
    deleted, _rows = IdempotencyKey.objects.filter(created_at__lt=timezone.now() - timedelta(hours=hours)).delete()
    return deleted


__all__ = ["IdempotencyMiddleware", "purge"]
