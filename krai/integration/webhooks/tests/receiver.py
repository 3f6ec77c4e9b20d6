"""A test system on 127.0.0.1: a real HTTP server in a thread that verifies every request's Standard Webhooks
signature, keeps each message once by its ``webhook-id`` (a repeat is acknowledged and ignored, as a receiver
must), and can be stopped and started again on the same port."""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks.webhooks import Webhook, WebhookVerificationError


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Receiver:
    """The receiving system: ``messages`` by ``webhook-id`` (first copy), ``duplicates``, ``rejected`` requests."""

    def __init__(self, secret: str = "", *, status: int = 204, port: int | None = None) -> None:
        self.secret = secret
        self.status = status
        self.port = port or free_port()
        self.messages: dict[str, dict[str, Any]] = {}
        self.order: list[str] = []
        self.duplicates: list[str] = []
        self.rejected: list[str] = []
        self.requests = 0
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/krai"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                headers = {key.lower(): value for key, value in self.headers.items()}
                with receiver._lock:
                    receiver.requests += 1
                    try:
                        data = Webhook(receiver.secret).verify(body, headers)
                    except WebhookVerificationError as exc:
                        receiver.rejected.append(str(exc))
                        status = 401
                    else:
                        message_id = headers["webhook-id"]
                        if message_id in receiver.messages:
                            receiver.duplicates.append(message_id)
                        else:
                            receiver.messages[message_id] = data
                            receiver.order.append(message_id)
                        status = receiver.status
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("location", "http://127.0.0.1:9/elsewhere")
                self.send_header("content-length", "0")
                self.end_headers()

        return Handler

    def start(self) -> Receiver:
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = None

    def kinds(self) -> list[str]:
        return [self.messages[message_id]["type"] for message_id in self.order]

    def __enter__(self) -> Receiver:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()
