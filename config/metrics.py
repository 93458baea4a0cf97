"""Prometheus metrics at `/metrics` (docs/deployment.md#health-and-metrics).

Most metrics describe the work in the database (submissions, checks, verdicts, decisions, holds,
deliveries, the calendar), so they are read at scrape time by collectors the apps register here
in AppConfig.ready() (`config/` may not import the apps): every web process answers the same,
whichever one is scraped, and nothing is lost when a process restarts. What only a web process
sees (webhook requests refused before anything is stored) is an in-process counter; with several
gunicorn processes set PROMETHEUS_MULTIPROC_DIR so the scrape adds up every process's counts.

Access: `Authorization: Bearer <METRICS_TOKEN>` (compared in constant time), or a logged-in staff
session. Without METRICS_TOKEN only staff sessions are let in.
"""

from __future__ import annotations

import contextlib
import hmac
import logging
import os

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily

from config.celery import app

logger = logging.getLogger(__name__)

_collectors: dict[str, object] = {}

# Webhook answers by code, counted in the web process that gave them (the platform is not a
# label: an unknown platform's slug is whatever an attacker typed). Accepted webhooks per platform
# come from the database (moratorium_submissions).
WEBHOOK_ANSWERS = Counter(
    "moratorium_webhook_answers", "Webhook requests answered, by HTTP status", ["status"], registry=None
)


def metrics_collector_register(name: str, collector) -> None:
    """Add (or replace) a collector: an object with `collect()` yielding metric families."""
    _collectors[name] = collector


class _BrokerQueues:
    """Messages waiting in each Celery queue (RabbitMQ or Redis), read from the broker."""

    def collect(self):
        depth = GaugeMetricFamily(
            "moratorium_queue_messages", "Messages waiting in a Celery queue", labels=["queue"]
        )
        up = GaugeMetricFamily("moratorium_broker_up", "1 when the broker answered the scrape")
        if settings.CELERY_TASK_ALWAYS_EAGER:
            yield up
            return

        try:
            with app.connection_for_write(url=settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
                conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
                for queue in settings.CELERY_TASK_QUEUES:
                    depth.add_metric([queue], _queue_depth(conn, queue))
            up.add_metric([], 1)
        except Exception:  # noqa: BLE001 - a broker that does not answer is itself the metric
            logger.warning("metrics: the broker did not answer", exc_info=True)
            up.add_metric([], 0)
        yield up
        yield depth


def _queue_depth(conn, queue: str) -> int:
    if conn.transport.driver_type == "redis":
        return conn.default_channel.client.llen(queue)
    channel = conn.channel()  # a passive declare of a missing queue closes its channel
    try:
        return channel.queue_declare(queue=queue, passive=True).message_count
    except conn.channel_errors:
        return 0  # not declared yet: no worker has consumed it and nothing was sent
    finally:
        with contextlib.suppress(Exception):
            channel.close()


metrics_collector_register("broker_queues", _BrokerQueues())


def _registry() -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(WEBHOOK_ANSWERS)
    for collector in _collectors.values():
        registry.register(collector)
    return registry


def _allowed(request) -> bool:
    token = settings.METRICS_TOKEN
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if token and header.startswith("Bearer "):
        return hmac.compare_digest(header[len("Bearer ") :].strip().encode(), token.encode())
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_staff)


@never_cache
@require_GET
def metrics(request):
    if not _allowed(request):
        answer = HttpResponse(
            "metrics need a bearer token or a staff session\n", status=401, content_type="text/plain"
        )
        answer["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return answer
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)


class WebhookAnswersMiddleware:
    """Count the answers of the webhook route by status (see WEBHOOK_ANSWERS)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is not None and match.url_name == "webhook":
            WEBHOOK_ANSWERS.labels(status=str(response.status_code)).inc()
        return response
