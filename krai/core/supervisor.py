"""A small process supervisor: the web server and the job consumer of ``krai serve`` as one unit.

Why not supervisord or systemd: ``make run`` must serve on a fresh machine with nothing installed, and a
production host runs the same two programs under its own supervisor (docs/operations.md). This one keeps
them alive on a developer's machine and a single-box installation:

- each child is restarted when it dies, with a growing pause; a child that keeps dying within seconds
  of its start (a port already taken, a broken configuration) stops the whole unit with its exit code,
  instead of a restart loop that hides the cause;
- SIGTERM or SIGINT stops every child with SIGTERM, waits for them (gunicorn finishes its requests,
  Huey its running jobs), and kills whatever is left after the grace period.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field

log = logging.getLogger("krai.supervisor")


@dataclass
class Program:
    """One supervised command line."""

    name: str
    argv: list[str]
    env: dict[str, str] | None = None
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    quick_failures: int = 0
    restarts: int = 0
    next_start: float = 0.0


@dataclass
class Supervisor:
    programs: list[Program]
    grace_seconds: float = 20.0
    quick_exit_seconds: float = 5.0
    max_quick_failures: int = 3
    poll_seconds: float = 0.2
    spawn: Callable[..., subprocess.Popen] = subprocess.Popen
    _stopping: bool = field(default=False, init=False)
    exit_code: int = field(default=0, init=False)

    def start(self, program: Program) -> None:
        env = {**os.environ, **(program.env or {})}
        program.process = self.spawn(program.argv, env=env)
        program.started_at = time.monotonic()
        log.info("started %s (pid %s)", program.name, program.process.pid)

    def request_stop(self, signum: int | None = None, _frame=None) -> None:
        if not self._stopping:
            log.info("stopping on signal %s", signum)
        self._stopping = True

    def run(self) -> int:
        """Start every program, keep them up until a stop is asked for; return the exit code."""
        previous = {sig: signal.signal(sig, self.request_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            for program in self.programs:
                self.start(program)
            while not self._stopping:
                self._watch()
                time.sleep(self.poll_seconds)
        finally:
            self._stop_all()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        return self.exit_code

    def _watch(self) -> None:
        now = time.monotonic()
        for program in self.programs:
            process = program.process
            if process is None:
                if now >= program.next_start:
                    self.start(program)
                continue
            code = process.poll()
            if code is None:
                if now - program.started_at > self.quick_exit_seconds:
                    program.quick_failures = 0
                continue
            lived = now - program.started_at
            program.process = None
            if lived < self.quick_exit_seconds:
                program.quick_failures += 1
            if program.quick_failures >= self.max_quick_failures:
                log.error("%s exited with %s %d times right after starting; stopping", program.name, code,
                          program.quick_failures)
                self.exit_code = code or 1
                self._stopping = True
                return
            program.restarts += 1
            pause = min(30.0, 0.5 * 2 ** program.quick_failures)
            program.next_start = now + pause
            log.warning("%s exited with %s after %.1f s; restarting in %.1f s", program.name, code, lived, pause)

    def _stop_all(self) -> None:
        running = [p for p in self.programs if p.process is not None and p.process.poll() is None]
        for program in running:
            with contextlib.suppress(ProcessLookupError):
                program.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + self.grace_seconds
        for program in running:
            try:
                program.process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.warning("%s did not stop in %.0f s; killing it", program.name, self.grace_seconds)
                program.process.kill()
                program.process.wait()
