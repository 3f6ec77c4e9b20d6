"""``krai dispatch_events``: deliver pending domain events now, for operators and cron-less setups."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from krai.core.events import dispatch


class Command(BaseCommand):
    help = "Deliver pending domain events to their subscribers (the job the worker runs after each commit)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--limit", type=int, default=1000, help="At most this many handler runs per pass.")
        parser.add_argument("--loop", action="store_true", help="Keep running, one pass every --interval seconds.")
        parser.add_argument("--interval", type=float, default=5.0)
        parser.add_argument("--retry-failed", action="store_true",
                            help="Give failed deliveries a fresh set of attempts first.")
        parser.add_argument("--subscriber", help="With --retry-failed: only this subscriber's deliveries.")
        parser.add_argument("--stats", action="store_true", help="Only print the backlog and exit.")

    def handle(self, *args, limit: int, loop: bool, interval: float, retry_failed: bool,
               subscriber: str | None, stats: bool, **options) -> None:
        if stats:
            for name, count in dispatch.backlog().items():
                self.stdout.write(f"{name}: {count}")
            return
        if retry_failed:
            count = dispatch.retry_failed(subscriber=subscriber)
            self.stdout.write(f"{count} failed deliveries put back in the queue")
        while True:
            result = dispatch.deliver_pending(limit=limit)
            self.stdout.write(str(result))
            if not loop:
                return
            if result.attempted < limit:
                time.sleep(interval)
