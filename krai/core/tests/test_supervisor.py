"""The supervisor of ``krai serve``: restarts, refuses a restart loop, stops its children on SIGTERM."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from krai.core.supervisor import Program, Supervisor

PY = sys.executable




def test_a_child_that_dies_after_running_a_while_is_restarted(tmp_path):
    marker = tmp_path / "starts"
    # Each start appends a line, lives a little past quick_exit_seconds, then dies.
    script = f"open({str(marker)!r}, 'a').write('x\\n'); import time; time.sleep(0.4)"
    supervisor = Supervisor([Program("flaky", [PY, "-c", script])], quick_exit_seconds=0.2, poll_seconds=0.05)
    for program in supervisor.programs:
        supervisor.start(program)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and supervisor.programs[0].restarts < 2:
        supervisor._watch()
        time.sleep(0.05)
    supervisor._stop_all()
    assert supervisor.programs[0].restarts >= 2
    assert marker.read_text().count("x") >= 2
    assert supervisor.exit_code == 0


def test_a_child_that_keeps_failing_at_once_stops_the_unit_with_its_code():
    supervisor = Supervisor([Program("broken", [PY, "-c", "raise SystemExit(3)"]),
                             Program("healthy", [PY, "-c", "import time; time.sleep(60)"])],
                            quick_exit_seconds=5, max_quick_failures=2, poll_seconds=0.05, grace_seconds=5)
    started = time.monotonic()
    code = supervisor.run()
    assert code == 3
    assert time.monotonic() - started < 30
    # the healthy sibling was stopped too, not left behind
    assert supervisor.programs[1].process.poll() is not None


def test_sigterm_stops_every_child_and_the_unit_exits_cleanly(tmp_path):
    """Run the supervisor in a subprocess, send it SIGTERM, and check no child outlives it."""
    pids = tmp_path / "pids"
    child = f"import os, time; open({str(pids)!r}, 'a').write(str(os.getpid()) + '\\n'); time.sleep(120)"
    code = (
        "import sys; from krai.core.supervisor import Program, Supervisor; "
        f"sys.exit(Supervisor([Program('a', [{PY!r}, '-c', {child!r}]), Program('b', [{PY!r}, '-c', {child!r}])],"
        " grace_seconds=5).run())"
    )
    unit = subprocess.Popen([PY, "-c", code], cwd=Path(__file__).resolve().parents[3])
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and (not pids.exists() or len(pids.read_text().split()) < 2):
        time.sleep(0.1)
    children = [int(p) for p in pids.read_text().split()]
    assert len(children) == 2
    unit.send_signal(signal.SIGTERM)
    assert unit.wait(timeout=20) == 0
    for pid in children:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
def test_krai_serve_answers_health_and_stops_on_sigterm(tmp_path):
    """The real thing: ``krai serve`` on a fresh SQLite database serves /healthz and stops cleanly."""
    root = Path(__file__).resolve().parents[3]
    env = {**os.environ, "KRAI_VAR_DIR": str(tmp_path), "KRAI_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    env.pop("KRAI_REDIS_URL", None)
    subprocess.run([PY, "-m", "krai.cli", "migrate", "-v", "0"], cwd=root, env=env, check=True)
    port = _free_port()
    serve = subprocess.Popen([PY, "-m", "krai.cli", "serve", "--port", str(port), "--web-workers", "1"],
                             cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        body = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and body is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    body = response.read().decode()
            except OSError:
                time.sleep(0.3)
        assert body is not None and '"database": "ok"' in body and '"queue": "ok"' in body
    finally:
        serve.send_signal(signal.SIGTERM)
        output = serve.communicate(timeout=40)[0].decode()
    assert serve.returncode == 0, output
    assert "Consumer exiting" in output or "Shutting down" in output
