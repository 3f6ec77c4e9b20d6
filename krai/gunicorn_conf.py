"""gunicorn settings for ``krai serve`` and for production (``gunicorn -c python:krai.gunicorn_conf``).

Every value can be overridden on the command line or by ``GUNICORN_CMD_ARGS``.
"""

import os

worker_class = "gthread"
workers = int(os.environ.get("KRAI_WEB_WORKERS", "2"))
threads = int(os.environ.get("KRAI_WEB_THREADS", "4"))
timeout = int(os.environ.get("KRAI_WEB_TIMEOUT", "60"))
graceful_timeout = 20
# Idle keep-alive connections stay open longer than a person pauses between pages and than a balancer keeps its
# idle upstream connections (nginx: 60 s). With 5 s, under load a request sent on a connection the worker was closing
# got a reset (the load test of issue 12: 2 % of the requests at 200 users). An idle gthread connection holds no thread.
keepalive = int(os.environ.get("KRAI_WEB_KEEPALIVE", "75"))
# A worker is replaced after this many requests (with jitter), so a slow leak never grows for ever.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
errorlog = "-"
forwarded_allow_ips = os.environ.get("KRAI_FORWARDED_ALLOW_IPS", "127.0.0.1")


def on_starting(server):
    """Refuse to serve with missing or stale collected static files (every page would be a 500)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "krai.settings")
    django.setup()
    from krai.core.staticcheck import static_files_problem

    problem = static_files_problem()
    if problem:
        server.log.error(problem)
        raise SystemExit(1)
    # The URLconf, and every view module it imports, loaded once here before the fork: a worker (replaced every
    # ~2,000 requests, max_requests) then serves its first request at once instead of importing the whole project
    # for it, seconds of CPU each time under load (issue 12). No connection is carried into the workers.
    from django.db import connections
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (loads the URLconf)
    connections.close_all()


def child_exit(server, worker):
    """Drop a dead worker's Prometheus files so /metrics does not count a gauge of a process that is gone."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)

# gunicorn's control socket lives in one per-user path: two instances on a host would fight over it,
# and Krai is managed by signals (SIGTERM, SIGHUP) instead.
control_socket_disable = True
