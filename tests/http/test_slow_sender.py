"""The total deadline holds on every read, against a server that sends a byte at a time.

An attack review held a fetch three times past its deadline with a host sending one byte a second:
the deadline was checked only after a full 64 KiB chunk.
"""

import contextlib
import io
import socket
import threading
import time

import pytest

from integrations.http import OutboundTimeout, outbound_download, outbound_request


class TricklingServer:
    """Promises a body of `length` bytes, then sends one byte every `every` seconds."""

    def __init__(self, *, length: int = 100_000, every: float = 0.1, limit: int = 80) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.stop = threading.Event()
        self.sent = 0
        self.length, self.every, self.limit = length, every, limit
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        with contextlib.suppress(OSError):
            conn, _ = self.sock.accept()
            with conn:
                conn.recv(65536)
                conn.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: audio/wav\r\n"
                    + f"Content-Length: {self.length}\r\n\r\n".encode()
                )
                while self.sent < self.limit and not self.stop.wait(self.every):
                    conn.sendall(b"R")
                    self.sent += 1
                self.stop.wait(30)  # then silence, the connection held open

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/slow.wav"

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


@pytest.fixture
def trickle():
    server = TricklingServer()
    yield server
    server.close()


def test_a_download_from_a_byte_at_a_time_sender_stops_at_its_deadline(trickle):
    started = time.monotonic()
    with pytest.raises(OutboundTimeout, match="total deadline") as timed_out:
        outbound_download(
            trickle.url, dest_file=io.BytesIO(), allow_private=True, read_timeout=5, total_timeout=1.0
        )
    elapsed = time.monotonic() - started
    assert elapsed < 1.8, f"held {elapsed:.1f}s against a 1 s deadline"
    assert not timed_out.value.permanent  # a later attempt may find a faster server
    assert trickle.sent < 20


def test_a_request_from_a_byte_at_a_time_sender_stops_at_its_deadline(trickle):
    started = time.monotonic()
    with pytest.raises(OutboundTimeout):
        outbound_request("GET", trickle.url, allow_private=True, read_timeout=5, total_timeout=1.0)
    assert time.monotonic() - started < 1.8


def test_a_sender_that_goes_quiet_near_the_deadline_is_not_waited_for_a_whole_read_timeout():
    server = TricklingServer(every=0.1, limit=5)  # five bytes, then silence with the socket open
    try:
        started = time.monotonic()
        with pytest.raises(OutboundTimeout):
            outbound_download(
                server.url, dest_file=io.BytesIO(), allow_private=True, read_timeout=30, total_timeout=1.0
            )
        assert time.monotonic() - started < 1.8
    finally:
        server.close()


def test_the_fetch_task_has_a_hard_time_limit():
    from triage.intake.tasks import process_submission

    assert process_submission.soft_time_limit and process_submission.time_limit
    assert process_submission.soft_time_limit < process_submission.time_limit
