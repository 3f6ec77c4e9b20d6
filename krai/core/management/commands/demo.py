"""``krai demo``: fill the database with a demo region, idempotently (see ``krai.core.demo``)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from krai.core import demo


def refresh_statistics() -> None:
    """ANALYZE after the bulk load, on PostgreSQL. The planner's statistics still describe empty tables until
    autovacuum gets to them (a minute or more later; never where it is turned off), and with them it joins every
    row before sorting: under the load test (bench/bench_load.py) the problem map's list took 82 ms for 25 rows
    instead of a few. A demo region analyses in about a second."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


class Command(BaseCommand):
    help = "Load the demo region (re-running changes nothing; --scale N multiplies the volumes)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--scale", type=int, default=1, help="multiply the volumes by N (default 1)")
        parser.add_argument("--only", nargs="*", default=[], metavar="NAME",
                            help="run only the loaders whose name contains one of these")
        parser.add_argument("--list", action="store_true", dest="list_only",
                            help="list the loaders in run order and stop")

    def handle(self, *args, scale: int, only: list[str], list_only: bool, **options) -> None:
        if list_only:
            for loader in demo.loaders():
                self.stdout.write(f"{loader.order:>5}  {loader.name}")
            return
        if scale < 1:
            raise CommandError("--scale must be at least 1")
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError("The database is not migrated: run `krai migrate` first.")
        self.stdout.write(f"Loading the demo (scale {scale}):")
        logins = demo.run(scale=scale, stdout=self.stdout, only=only)
        refresh_statistics()
        self.stdout.write(self.style.SUCCESS("The demo is loaded."))
        if logins:
            self.stdout.write(f"\nDemo logins (password: {settings.KRAI_DEMO_PASSWORD}):")
            for line in logins:
                self.stdout.write(f"  {line}")
