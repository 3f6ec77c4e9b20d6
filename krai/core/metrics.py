"""Prometheus metrics: request counts and latencies by route, exposed at ``/metrics``.

With several gunicorn workers ``PROMETHEUS_MULTIPROC_DIR`` must be set (``krai serve`` does it), so
that ``/metrics`` sums what every worker counted.
"""

from __future__ import annotations

import os
import time

from django.http import HttpResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client import REGISTRY as DEFAULT_REGISTRY

REQUESTS = Counter("krai_http_requests_total", "HTTP requests", ["method", "route", "status"])
LATENCY = Histogram("krai_http_request_seconds", "HTTP request latency", ["method", "route"],
                    buckets=(0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2, 5))


class MetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        route = match.route if match and match.route else "unmatched"
        LATENCY.labels(request.method, route).observe(time.perf_counter() - started)
        REQUESTS.labels(request.method, route, str(response.status_code)).inc()
        return response


def registry():
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        collected = CollectorRegistry()
        multiprocess.MultiProcessCollector(collected)
        return collected
    return DEFAULT_REGISTRY


def metrics_view(request):
    return HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)
