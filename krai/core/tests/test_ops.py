"""Operations: health, metrics, request ids, the API's one error format, production refusals."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from krai import config

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
def test_healthz_answers_ok_when_database_and_queue_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "queue": "ok"}}


@pytest.mark.django_db
def test_healthz_answers_503_and_names_the_queue_when_it_is_down(client, monkeypatch):
    from huey.contrib.djhuey import HUEY

    def broken():
        raise ConnectionError("redis is gone")

    monkeypatch.setattr(HUEY, "pending_count", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["queue"].startswith("error")


@pytest.mark.django_db
def test_metrics_count_requests_by_route(client):
    client.get(reverse("portal:structure"))
    text = client.get("/metrics").content.decode()
    assert 'krai_http_requests_total{method="GET",route="structure/",status="200"}' in text
    assert "krai_http_request_seconds_bucket" in text


@pytest.mark.django_db
def test_request_id_is_echoed_when_sane_and_replaced_when_not(client):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="lb-42.a_b")["X-Request-ID"] == "lb-42.a_b"
    replaced = client.get("/healthz", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"]
    assert replaced != "<script>" and len(replaced) == 32


@pytest.mark.django_db
def test_api_errors_share_one_format(client, citizen):
    missing = client.get("/api/v1/organisations/999999/")
    assert missing.status_code == 404
    assert set(missing.json()["error"]) >= {"status", "code", "message"}
    assert missing.json()["error"]["status"] == 404
    anonymous_write = client.post("/api/v1/blocks/", data={}, content_type="application/json")
    assert anonymous_write.status_code in (401, 403)
    assert anonymous_write.json()["error"]["status"] == anonymous_write.status_code


def test_schema_generates_without_errors():
    result = subprocess.run([sys.executable, "-m", "krai.cli", "spectacular", "--validate", "--fail-on-warn"],
                            cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "openapi: 3" in result.stdout


@pytest.mark.parametrize(
    ("debug", "hosts", "secret", "fragment"),
    [
        (True, ["krai.example"], "x" * 50, "KRAI_DEBUG"),
        (False, ["*"], "x" * 50, "KRAI_ALLOWED_HOSTS"),
        (False, [], "x" * 50, "KRAI_ALLOWED_HOSTS"),
        (False, ["krai.example"], "short", "KRAI_SECRET_KEY"),
        (False, ["krai.example"], "django-insecure-" + "x" * 40, "KRAI_SECRET_KEY"),
    ],
)
def test_production_mode_refuses_unsafe_defaults(monkeypatch, debug, hosts, secret, fragment):
    monkeypatch.setenv("KRAI_ENV", "production")
    with pytest.raises(ImproperlyConfigured, match=fragment):
        config.check_production(debug=debug, allowed_hosts=hosts, secret=secret)


def test_production_mode_accepts_a_safe_configuration(monkeypatch):
    monkeypatch.setenv("KRAI_ENV", "production")
    config.check_production(debug=False, allowed_hosts=["krai.example"], secret="k" * 50)


def test_production_mode_without_a_secret_key_refuses_to_start(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "KRAI_ENV": "production", "KRAI_VAR_DIR": str(tmp_path),
           "KRAI_ALLOWED_HOSTS": "krai.example"}
    result = subprocess.run([sys.executable, "-m", "krai.cli", "check"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "KRAI_SECRET_KEY" in result.stderr


def test_redis_url_switches_cache_and_jobs_to_redis(tmp_path):
    code = ("import django, json; django.setup(); from django.conf import settings; "
            "print(json.dumps([settings.CACHES['default']['BACKEND'], settings.HUEY['huey_class'],"
            " settings.SESSION_ENGINE]))")
    env = {"PATH": "/usr/bin:/bin", "KRAI_VAR_DIR": str(tmp_path), "KRAI_REDIS_URL": "redis://127.0.0.1:6379/5",
           "DJANGO_SETTINGS_MODULE": "krai.settings"}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    cache, huey, sessions = json.loads(result.stdout.strip().splitlines()[-1])
    assert cache == "django.core.cache.backends.redis.RedisCache"
    assert huey == "huey.RedisHuey"
    assert sessions == "django.contrib.sessions.backends.cache"


@pytest.mark.django_db
def test_options_describes_a_view_without_failing(client, django_user_model):
    admin = django_user_model.objects.create_superuser(email="root@example.ru", password="x" * 12)
    client.force_login(admin)
    response = client.options("/api/v1/municipalities/")
    assert response.status_code == 200
    assert response.json()["schema"] == "/api/schema/"


@pytest.mark.django_db
def test_an_id_too_large_for_the_database_is_a_400_not_a_crash(client, django_user_model):
    admin = django_user_model.objects.create_superuser(email="root2@example.ru", password="x" * 12)
    client.force_login(admin)
    response = client.get("/api/v1/positions/", {"organisation": "4737917128334652735488"})
    # SQLite cannot bind such a number (a 400 in the error format); PostgreSQL compares it and finds nothing
    if response.status_code == 400:
        assert response.json()["error"]["status"] == 400
    else:
        assert response.status_code == 200 and response.json()["results"] == []
