"""Feeds and pages served on 127.0.0.1 for the media tests: real RSS 2.0 and Atom 1.0 files from ``data/`` (their
``{host}`` and dates filled in), conditional answers (ETag, Last-Modified → 304), a slow feed and a count of hits."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import time
from collections import Counter
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

DATA = Path(__file__).parent / "data"
LAST_MODIFIED = "Sun, 06 Dec 2026 06:00:00 GMT"
ROUTES = {
    "/feeds/kuban24.rss": ("kuban24.rss", "application/rss+xml; charset=utf-8"),
    "/feeds/federal.atom": ("federal.atom", "application/atom+xml; charset=utf-8"),
    "/feeds/yug.rss": ("yug.rss", "application/rss+xml"),
    "/feeds/broken.xml": ("broken.xml", "application/rss+xml"),
    "/feeds/slow.rss": ("slow.rss", "application/rss+xml"),
    "/yug/news/school.html": ("yug-school.html", "text/html; charset=utf-8"),
    "/kuban24/embankment.html": ("embankment.html", "text/html; charset=utf-8"),
}


class FeedServer:
    def __init__(self, *, slow_seconds: float = 2.0) -> None:
        self.slow_seconds = slow_seconds
        self.hits: Counter[str] = Counter()
        self.conditional: Counter[str] = Counter()
        self.now = dt.datetime.now(dt.UTC)
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                server.hits[path] += 1
                if path not in ROUTES:
                    self.send_error(404)
                    return
                if path.startswith("/feeds/slow"):
                    time.sleep(server.slow_seconds)
                name, content_type = ROUTES[path]
                body = server.body(name)
                etag = '"' + hashlib.sha1(body, usedforsecurity=False).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag or self.headers.get("If-Modified-Since") == LAST_MODIFIED:
                    server.conditional[path] += 1
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(body)))
                    self.send_header("ETag", etag)
                    self.send_header("Last-Modified", LAST_MODIFIED)
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (the slow feed's timeout)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.host = f"127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def body(self, name: str) -> bytes:
        data = (DATA / name).read_bytes()
        return (data.replace(b"{host}", self.host.encode())
                .replace(b"{today_rfc822}", format_datetime(self.now - dt.timedelta(hours=1)).encode())
                .replace(b"{today_iso}", (self.now - dt.timedelta(hours=1)).isoformat().encode()))

    def url(self, path: str) -> str:
        return f"http://{self.host}{path}"

    def __enter__(self) -> FeedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
