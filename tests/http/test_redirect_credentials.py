"""Credentials and request bodies never follow a redirect to another origin (scheme, host or port).

Two real loopback servers on different ports: the first redirects, the second records what it got.
"""

from __future__ import annotations

import contextlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from integrations.http import OutboundError, outbound_request

SECRETS = {
    "Authorization": "Bearer vendor-token",
    "X-API-KEY": "hive-key",
    "X-Moratorium-Signature": "v1=deadbeef",
    "Token": "detector-configured-auth-header",
    "Cookie": "session=abc",
}


class Recorder:
    """A loopback server: `redirect` answers with a redirect, anything else 200 and is recorded."""

    def __init__(self) -> None:
        self.seen: list[dict] = []
        self.redirect: tuple[int, str] | None = None
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                recorder.seen.append(
                    {"method": self.command, "path": self.path, "headers": dict(self.headers), "body": body}
                )
                if recorder.redirect and self.path.startswith("/go"):
                    status, location = recorder.redirect
                    self.send_response(status)
                    self.send_header("Location", location)
                    self.send_header("Set-Cookie", "tracker=1; Path=/")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                with contextlib.suppress(BrokenPipeError):
                    self.wfile.write(b"ok")

            do_GET = do_POST = do_PUT = _answer  # noqa: N815

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def origin_a():
    server = Recorder()
    yield server
    server.close()


@pytest.fixture
def origin_b():
    server = Recorder()
    yield server
    server.close()


def _leaked(seen: dict) -> set[str]:
    sent = {name.lower() for name in seen["headers"]}
    return {name for name in SECRETS if name.lower() in sent}


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_to_another_port_gets_no_credentials(origin_a, origin_b, status):
    origin_a.redirect = (status, origin_b.url("/landing"))
    response = outbound_request("GET", origin_a.url("/go"), headers=SECRETS, allow_private=True)
    assert response.status == 200
    assert _leaked(origin_a.seen[0]) == set(SECRETS)  # the first origin got what the caller sent
    assert _leaked(origin_b.seen[0]) == set()
    assert "tracker" not in origin_b.seen[0]["headers"].get("Cookie", "")


def test_a_redirect_to_another_host_name_gets_no_credentials(origin_a):
    # "localhost" and "127.0.0.1" are two origins even on the same port.
    origin_a.redirect = (302, origin_a.url("/landing", host="localhost"))
    outbound_request("GET", origin_a.url("/go"), headers=SECRETS, allow_private=True)
    assert _leaked(origin_a.seen[-1]) == set()


@pytest.mark.parametrize("status", [307, 308])
def test_a_post_body_is_not_resent_to_another_origin(origin_a, origin_b, status):
    origin_a.redirect = (status, origin_b.url("/landing"))
    with pytest.raises(OutboundError, match="another origin") as refused:
        outbound_request(
            "POST", origin_a.url("/go"), json={"decision": "secret"}, headers=SECRETS, allow_private=True
        )
    assert refused.value.permanent
    assert origin_b.seen == []


@pytest.mark.parametrize("status", [301, 302, 303])
def test_a_post_redirected_elsewhere_arrives_as_a_bare_get(origin_a, origin_b, status):
    origin_a.redirect = (status, origin_b.url("/landing"))
    outbound_request("POST", origin_a.url("/go"), data=b"payload", headers=SECRETS, allow_private=True)
    landed = origin_b.seen[0]
    assert (landed["method"], landed["body"], _leaked(landed)) == ("GET", b"", set())


def test_a_same_origin_redirect_keeps_the_credentials_and_the_body(origin_a):
    origin_a.redirect = (307, "/landing")
    outbound_request("POST", origin_a.url("/go"), data=b"payload", headers=SECRETS, allow_private=True)
    landed = origin_a.seen[-1]
    assert (landed["path"], landed["method"], landed["body"]) == ("/landing", "POST", b"payload")
    assert _leaked(landed) == set(SECRETS)
