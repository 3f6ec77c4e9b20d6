"""``krai demo`` leaves the planner's statistics fresh on PostgreSQL (bulk-loaded tables are analysed)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from krai.org.models import Municipality


def _estimated_rows(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
        return int(cursor.fetchone()[0])


@pytest.mark.django_db
def test_demo_analyses_the_loaded_tables() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("ANALYZE and pg_class are PostgreSQL's")
    with connection.cursor() as cursor:  # the statistics of an empty table, as after `krai migrate`
        cursor.execute("ANALYZE org_municipality")
    assert _estimated_rows("org_municipality") == 0
    call_command("demo", only=["krai.org.demo"], stdout=StringIO())
    assert _estimated_rows("org_municipality") == Municipality.objects.count() > 0
