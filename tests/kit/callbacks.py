"""The platform side of the test kit: a loopback platform receiving callbacks; the records of a decision.

`platform_server` is a real HTTP server on 127.0.0.1 that checks each callback's signature with
the platform's secret (as a platform would, with integrations.platforms.signing) and answers
from a script the test sets: a status (with headers), or "hang" (answer only after the test
ends, so the sender's read timeout fires). With the script empty it answers 200.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from integrations.platforms.signing import signature_valid

_counter = itertools.count(1)


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: dict
    signature_ok: bool
    answered: int


@dataclass
class PlatformServer:
    secrets: dict[str, list[str]] = field(default_factory=dict)  # path → secrets that verify
    script: list = field(default_factory=list)  # what to answer next: (status, headers) or "hang"
    received: list[Received] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)

    def start(self) -> None:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                ok = signature_valid(
                    secrets_=server.secrets.get(self.path, []),
                    timestamp=self.headers.get("X-Moratorium-Timestamp"),
                    signature=self.headers.get("X-Moratorium-Signature"),
                    body=raw,
                )
                step = server.script.pop(0) if server.script else (200, {})
                if step == "hang":
                    server.release.wait(timeout=30)
                    step = (200, {})
                status, headers = step if ok else (401, {})
                server.received.append(Received(self.path, dict(self.headers), json.loads(raw), ok, status))
                answer = json.dumps({"received": status < 300}).encode()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def close(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def platform_server():
    server = PlatformServer()
    server.start()
    yield server
    server.close()


@pytest.fixture
def make_callback_platform(db, platform_server):
    """Create a platform whose callback URL is the loopback server: returns (platform, secret)."""
    from integrations.platforms.services import platform_create

    def make(slug: str, *, callback: bool = True):
        path = f"/{slug}/decisions"
        platform, secret = platform_create(
            slug=slug, callback_url=platform_server.url(path) if callback else "", allow_private_fetch=True
        )
        platform_server.secrets[path] = [secret]
        return platform, secret

    return make


def make_case(*, media_type: str = "audio", countries: tuple[str, ...] = ("SK",), with_media: bool = True):
    from triage.models import Case, MediaItem

    media_item = None
    if with_media:
        digest = hashlib.sha256(f"media-{next(_counter)}".encode()).hexdigest()
        media_item = MediaItem.objects.create(
            sha256=digest,
            media_type=media_type,
            mime_type="audio/wav",
            size_bytes=1000,
            file=f"media/{digest}",
        )
    return Case.objects.create(
        media_item=media_item, audience_countries=list(countries), audience_key=",".join(countries)
    )


def make_submission(
    *,
    platform,
    case,
    content_id: str,
    event_ids: list[str],
    source: str = "trusted_flagger",
    attached_at=None,
):
    """A platform's report on its content, with the events that carried it and its media entry.

    attached_at: when its media was stored and attached to the case (what ingestion records on
    the media entry); None for reports made before the catch-up sweep looked at attachments.
    """
    from triage.models import Submission, SubmissionEvent, SubmissionMedia

    submission = Submission.objects.create(
        platform=platform,
        content_id=content_id,
        posted_at="2026-11-27T08:00:00Z",
        language="sk",
        report_source=source,
        report_reason="synthetic_media",
        audience_countries=list(case.audience_countries),
        case=case,
        state="processed",
    )
    SubmissionMedia.objects.create(
        submission=submission, position=0, case=case, state="stored", fetched_at=attached_at
    )
    for index, event_id in enumerate(event_ids):
        SubmissionEvent.objects.create(
            platform=platform,
            event_id=event_id,
            submission=submission,
            kind="created" if index == 0 else "updated",
            payload={"event_id": event_id},
        )
    return submission


# A day ahead of the real clock, which stamps decisions: a DSA statement of reasons may not end its
# restriction before the day it applies it.
REVIEW_DEADLINE = (datetime.now(UTC) + timedelta(days=1)).strftime("%Y-%m-%dT22:30:00Z")
SILENCE_HOLD_ACTIONS = [
    {"type": "removal_hold", "review_deadline": REVIEW_DEADLINE},
    {"type": "label", "kind": "likely_ai_generated", "language": "sk", "text": "Pravdepodobne vytvorené AI",
     "audio_disclosure_script": "Táto nahrávka je pravdepodobne vytvorená umelou inteligenciou."},
    {"type": "escalate", "reason": "voter_suppression"},
]  # fmt: skip


def make_decision(*, case, actions=None, phase: str = "silence", decided_by: str = "policy", notes=None):
    """Store a new current decision for the case (superseding the current one), as the policy does."""
    from triage.decisions.models import Decision, PolicyVersion

    policy, _ = PolicyVersion.objects.get_or_create(version=3, defaults={"rules": {}})
    previous = Decision.objects.filter(case=case, is_current=True).first()
    if previous:
        previous.is_current = False
        previous.save(update_fields=["is_current"])
    return Decision.objects.create(
        case=case,
        phase=phase,
        phase_reason={"country": "SK", "window_end": "2026-11-28T07:00:00Z"} if phase != "normal" else {},
        verdict={"label": "likely_synthetic", "confidence": 0.9, "reasons": ["voice clone detector 0.93"]},
        actions=SILENCE_HOLD_ACTIONS if actions is None else actions,
        policy_version=policy,
        decided_by=decided_by,
        notes=notes or [],
        supersedes=previous,
    )
