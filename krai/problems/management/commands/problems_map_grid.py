"""Rebuild the map's pre-aggregated grid from the problems (after bulk writes or a restore)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from krai.problems import buckets, grid


class Command(BaseCommand):
    help = "Count the published problems per map grid cell again (and per cell, theme, status and day)."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            cells = grid.rebuild()
            rows = buckets.rebuild()
        self.stdout.write(f"map grid: {cells} cells; filtered map buckets: {rows} rows")
