"""The webhook's optional content.author (id, handle): who uploaded the content (issue 11)."""

import pytest

from tests.ingestion.helpers import post_signed, sample_event
from triage.models import Submission

pytestmark = pytest.mark.django_db


def test_the_uploader_is_kept_on_the_submission(client, platform_with_secret):
    platform, secret = platform_with_secret
    event = sample_event("evt-author")
    event["content"]["author"] = {"id": "7001", "handle": "@pti-official"}

    answer = post_signed(client, platform, secret, event)

    assert answer.status_code == 202, answer.content
    assert Submission.objects.get(pk=answer.json()["submission_id"]).author == {
        "id": "7001",
        "handle": "@pti-official",
    }


def test_without_an_author_nothing_is_recorded(client, platform_with_secret):
    platform, secret = platform_with_secret

    answer = post_signed(client, platform, secret, sample_event("evt-anonymous"))

    assert Submission.objects.get(pk=answer.json()["submission_id"]).author is None


@pytest.mark.parametrize(
    "author, field",
    [({"id": "x" * 201}, "id"), ({"handle": ["@a"]}, "handle"), ({"id": "nul\x00"}, "id")],
)
def test_a_bad_author_is_a_field_error(client, platform_with_secret, author, field):
    platform, secret = platform_with_secret
    event = sample_event("evt-bad-author")
    event["content"]["author"] = author

    answer = post_signed(client, platform, secret, event)

    assert answer.status_code == 400
    assert field in answer.json()["errors"]["content"]["author"]
