"""Reusable pieces for tests that talk to the webhook: signing, sample events, real media files."""

from __future__ import annotations

import io
import json
import math
import struct
import time
import wave

from integrations.platforms.signing import signature_compute


def sign_headers(secret: str, body: bytes, *, timestamp: int | None = None) -> dict[str, str]:
    """Return the Django test-client headers that sign `body` now (or at `timestamp`)."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    return {
        "HTTP_X_MORATORIUM_TIMESTAMP": ts,
        "HTTP_X_MORATORIUM_SIGNATURE": signature_compute(secret=secret, timestamp=ts, body=body),
    }


def post_signed(client, platform, secret: str, body, *, timestamp: int | None = None, **extra):
    """POST a signed event (a dict is sent as JSON, bytes as they are) to the platform's webhook."""
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.post(
        f"/webhooks/{platform.slug}/",
        data=raw,
        content_type=extra.pop("content_type", "application/json"),
        **sign_headers(secret, raw, timestamp=timestamp),
        **extra,
    )


def status_path(platform, event_id: str) -> str:
    """The status URL's path, percent-encoded as the webhook's `status_url` spells it."""
    from django.urls import reverse

    return reverse("platforms:submission-status", args=[platform.slug, event_id])


def status_sign_headers(secret: str, path: str, *, timestamp: int | None = None) -> dict[str, str]:
    """Return the test-client headers that sign a status read: "v2=" over "<ts>.GET.<path>."."""
    from integrations.platforms.signing import request_signature_compute

    ts = str(int(time.time()) if timestamp is None else timestamp)
    return {
        "HTTP_X_MORATORIUM_TIMESTAMP": ts,
        "HTTP_X_MORATORIUM_SIGNATURE": request_signature_compute(
            secret=secret, timestamp=ts, method="GET", path=path
        ),
    }


def get_status_signed(client, platform, secret: str, event_id: str, *, timestamp: int | None = None):
    """GET a submission's status, signed over the method and the path ("v2=")."""
    path = status_path(platform, event_id)
    return client.get(path, **status_sign_headers(secret, path, timestamp=timestamp))


def multipart_body(event: dict, files: dict[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    """Encode an event and inline files as multipart/form-data; return (body, content type)."""
    boundary = "moratorium-test-boundary-7d1f"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="event"\r\n'
        f"Content-Type: application/json\r\n\r\n".encode()
        + json.dumps(event).encode()
        + b"\r\n"
    ]
    for part, (filename, data, ctype) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{part}"; filename="{filename}"\r\n'
            f"Content-Type: {ctype}\r\n\r\n".encode()
            + data
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def sample_event(
    event_id: str = "evt-1",
    *,
    content_id: str = "post-9",
    media_url: str = "https://cdn.example/a.mp3",
    media_type: str = "audio",
    countries: list[str] | None = None,
    views: int = 1200,
    shares: int = 300,
    **content_extra,
) -> dict:
    """The issue's sample event, with the parts a test varies as arguments."""
    return {
        "event_id": event_id,
        "content": {
            "id": content_id,
            "url": f"https://platform.example/post/{content_id}",
            "posted_at": "2026-11-27T08:00:00Z",
            "media": [{"url": media_url, "media_type": media_type}],
            "text": "Listen to what he said about the vote",
            "language": "sk",
            "subjects": ["Michal Šimečka"],
            "creator_disclosure": {"ai_label": False, "text": "", "language": "en"},
            **content_extra,
        },
        "report": {"source": "user_report", "reason": "synthetic_media", "note": "sounds cloned"},
        "audience": {"countries": countries if countries is not None else ["SK"], "regions": []},
        "reach": {"views": views, "shares": shares, "window_minutes": 60},
    }


def make_wav(*, seconds: float = 0.5, frequency: float = 440.0, rate: int = 16000) -> bytes:
    """A real mono 16-bit PCM WAV: a sine tone."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        frames = int(seconds * rate)
        out.writeframes(
            b"".join(
                struct.pack("<h", int(12000 * math.sin(2 * math.pi * frequency * i / rate)))
                for i in range(frames)
            )
        )
    return buffer.getvalue()


def make_png(*, size: tuple[int, int] = (32, 24), color: tuple[int, int, int] = (200, 30, 60)) -> bytes:
    """A real PNG image made with Pillow."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def picked_up(answer: dict) -> dict:
    """Do what a worker does first with a new submission, and return the webhook's answer.

    The webhook writes only the submission; the worker then writes its cases, media entries,
    event and reach sample (`submission_materialize`). Tests that look at those rows without
    running a worker call this in its place.
    """
    from triage.intake.ingest import submission_materialize

    submission_materialize(submission_id=answer["submission_id"])
    return answer


def folded(answer: dict) -> dict:
    """Do what a worker's fold does with a later report's submission, and return the webhook's answer.

    The webhook records a report about known content as one event row; the worker folds it into
    the submission and its cases (`submission_reports_fold`). Tests that look at the folded
    rows without running a worker call this in its place.
    """
    from triage.intake.folds import submission_reports_fold

    submission_reports_fold(submission_id=answer["submission_id"])
    return answer
