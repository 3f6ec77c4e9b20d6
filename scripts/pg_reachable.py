"""Exit 0 when the PostgreSQL server named by KRAI_TEST_POSTGRES_URL answers, 1 otherwise."""

import os
import sys

import psycopg

url = os.environ.get("KRAI_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/krai")
# connect to the maintenance database: the test database is created by the test run itself
base = url.rsplit("/", 1)[0] + "/postgres"
try:
    psycopg.connect(base, connect_timeout=3).close()
except Exception:  # noqa: BLE001 - any failure means "not reachable"
    sys.exit(1)
sys.exit(0)
