"""Answer 503, not 500, while the database cannot be reached.

A restart or failover of PostgreSQL makes every query fail for a few seconds with a connection
error. That is the service being briefly unavailable, not a bug: the client (a platform's
webhook sender, a partner, a moderator's browser) should try again, and a platform retries on
503 with Retry-After. Whatever the request had written is rolled back with its transaction, so
nothing half-written stays. Django closes the broken connection at the end of the request and
opens a new one for the next.
"""

from __future__ import annotations

import logging

from django.db import InterfaceError, OperationalError
from django.http import JsonResponse

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5


class DatabaseUnavailableMiddleware:
    """Turn a view's database connection error into a 503 with Retry-After."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.warning("database unavailable on %s %s: %s", request.method, request.path, exception)
        response = JsonResponse({"detail": "The database is unavailable; try again shortly."}, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
