"""Reading a feed or a page over HTTP: a conditional request, a timeout, a size cap; and article addresses
normalised so one page reached by two addresses is one article.

``KRAI_PRESS_TIMEOUT`` seconds bound the connection and each read (requests' read timeout: the server silent
that long), and the whole body must arrive within ``KRAI_PRESS_TOTAL_TIMEOUT``; at most ``KRAI_PRESS_MAX_BYTES``
are read (a larger answer is refused, not cut: half a feed would lose its closing tags).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import requests
from django.conf import settings

USER_AGENT = "Krai media monitor (+https://github.com/krai)"
TRACKING = ("utm_", "yclid", "gclid", "fbclid", "from", "ref", "_openstat")


class FetchError(Exception):
    """The address could not be read: its reason is the message, kept on the source."""


@dataclass(frozen=True)
class Fetched:
    status: int  # 200, or 304 when nothing changed since the validators sent
    body: bytes = b""
    etag: str = ""
    last_modified: str = ""
    content_type: str = ""


def timeout() -> float:
    return float(getattr(settings, "KRAI_PRESS_TIMEOUT", 10))


def total_timeout() -> float:
    return float(getattr(settings, "KRAI_PRESS_TOTAL_TIMEOUT", 30))


def max_bytes() -> int:
    return int(getattr(settings, "KRAI_PRESS_MAX_BYTES", 5 * 1024 * 1024))


def get(url: str, *, etag: str = "", last_modified: str = "") -> Fetched:
    """GET ``url``; with ``etag``/``last_modified`` a conditional GET (304: ``Fetched(status=304)``)."""
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    started = time.monotonic()
    try:
        with requests.get(url, headers=headers, timeout=(timeout(), timeout()), stream=True,
                          allow_redirects=True) as response:
            if response.status_code == 304:
                return Fetched(status=304, etag=etag, last_modified=last_modified)
            if response.status_code != 200:
                raise FetchError(f"HTTP {response.status_code}")
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > max_bytes():
                raise FetchError(f"too large: {declared} bytes")
            chunks, size = [], 0
            for chunk in response.iter_content(64 * 1024):
                size += len(chunk)
                if size > max_bytes():
                    raise FetchError(f"too large: over {max_bytes()} bytes")
                if time.monotonic() - started > total_timeout():
                    raise FetchError(f"too slow: over {total_timeout():g} s")
                chunks.append(chunk)
            return Fetched(status=200, body=b"".join(chunks), etag=response.headers.get("ETag", ""),
                           last_modified=response.headers.get("Last-Modified", ""),
                           content_type=response.headers.get("Content-Type", ""))
    except requests.Timeout as exc:
        raise FetchError(f"timed out after {timeout():g} s") from exc
    except requests.RequestException as exc:
        raise FetchError(f"{type(exc).__name__}: {exc}"[:500]) from exc


def normalise_url(url: str) -> str:
    """The address as a key: scheme and host lower-cased, no ``www.``, default port, fragment, tracking
    parameters or trailing slash; the remaining parameters sorted."""
    parts = urlsplit((url or "").strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    if parts.port and not ((parts.scheme == "http" and parts.port == 80)
                           or (parts.scheme == "https" and parts.port == 443)):
        host = f"{host}:{parts.port}"
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if not k.lower().startswith(TRACKING))
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("https" if parts.scheme in ("http", "https") else parts.scheme, host, path,
                       urlencode(query), ""))
