"""Structured logs with a request id and a case id (docs/deployment.md#logs).

Every HTTP request gets a request id: the caller's `X-Request-ID` when it is a plausible one
(a reverse proxy's, a platform's), else a fresh one, echoed in the response. It lives in a
context variable with the case id being worked on, and a logging filter puts both on every log
record. Celery tasks published while they are set carry them as message headers, and a task
sets them again before it runs (the case id also from a `case_id` argument), so a webhook's
request id and case id follow the work through every task it leads to. The submission worker
sets the case id of the submission it processes (the media fetch is published from a batching
thread that does not share the request's context), so its checks and decisions carry it too.

`LOG_FORMAT=json` writes one JSON object per line (python-json-logger); `text` (the default) a
plain line. No personal data: the access line names the route pattern, never the path or query.
"""

from __future__ import annotations

import contextlib
import contextvars
import inspect
import json
import logging
import re
import time
import uuid

from celery import signals
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger("moratorium.requests")

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
case_id_var: contextvars.ContextVar[int | None] = contextvars.ContextVar("case_id", default=None)

_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,100}$")
HEADER = "X-Request-ID"


def log_context_set(*, case_id: int | None = None) -> None:
    """Name the case the current request or task works on, for every log line that follows."""
    if case_id is not None:
        case_id_var.set(int(case_id))


class ContextFilter(logging.Filter):
    """Put the request id and case id on every record (None when there are none)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        record.case_id = case_id_var.get()
        parts = [f"req={record.request_id}"] if record.request_id else []
        parts += [f"case={record.case_id}"] if record.case_id is not None else []
        record.context = f" [{' '.join(parts)}]" if parts else ""  # for the text format
        return True


class RequestIdMiddleware:
    """Set the request id (honouring a sane incoming X-Request-ID), echo it, log one access line."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request_token = request_id_var.set(request_id)
        case_token = case_id_var.set(None)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            match = getattr(request, "resolver_match", None)
            if match is not None and match.url_name == "webhook" and response.status_code == 202:
                with contextlib.suppress(ValueError, TypeError, AttributeError):
                    log_context_set(case_id=json.loads(response.content).get("case_id"))
            logger.info(
                "%s %s %s",
                request.method,
                match.route if match is not None else "(unrouted)",
                response.status_code,
                extra={
                    "method": request.method,
                    "route": match.route if match is not None else None,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
            response[HEADER] = request_id
            return response
        finally:
            request_id_var.reset(request_token)
            case_id_var.reset(case_token)


@signals.before_task_publish.connect
def _carry_context(headers=None, **_):
    if headers is None:
        return
    request_id, case_id = request_id_var.get(), case_id_var.get()
    if request_id and "request_id" not in headers:
        headers["request_id"] = request_id
    if case_id is not None and "case_id" not in headers:
        headers["case_id"] = case_id


def _case_id_argument(task, args, kwargs) -> int | None:
    if "case_id" in (kwargs or {}):
        return kwargs["case_id"]
    try:
        return (
            inspect.signature(task.run).bind_partial(*(args or ()), **(kwargs or {})).arguments.get("case_id")
        )
    except (TypeError, ValueError):
        return None


@signals.task_prerun.connect
def _restore_context(task=None, args=None, kwargs=None, **_):
    request = getattr(task, "request", None)
    request_id_var.set(getattr(request, "request_id", None) if request is not None else None)
    case_id = _case_id_argument(task, args, kwargs)
    if case_id is None and request is not None:
        case_id = getattr(request, "case_id", None)
    case_id_var.set(case_id if isinstance(case_id, int) else None)


@signals.task_postrun.connect
def _clear_context(**_):
    request_id_var.set(None)
    case_id_var.set(None)


def logging_config(*, fmt: str, level: str) -> dict:
    """The LOGGING dict for settings: `json` or `text` lines on stderr, with the context filter."""
    if fmt not in ("json", "text"):
        raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, not {fmt!r}")
    formatters = {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s%(context)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(case_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "config.logs.ContextFilter"}},
        "formatters": {fmt: formatters[fmt]},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": fmt, "filters": ["context"]}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {"django.db.backends": {"level": "WARNING"}},
    }
