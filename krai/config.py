"""Configuration from the environment.

Embedded mode (the default) needs nothing: SQLite and Huey's SQLite storage under ``var/``, a secret
key generated once into ``var/secret_key``. Production mode (``KRAI_ENV=production``) refuses to
start with any unsafe default, so a forgotten variable is a failed deploy, not an open door.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(f"KRAI_{name}")
    return value if value not in (None, "") else default


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = env(name)
    return default if value is None else int(value)


def env_list(name: str, default: list[str]) -> list[str]:
    value = env(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def var_dir() -> Path:
    path = Path(env("VAR_DIR", str(BASE_DIR / "var")))
    path.mkdir(parents=True, exist_ok=True)
    return path


def is_production() -> bool:
    return (env("ENV", "development") or "development").lower() == "production"


def secret_key() -> str:
    key = env("SECRET_KEY")
    if key:
        return key
    if is_production():
        raise ImproperlyConfigured("KRAI_SECRET_KEY must be set in production mode.")
    path = var_dir() / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def check_production(*, debug: bool, allowed_hosts: list[str], secret: str) -> None:
    """Refuse the unsafe defaults that are fine on a developer's machine."""
    if not is_production():
        return
    problems = []
    if debug:
        problems.append("KRAI_DEBUG must be off")
    if not allowed_hosts or "*" in allowed_hosts:
        problems.append("KRAI_ALLOWED_HOSTS must list the real host names")
    if len(secret) < 40 or secret.startswith("django-insecure"):
        problems.append("KRAI_SECRET_KEY must be at least 40 random characters")
    if problems:
        raise ImproperlyConfigured("Unsafe production configuration: " + "; ".join(problems) + ".")


DEFAULT_MAP_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


def map_tile_url() -> str:
    """Leaflet's tile URL template; set but empty means no tiles (boundaries on a blank map, closed networks)."""
    value = os.environ.get("KRAI_MAP_TILE_URL")
    return DEFAULT_MAP_TILE_URL if value is None else value.strip()


def url_origin(template: str) -> str:
    """The origin a URL template loads from, as a CSP source ("" for none or for the installation itself).

    A subdomain placeholder (``https://{s}.tile.example.ru/…``) becomes a wildcard the policy accepts.
    """
    parts = urlsplit(template.replace("{s}.", "*."))
    if not parts.scheme or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}"
