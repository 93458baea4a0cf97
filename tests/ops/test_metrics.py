"""Prometheus metrics at /metrics: read from the database at scrape time, for a token or staff only."""

import pytest
from django.contrib.auth.models import User

from elections.models import SilenceWindow
from tests.ingestion.helpers import post_signed, sample_event
from tests.kit.media import make_platform, platform_with_secret  # noqa: F401, F811 - fixtures

pytestmark = pytest.mark.django_db

TOKEN = "scrape-token-for-tests"  # noqa: S105


@pytest.fixture(autouse=True)
def token(settings):
    settings.METRICS_TOKEN = TOKEN


def scrape(client) -> str:
    answer = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert answer.status_code == 200
    return answer.content.decode()


def test_only_the_token_or_staff_may_read_the_metrics(client):
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer guessed").status_code == 401
    client.force_login(User.objects.create_user("moderator"))
    assert client.get("/metrics").status_code == 401
    client.force_login(User.objects.create_user("operator", is_staff=True))
    assert client.get("/metrics").status_code == 200


def test_webhooks_by_platform_and_answer(client, platform_with_secret):  # noqa: F811
    platform, secret = platform_with_secret
    post_signed(client, platform, secret, sample_event("evt-1"))
    post_signed(client, platform, "not-the-secret", sample_event("evt-2"))

    text = scrape(client)

    assert 'moratorium_submissions{platform="videoshare",state="pending"} 1.0' in text
    assert 'moratorium_webhook_answers_total{status="202"}' in text
    assert 'moratorium_webhook_answers_total{status="401"}' in text


def test_queue_depths_from_the_broker(client):
    text = scrape(client)

    assert "moratorium_broker_up 1.0" in text
    assert 'moratorium_queue_messages{queue="banks"}' in text


def test_per_country_silence_state(client, settings):
    window = SilenceWindow.objects.select_related("election").order_by("-start").first()
    settings.CLOCK_NOW = window.start + (window.end - window.start) / 2

    text = scrape(client)

    assert f'moratorium_country_in_silence{{country="{window.country_id}"}} 1.0' in text
    assert 'moratorium_country_in_silence{country="US"} 0.0' in text
    assert f'moratorium_country_in_election_period{{country="{window.country_id}"}} 1.0' in text


def test_the_other_families_are_exposed(client):
    text = scrape(client)

    for family in (
        "moratorium_check_results",
        "moratorium_check_duration_seconds_avg",
        "moratorium_verdicts",
        "moratorium_decisions",
        "moratorium_reviews_due",
        "moratorium_callback_deliveries",
    ):
        assert f"# TYPE {family} gauge" in text
    assert 'moratorium_reviews_due{due="near"} 0.0' in text
