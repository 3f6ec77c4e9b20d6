"""``krai verify_ranks [PERIOD …]``: recompute published rank checksums from the raw votes (all builds by default)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404

from krai.participation.selectors import priorities as selectors


class Command(BaseCommand):
    help = "Recompute every checksum of the published rank builds from the stored votes, each in its own scheme."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("periods", nargs="*", help="periods to verify (2026-Q1 …); all builds when none given")

    def handle(self, *args: Any, periods: list[str], **options: Any) -> None:
        try:
            builds = [selectors.build_get(period) for period in periods] if periods else list(selectors.build_list())
        except Http404 as missing:
            raise CommandError(str(missing)) from None
        failed = 0
        for build in builds:
            problems = selectors.build_verify(build=build)
            if problems:
                failed += 1
                self.stdout.write(f"{build.period} (scheme {build.scheme}): {len(problems)} mismatches")
                for problem in problems[:20]:
                    self.stdout.write(f"  {problem}")
            else:
                self.stdout.write(f"{build.period} (scheme {build.scheme}): {build.votes_total} votes, "
                                  f"checksum {build.checksum} verified")
        if failed:
            raise CommandError(f"{failed} of {len(builds)} builds do not match their votes")
