"""A dispatcher in a process of its own, for the crash tests (not a test module itself).

    python worker.py seed N     record N ``test.source`` events, each in its own transaction
    python worker.py run        ``krai dispatch_events``; with KRAI_TEST_CRASH_ON=<event id> the handler
                                kills the process after its write, before the commit
                                (with KRAI_TEST_SLOW_ON=<event id> it writes the file KRAI_TEST_SLOW_MARK,
                                then works until the file KRAI_TEST_SLOW_RELEASE appears, at most
                                KRAI_TEST_SLOW_SECONDS, before its commit)
    python worker.py later      deliver with the clock past every lease (a later sweep)
    python worker.py soon S     deliver with the clock S seconds ahead

The database is the one in KRAI_DATABASE_URL (the test's own, shared with this process).
"""

import os
import sys
import time
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "krai.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from krai.core.events import dispatch  # noqa: E402
from krai.core.events.registry import subscriber  # noqa: E402
from krai.core.events.services import record_event  # noqa: E402

CRASH_ON = os.environ.get("KRAI_TEST_CRASH_ON", "")
SLOW_ON = os.environ.get("KRAI_TEST_SLOW_ON", "")


@subscriber("test.echo", kinds=["test.source"])
def echo(event) -> None:
    # The effect is a new row with no unique key: run twice and committed twice, it would show twice.
    record_event(kind="test.echo", payload={"of": event.pk, "pid": os.getpid()})
    if str(event.pk) == CRASH_ON:
        os._exit(17)
    if str(event.pk) == SLOW_ON:
        Path(os.environ["KRAI_TEST_SLOW_MARK"]).write_text(str(os.getpid()))
        release = Path(os.environ["KRAI_TEST_SLOW_RELEASE"])
        deadline = time.monotonic() + float(os.environ.get("KRAI_TEST_SLOW_SECONDS", "5"))
        while not release.exists() and time.monotonic() < deadline:
            time.sleep(0.05)


def main(command: str, *args: str) -> None:
    if command == "seed":
        for number in range(int(args[0])):
            with transaction.atomic():
                record_event(kind="test.source", payload={"n": number})
    elif command == "run":
        call_command("dispatch_events", *args)
    elif command == "later":
        later = timezone.now() + timedelta(seconds=dispatch.lease_seconds() + 1)
        print(dispatch.deliver_pending(now=later))
    elif command == "soon":
        print(dispatch.deliver_pending(now=timezone.now() + timedelta(seconds=float(args[0]))))
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main(*sys.argv[1:])
