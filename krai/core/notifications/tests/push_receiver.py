"""A test push service on 127.0.0.1 and the browser that subscribed to it: a real HTTP server in a thread keeps every
message as it arrived (headers and encrypted body) and answers a chosen status; ``FakeBrowser`` holds the P-256 key
pair and auth secret a browser's Push API would make, and decrypts a message (aes128gcm, RFC 8291) as it would."""

from __future__ import annotations

import base64
import json
import os
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Message:
    path: str
    headers: dict[str, str]
    body: bytes


class PushService:
    """The push service: ``messages`` in order of arrival; answers ``status`` (201 as real ones do)."""

    def __init__(self, *, status: int = 201) -> None:
        self.status = status
        self.port = free_port()
        self.messages: list[Message] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    def endpoint(self, name: str = "browser-1") -> str:
        return f"http://127.0.0.1:{self.port}/push/{name}"

    def start(self) -> PushService:
        service = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                with service._lock:
                    service.messages.append(Message(self.path, {k.lower(): v for k, v in self.headers.items()},
                                                    body))
                self.send_response(service.status)
                self.send_header("content-length", "0")
                self.end_headers()

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> PushService:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


@dataclass
class FakeBrowser:
    """What a browser's ``pushManager.subscribe`` makes: a P-256 key pair and a 16-byte auth secret."""

    key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    auth: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def p256dh(self) -> str:
        return b64url(self.key.public_key().public_bytes(serialization.Encoding.X962,
                                                         serialization.PublicFormat.UncompressedPoint))

    def subscription_json(self, endpoint: str) -> dict[str, Any]:
        """``PushSubscription.toJSON()`` as the page posts it."""
        return {"endpoint": endpoint, "keys": {"p256dh": self.p256dh, "auth": b64url(self.auth)}}

    def decrypt(self, body: bytes) -> dict[str, Any]:
        return json.loads(http_ece.decrypt(body, private_key=self.key, auth_secret=self.auth, version="aes128gcm"))


def vapid_claims(authorization: str, public_key: str) -> dict[str, Any]:
    """Check an ``Authorization: vapid t=<JWT>, k=<key>`` header (RFC 8292): the key is ``public_key`` and the JWT's
    ES256 signature verifies with it; returns the JWT's claims."""
    scheme, _, params = authorization.partition(" ")
    assert scheme.lower() == "vapid", authorization
    values = dict(part.strip().split("=", 1) for part in params.split(","))
    assert values["k"] == public_key
    token = values["t"]
    signed, _, signature = token.rpartition(".")
    raw = unb64url(signature)
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(public_key))
    key.verify(encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")),
               signed.encode("ascii"), ec.ECDSA(hashes.SHA256()))  # raises InvalidSignature if forged
    header, claims = (json.loads(unb64url(part)) for part in signed.split("."))
    assert header["alg"] == "ES256"
    return claims
