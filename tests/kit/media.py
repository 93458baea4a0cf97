"""The media side of the test kit: a loopback media server and platforms made through the service.

`media_server` is a real HTTP server on loopback that serves what a test registers, and can
misbehave on request (a status code, a redirect, a hang, a lying Content-Type).
`platform_with_secret` creates a platform through the service and returns (platform, secret).
"""

from __future__ import annotations

import contextlib
import threading
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Route:
    body: bytes = b""
    content_type: str = "application/octet-stream"
    status: int = 200
    location: str = ""
    hang: bool = False  # send headers and a first byte, then stall until the test ends
    fail_first: int = 0  # answer 503 this many times before serving normally
    declared_length: int | None = None  # None: the true length; -1: none sent


class MediaServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.release = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:  # noqa: N802
                server.hits[self.path] += 1
                route = server.routes.get(self.path)
                if route is None:
                    self.send_error(404)
                    return
                if route.fail_first and server.hits[self.path] <= route.fail_first:
                    self.send_error(503)
                    return
                self.send_response(route.status)
                if route.location:
                    self.send_header("Location", route.location)
                self.send_header("Content-Type", route.content_type)
                length = route.declared_length if route.declared_length is not None else len(route.body)
                if length >= 0:  # -1: no Content-Length, the body runs until the connection closes
                    self.send_header("Content-Length", str(length))
                self.end_headers()
                if route.hang:
                    self.wfile.write(route.body[:1])
                    self.wfile.flush()
                    server.release.wait(timeout=60)
                    return
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up
                    self.wfile.write(route.body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def add(self, path: str, body: bytes = b"", **options) -> str:
        """Serve `body` at `path`; return its URL."""
        self.routes[path] = Route(body=body, **options)
        return self.url(path)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def close(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def media_server():
    server = MediaServer()
    yield server
    server.close()


@pytest.fixture
def make_platform(db):
    """Create platforms through the service: make_platform("videoshare", allow_private_fetch=True)."""
    from integrations.platforms.services import platform_create

    def make(slug: str = "videoshare", **options):
        options.setdefault("allow_private_fetch", True)
        return platform_create(slug=slug, **options)

    return make


@pytest.fixture
def platform_with_secret(make_platform):
    return make_platform("videoshare")
