"""The webhook on its lean handler answers exactly as the full stack does; every other path keeps it all.

config/wsgi.py routes the webhook's two paths to a handler without the session, CSRF, auth and
message middleware. Each request below goes once through Django's full handler and once through
the deployed application (the dispatcher): same status, same headers, same body (ids aside), same
access log line and answer counter. Other paths still get CSRF, sessions and authentication.
"""

from __future__ import annotations

import io
import json
import time
from contextlib import contextmanager

import pytest
from django.core import signals
from django.db import close_old_connections

from config.metrics import WEBHOOK_ANSWERS
from config.wsgi import application, django_application, webhook_application
from integrations.platforms.signing import request_signature_compute, signature_compute
from tests.ingestion.helpers import sample_event

pytestmark = pytest.mark.django_db

REQUEST_ID = "req-dispatch-test-1"


@contextmanager
def _in_test_transaction():
    # A WSGI call closes "old" connections when it starts and ends; inside the test's transaction
    # that would drop it (Django's test client disconnects the same receiver).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def call(app, method: str, path: str, body: bytes = b"", headers: dict | None = None):
    """Send one request to a WSGI application; return (status, headers, body)."""
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": io.StringIO(),
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_X_REQUEST_ID": REQUEST_ID,
    }
    if body:
        environ["CONTENT_TYPE"] = "application/json"
    environ.update(headers or {})
    answer = {}

    def start_response(status, response_headers, exc_info=None):
        answer["status"], answer["headers"] = status, response_headers

    with _in_test_transaction():
        result = app(environ, start_response)
        try:
            content = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
    return answer["status"], answer["headers"], content


def signed(secret: str, event: dict) -> tuple[bytes, dict]:
    body = json.dumps(event).encode()
    ts = str(int(time.time()))
    return body, {
        "HTTP_X_MORATORIUM_TIMESTAMP": ts,
        "HTTP_X_MORATORIUM_SIGNATURE": signature_compute(secret=secret, timestamp=ts, body=body),
    }


def status_signed(secret: str, path: str) -> dict:
    ts = str(int(time.time()))
    return {
        "HTTP_X_MORATORIUM_TIMESTAMP": ts,
        "HTTP_X_MORATORIUM_SIGNATURE": request_signature_compute(
            secret=secret, timestamp=ts, method="GET", path=path
        ),
    }


def _normalised(body: bytes, run: str):
    """The body with the ids that differ between two runs replaced by their type."""
    try:
        data = json.loads(body.replace(run.encode(), b"RUN"))
    except ValueError:
        return body
    if isinstance(data, dict):
        for key in ("submission_id", "case_id"):
            if key in data:
                data[key] = type(data[key]).__name__
        if "status_url" in data:
            data["status_url"] = data["status_url"].rsplit("/", 1)[0]
    return data


def _requests(platform, secret: str, run: str):
    """The webhook requests to compare, their ids made distinct per run (`run`)."""
    first = sample_event(f"{run}-evt-1", content_id=f"{run}-post")
    body, headers = signed(secret, first)
    later, later_headers = signed(secret, sample_event(f"{run}-evt-2", content_id=f"{run}-post", views=9000))
    bad = sample_event(f"{run}-evt-3")
    bad["report"]["source"] = "anonymous_tip"
    bad_body, bad_headers = signed(secret, bad)
    garbage, garbage_headers = b"{not json", {}
    garbage_headers = signed(secret, {})[1]
    garbage_headers["HTTP_X_MORATORIUM_SIGNATURE"] = signature_compute(
        secret=secret, timestamp=garbage_headers["HTTP_X_MORATORIUM_TIMESTAMP"], body=garbage
    )
    status_path = f"/webhooks/{platform.slug}/submissions/{run}-evt-1"
    missing_path = f"/webhooks/{platform.slug}/submissions/{run}-nothing"
    hook = f"/webhooks/{platform.slug}/"
    return [
        ("POST", hook, body, headers),  # 202, new content
        ("POST", hook, body, headers),  # 202, duplicate
        ("POST", hook, later, later_headers),  # 202, a later report
        ("POST", hook, bad_body, bad_headers),  # 400 with field errors
        ("POST", hook, garbage, garbage_headers),  # 400, not JSON
        ("POST", hook, body, {**headers, "HTTP_X_MORATORIUM_SIGNATURE": "v1=00"}),  # 401
        ("POST", "/webhooks/no-such-platform/", body, headers),  # 401, unknown platform
        ("GET", hook, b"", {}),  # 405
        ("GET", status_path, b"", status_signed(secret, status_path)),  # 200
        ("GET", missing_path, b"", status_signed(secret, missing_path)),  # 404
        ("GET", status_path, b"", {}),  # 401
    ]


def test_the_deployed_application_sends_the_webhook_to_the_lean_handler():
    assert webhook_application is not django_application
    assert webhook_application.middleware_paths == [
        "config.logs.RequestIdMiddleware",
        "django.middleware.security.SecurityMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
        "config.metrics.WebhookAnswersMiddleware",
        "config.middleware.DatabaseUnavailableMiddleware",
    ]


def test_every_webhook_answer_is_what_the_full_stack_gives(make_platform, settings):
    settings.WEBHOOK_MAX_BODY_BYTES = 20_000
    platform, secret = make_platform("videoshare")
    full = [call(django_application, *r) for r in _requests(platform, secret, "full")]
    lean = [call(application, *r) for r in _requests(platform, secret, "lean")]

    assert [s for s, _h, _b in full] == [
        "202 Accepted", "202 Accepted", "202 Accepted", "400 Bad Request", "400 Bad Request",
        "401 Unauthorized", "401 Unauthorized", "405 Method Not Allowed", "200 OK", "404 Not Found",
        "401 Unauthorized",
    ]  # fmt: skip
    for (f_status, f_headers, f_body), (l_status, l_headers, l_body) in zip(full, lean, strict=True):
        assert l_status == f_status
        assert sorted(l_headers) == sorted(f_headers)  # names and values, X-Request-ID included
        assert _normalised(l_body, "lean") == _normalised(f_body, "full")
    assert json.loads(lean[2][2])["update"] is True
    assert json.loads(lean[1][2])["duplicate"] is True


def test_an_oversized_body_is_413_on_both(make_platform, settings):
    settings.WEBHOOK_MAX_BODY_BYTES = 100
    platform, secret = make_platform("videoshare")
    body, headers = signed(secret, sample_event("evt-big"))
    full = call(django_application, "POST", f"/webhooks/{platform.slug}/", body, headers)
    lean = call(application, "POST", f"/webhooks/{platform.slug}/", body, headers)
    assert full[0] == lean[0] == "413 Request Entity Too Large"
    assert sorted(full[1]) == sorted(lean[1])
    assert full[2] == lean[2]


def test_the_lean_handler_logs_and_counts_like_the_full_one(make_platform, caplog):
    platform, secret = make_platform("videoshare")
    body, headers = signed(secret, sample_event("evt-logged"))
    before = WEBHOOK_ANSWERS.labels(status="202")._value.get()
    with caplog.at_level("INFO", logger="moratorium.requests"):
        status, answer_headers, content = call(
            application, "POST", f"/webhooks/{platform.slug}/", body, headers
        )
    assert status == "202 Accepted"
    assert dict(answer_headers)["X-Request-ID"] == REQUEST_ID
    assert WEBHOOK_ANSWERS.labels(status="202")._value.get() == before + 1
    (line,) = [r for r in caplog.records if r.name == "moratorium.requests"]
    assert (line.route, line.status, line.request_id) == ("webhooks/<slug:platform_slug>/", 202, REQUEST_ID)
    assert line.case_id == json.loads(content)["case_id"]


def test_every_other_path_keeps_csrf_sessions_and_authentication(make_platform):
    # A form post without a CSRF token is refused; a page that needs a login redirects to it.
    status, _headers, _body = call(application, "POST", "/accounts/login/", b"username=a&password=b",
                                   {"CONTENT_TYPE": "application/x-www-form-urlencoded"})  # fmt: skip
    assert status == "403 Forbidden"
    status, headers, _body = call(application, "GET", "/")
    assert status == "302 Found"
    assert dict(headers)["Location"].startswith("/accounts/login/")
    status, headers, _body = call(application, "GET", "/accounts/login/")
    assert status == "200 OK"
    assert "csrftoken=" in dict(headers).get("Set-Cookie", "")
    # A path that looks like the webhook's but is not one of its routes goes to the full stack.
    status, _headers, _body = call(application, "POST", "/webhooks/videoshare/other", b"{}")
    assert status == "404 Not Found"
