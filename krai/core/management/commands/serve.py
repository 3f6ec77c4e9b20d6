"""``krai serve``: the web server (gunicorn) and the job consumer (Huey, with its periodic tasks) as one unit."""

from __future__ import annotations

import logging
import os
import shutil
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from krai.core.staticcheck import static_files_problem
from krai.core.supervisor import Program, Supervisor


def web_argv(*, host: str, port: int, workers: int, threads: int) -> list[str]:
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return [sys.executable, "-m", "gunicorn", "krai.wsgi:application", "--config", "python:krai.gunicorn_conf",
            "--bind", bind, "--workers", str(workers), "--threads", str(threads)]


def worker_argv() -> list[str]:
    return [sys.executable, "-m", "krai.cli", "run_huey"]


class Command(BaseCommand):
    help = "Serve Krai: gunicorn and the Huey consumer (jobs and periodic tasks) under one supervisor."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--web-workers", type=int, default=int(os.environ.get("KRAI_WEB_WORKERS", 2)))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("KRAI_WEB_THREADS", 4)))
        parser.add_argument("--no-worker", action="store_true", help="serve pages only (workers run elsewhere)")
        parser.add_argument("--no-web", action="store_true", help="run only the job consumer")

    def handle(self, *args, host: str, port: int, web_workers: int, threads: int, no_worker: bool,
               no_web: bool, **options) -> None:
        if no_worker and no_web:
            raise CommandError("--no-worker and --no-web together leave nothing to run.")
        if not 0 < port < 65536 or web_workers < 1 or threads < 1:
            raise CommandError("The port must be 1–65535, workers and threads at least 1.")
        if not no_web and (problem := static_files_problem()):
            raise CommandError(problem)
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
        # One directory per run for the workers' Prometheus counters (a stale one would add old numbers).
        metrics_dir = settings.VAR_DIR / "prometheus"
        shutil.rmtree(metrics_dir, ignore_errors=True)
        metrics_dir.mkdir(parents=True)
        env = {"PROMETHEUS_MULTIPROC_DIR": str(metrics_dir), "DJANGO_SETTINGS_MODULE": "krai.settings"}
        programs = []
        if not no_web:
            programs.append(Program("web", web_argv(host=host, port=port, workers=web_workers, threads=threads), env))
        if not no_worker:
            programs.append(Program("worker", worker_argv(), env))
        if not no_web:
            self.stdout.write(f"Krai is served at http://{host}:{port}/ (workspace: /workspace/, API: /api/docs/). "
                              "Ctrl+C stops it.")
        code = Supervisor(programs).run()
        if code:
            raise CommandError(f"A program of krai serve kept failing (exit code {code}); see the log above.")
