"""The WSGI application: the platform webhook on a lean handler, everything else on Django's full one.

The webhook is the hot path (docs/benchmarks.md) and needs none of the site's session, CSRF,
authentication or message middleware: it is signed, CSRF-exempt, and never reads a session or a
user. So its two routes (`POST /webhooks/<slug>/`, `GET /webhooks/<slug>/submissions/<id>`) go to a
second Django handler whose chain keeps only what shapes or records its answers: request ids and the
access log (config/logs.py), the security headers, Content-Length, X-Frame-Options, the webhook
answer counter (config/metrics.py) and the lost-database 503 (config/middleware.py), so every
answer, header and log line is what the full stack gives (tests/ops/test_wsgi_dispatch.py compares
them). Every other path, and any request the patterns below do not recognise, goes to the full
handler with every middleware.
"""

import os
import re

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_application = get_wsgi_application()  # django.setup() included

# After setup: these read settings and the app registry.
from django.conf import settings  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402

from .warmup import warm_up  # noqa: E402

# The middleware of settings.MIDDLEWARE the webhook's answers depend on, in the same order.
WEBHOOK_MIDDLEWARE = (
    "config.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.metrics.WebhookAnswersMiddleware",
    "config.middleware.DatabaseUnavailableMiddleware",  # a lost database answers 503 here too
)
# The webhook routes of integrations/platforms/urls.py (the slug and path converters' patterns).
WEBHOOK_PATH = re.compile(r"/webhooks/[-a-zA-Z0-9_]+/(?:submissions/.+)?\Z")


class WebhookHandler(WSGIHandler):
    """Django's WSGI handler with the webhook's middleware and URLs only."""

    def load_middleware(self, is_async=False):
        # BaseHandler builds the chain from settings.MIDDLEWARE; give it the webhook's list for
        # the moment it takes (once, at start-up, before any request is served).
        full = settings.MIDDLEWARE
        self.middleware_paths = [m for m in full if m in WEBHOOK_MIDDLEWARE]
        settings.MIDDLEWARE = self.middleware_paths
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = full

    def get_response(self, request):
        request.urlconf = "config.webhook_urls"
        return super().get_response(request)


webhook_application = WebhookHandler()


def application(environ, start_response):
    """Route the webhook's paths to the lean handler, the rest to the full one."""
    if WEBHOOK_PATH.match(environ.get("PATH_INFO", "")):
        return webhook_application(environ, start_response)
    return django_application(environ, start_response)


warm_up()  # registered steps, every view imported, start-up objects frozen
