"""A detector vendor on loopback, speaking the generic JSON adapter's protocol.

It answers at once with the score the test set for the file's SHA-256 (the adapter sends it as a
form field), so one vendor can call one file synthetic and another merely suspicious.
"""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

_SHA_FIELD = re.compile(rb'name="sha256"\r\n\r\n([0-9a-f]{64})')


class DetectorVendor:
    def __init__(self, *, default_score: float = 0.97) -> None:
        self.scores: dict[str, float] = {}
        self.default_score = default_score
        self.seen: list[str] = []
        vendor = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                found = _SHA_FIELD.search(body)
                sha = found.group(1).decode() if found else ""
                vendor.seen.append(sha)
                payload = json.dumps({"score": vendor.scores.get(sha, vendor.default_score)}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/score"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
