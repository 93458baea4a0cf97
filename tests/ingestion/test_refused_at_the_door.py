"""Every accepted event must be processable: what the worker could not process is refused with a 400.

An attack review found an event_id with a newline accepted (then every answer, and every retry,
failed building its status URL) and more audience countries than a case can key accepted (then
the worker failed on it forever).
"""

from __future__ import annotations

import pytest

from tests.ingestion.helpers import get_status_signed, post_signed, sample_event
from triage.models import Submission

pytestmark = pytest.mark.django_db

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
CODES = [a + b for a in LETTERS for b in LETTERS]


@pytest.mark.parametrize("event_id", ["evt\n1", "evt-1\r\nx", "evt\x0b1", "evt\u20281", "evt\x7f", "evt\t1"])
def test_an_event_id_with_control_characters_is_a_field_error(client, platform_with_secret, event_id):
    platform, secret = platform_with_secret
    response = post_signed(client, platform, secret, sample_event(event_id))
    assert response.status_code == 400
    assert "event_id" in response.json()["errors"]
    assert not Submission.objects.exists()  # refused before anything was written


@pytest.mark.parametrize("event_id", ["evt 1/2?x#y", "udalosť-č.5", "%2F..%2F", "a;b=c&d"])
def test_event_ids_with_spaces_slashes_and_accents_get_a_working_status_url(
    client, platform_with_secret, event_id
):
    platform, secret = platform_with_secret
    answer = post_signed(client, platform, secret, sample_event(event_id)).json()
    assert client.get(answer["status_url"]).status_code == 401  # it routes; unsigned it is refused
    assert get_status_signed(client, platform, secret, event_id).json()["event_id"] == event_id


def test_more_audience_countries_than_a_case_can_key_are_refused_at_the_door(client, platform_with_secret):
    from triage.intake.ingest import submission_materialize

    platform, secret = platform_with_secret
    too_many = post_signed(client, platform, secret, sample_event("evt-many", countries=CODES[:134]))
    assert too_many.status_code == 400
    assert "countries" in too_many.json()["errors"]["audience"]
    assert not Submission.objects.exists()
    # As many as fit are accepted, and the worker writes their case.
    answer = post_signed(client, platform, secret, sample_event("evt-fit", countries=CODES[:133])).json()
    submission_materialize(submission_id=answer["submission_id"])
    assert len(Submission.objects.get(pk=answer["submission_id"]).case.audience_countries) == 133


def test_repeated_countries_count_once(client, platform_with_secret):
    platform, secret = platform_with_secret
    response = post_signed(client, platform, secret, sample_event("evt-dup", countries=["SK", "sk"] * 100))
    assert response.status_code == 202
