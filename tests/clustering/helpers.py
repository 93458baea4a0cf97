"""Report media through the real webhook and process it in the test (no worker)."""

from __future__ import annotations

from pathlib import Path

from tests.ingestion.helpers import post_signed, sample_event
from triage.intake.fetch import submission_process
from triage.intake.selectors import case_resolve
from triage.models import Case, Submission

CONTENT_TYPES = {".wav": "audio/wav", ".mp3": "audio/mpeg", ".png": "image/png", ".jpg": "image/jpeg"}


def report(
    client, platform, secret, media_server, path: Path, *, event_id: str, countries=("SK",), views=100
):
    """Post a signed event naming `path` on the loopback media server; return the webhook's answer."""
    url = media_server.add(
        f"/{event_id}{path.suffix}", path.read_bytes(), content_type=CONTENT_TYPES[path.suffix]
    )
    media_type = "image" if path.suffix in (".png", ".jpg") else "audio"
    event = sample_event(
        event_id, content_id=f"post-{event_id}", media_url=url, media_type=media_type,
        countries=list(countries), views=views,
    )  # fmt: skip
    answer = post_signed(client, platform, secret, event)
    assert answer.status_code == 202, answer.content
    return answer.json()


def report_and_process(client, platform, secret, media_server, path: Path, **kwargs) -> Case:
    """Report and process synchronously; return the live case the webhook's case id resolves to."""
    answer = report(client, platform, secret, media_server, path, **kwargs)
    submission_process(submission_id=answer["submission_id"])
    assert Submission.objects.get(pk=answer["submission_id"]).state == "processed"
    return case_resolve(case_id=answer["case_id"])
