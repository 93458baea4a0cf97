"""A first event is written in one statement on PostgreSQL and table by table elsewhere: same rows."""

import pytest

from tests.ingestion.helpers import folded, picked_up, post_signed, sample_event
from triage.intake import ingest as services
from triage.models import Case, ReachSample, Submission, SubmissionEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[True, False], ids=["one statement", "table by table"])
def ingest_path(request, monkeypatch):
    monkeypatch.setattr(services, "SINGLE_STATEMENT_INGEST", request.param)


def test_an_event_with_two_media_gets_a_provisional_case_for_each(client, platform_with_secret, ingest_path):
    platform, secret = platform_with_secret
    event = sample_event("evt-1", views=40, shares=4)
    event["content"]["media"].append({"url": "https://cdn.example/b.png", "media_type": "image"})

    answer = picked_up(post_signed(client, platform, secret, event).json())

    submission = Submission.objects.get(pk=answer["submission_id"])
    media = list(submission.media.order_by("position"))
    assert [m.url for m in media] == ["https://cdn.example/a.mp3", "https://cdn.example/b.png"]
    assert [m.declared_media_type for m in media] == ["audio", "image"]
    assert media[0].case_id == submission.case_id == answer["case_id"]
    assert len({m.case_id for m in media}) == 2
    for case in Case.objects.filter(pk__in=[m.case_id for m in media]):
        assert (case.total_views, case.total_shares, case.submission_count, case.audience_key) == (
            40,
            4,
            1,
            "SK",
        )
    assert ReachSample.objects.filter(submission=submission).count() == 2
    recorded = SubmissionEvent.objects.get(event_id="evt-1")
    assert recorded.payload["content"]["posted_at"].startswith("2026-11-27T08:00:00")
    assert submission.subjects == ["Michal Šimečka"]
    assert submission.creator_disclosure == {"ai_label": False, "text": "", "language": "en"}


def test_replays_and_updates_take_the_lookup_path(client, platform_with_secret, ingest_path):
    platform, secret = platform_with_secret
    first = post_signed(client, platform, secret, sample_event("evt-1")).json()
    replay = post_signed(client, platform, secret, sample_event("evt-1")).json()
    update = post_signed(client, platform, secret, sample_event("evt-2", views=7)).json()
    assert replay["submission_id"] == update["submission_id"] == first["submission_id"]
    assert (replay["duplicate"], update["update"]) == (True, True)
    folded(update)  # the worker's fold writes the first event's rows, then takes the report in
    assert Case.objects.count() == 1
