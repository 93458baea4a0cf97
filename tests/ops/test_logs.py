"""Structured logs: a request id (the caller's X-Request-ID when sane) and the case id on every
line, carried into the Celery tasks the request leads to; the access line names no personal data."""

import io
import json
import logging

import pytest
from pythonjsonlogger.json import JsonFormatter

from config import logs
from tests.ingestion.helpers import post_signed, sample_event
from tests.kit.media import make_platform, platform_with_secret  # noqa: F401, F811 - fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_lines():
    """The access log as the JSON a production process writes (LOG_FORMAT=json)."""
    config = logs.logging_config(fmt="json", level="INFO")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    options = {k: v for k, v in config["formatters"]["json"].items() if k != "()"}
    handler.setFormatter(JsonFormatter(**options))
    handler.addFilter(logs.ContextFilter())
    access = logging.getLogger("moratorium.requests")
    access.addHandler(handler)
    access.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    access.removeHandler(handler)


def test_an_incoming_request_id_is_kept_and_echoed(client):
    answer = client.get("/healthz", HTTP_X_REQUEST_ID="proxy-7f3a.1")
    assert answer["X-Request-ID"] == "proxy-7f3a.1"


def test_a_hostile_request_id_is_replaced(client):
    answer = client.get("/healthz", HTTP_X_REQUEST_ID="x\nforged log line" + "a" * 200)
    assert len(answer["X-Request-ID"]) == 32 and "\n" not in answer["X-Request-ID"]


def test_a_webhook_logs_its_request_and_case_id_as_json_without_personal_data(
    client,
    platform_with_secret,  # noqa: F811
    json_lines,
):
    platform, secret = platform_with_secret
    event = sample_event("evt-private-42")
    answer = post_signed(client, platform, secret, event, HTTP_X_REQUEST_ID="req-1")

    (line,) = [entry for entry in json_lines() if entry.get("route") == "webhooks/<slug:platform_slug>/"]
    assert line["request_id"] == "req-1"
    assert line["case_id"] == answer.json()["case_id"]
    assert (line["method"], line["status"], line["level"]) == ("POST", 202, "INFO")
    assert "evt-private-42" not in json.dumps(line) and platform.slug not in json.dumps(line)


def test_tasks_published_in_a_request_carry_its_ids_and_restore_them():
    from triage.decisions.tasks import case_decide_task

    request_token = logs.request_id_var.set("req-9")
    case_token = logs.case_id_var.set(None)
    headers: dict = {}
    try:
        logs._carry_context(headers=headers)
    finally:
        logs.request_id_var.reset(request_token)
        logs.case_id_var.reset(case_token)
    assert headers == {"request_id": "req-9"}

    case_decide_task.push_request(request_id="req-9", args=[42, "verdict"], kwargs={})
    try:
        logs._restore_context(task=case_decide_task, args=[42, "verdict"], kwargs={})
        record = logging.LogRecord("x", logging.INFO, __file__, 1, "decided", None, None)
        logs.ContextFilter().filter(record)
        assert (record.request_id, record.case_id) == ("req-9", 42)  # the case id from the argument
    finally:
        logs._clear_context()
        case_decide_task.pop_request()
