"""Real-shaped events from platforms (tests/ingestion/fixtures/*.json) are accepted as sent."""

import json
from pathlib import Path

import pytest

from tests.ingestion.helpers import picked_up, post_signed
from triage.models import Case, Submission

FIXTURES = Path(__file__).parent / "fixtures"

pytestmark = pytest.mark.django_db


def load(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.json")))
def test_every_fixture_is_accepted(client, make_platform, name):
    platform, secret = make_platform("videoshare", default_countries=["BR"])
    response = post_signed(client, platform, secret, load(name))
    assert response.status_code == 202, response.content
    picked_up(response.json())
    event = json.loads(load(name))
    submission = Submission.objects.get(pk=response.json()["submission_id"])
    assert submission.content_id == event["content"]["id"]
    assert submission.media.count() == len(event["content"]["media"])


def test_a_trusted_flagger_report_keeps_source_reason_and_audience(client, make_platform):
    platform, secret = make_platform("chirp")
    answer = picked_up(post_signed(client, platform, secret, load("trusted_flagger_image.json")).json())
    submission = Submission.objects.get(pk=answer["submission_id"])
    assert (submission.report_source, submission.report_reason) == ("trusted_flagger", "voter_suppression")
    case = Case.objects.get(pk=answer["case_id"])
    assert (case.audience_countries, case.audience_regions) == (["CZ", "SK"], ["Bratislava"])
    assert (submission.views, case.total_views) == (0, 0)  # no reach reported


def test_an_event_without_audience_takes_the_platform_default_and_extra_fields_are_ignored(
    client, make_platform
):
    platform, secret = make_platform("videoshare", default_countries=["BR"])
    answer = picked_up(post_signed(client, platform, secret, load("classifier_video_two_media.json")).json())
    submission = Submission.objects.get(pk=answer["submission_id"])
    assert submission.audience_countries == ["BR"]
    assert submission.language == "pt-BR"
    assert [m.declared_media_type for m in submission.media.order_by("position")] == ["video", ""]
    assert "platform_internal" not in submission.events.get().payload
