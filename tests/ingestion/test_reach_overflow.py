"""Reach figures as large as the contract allows: their sums saturate instead of overflowing bigint.

An attack review sent views of 2**63 - 1 from two platforms about the same media: the second
submission failed for good in the worker, and every later reach update answered 500.
"""

import pytest

from tests.ingestion.helpers import make_wav, post_signed, sample_event
from triage.intake.fetch import submission_process
from triage.models import Case, MediaItem, Submission, SubmissionState

pytestmark = pytest.mark.django_db

BIGINT_MAX = 2**63 - 1


def _report(client, platform, secret, event):
    response = post_signed(client, platform, secret, event)
    assert response.status_code == 202, response.content
    answer = response.json()
    submission_process(submission_id=answer["submission_id"])
    return answer


def test_huge_reach_from_two_platforms_is_processed_and_the_totals_saturate(
    client, make_platform, media_server
):
    videoshare, vs_secret = make_platform("videoshare")
    chirp, chirp_secret = make_platform("chirp")
    wav = make_wav(frequency=611)
    first = _report(
        client, videoshare, vs_secret,
        sample_event("e1", content_id="v-1", media_url=media_server.add("/1.wav", wav),
                     views=BIGINT_MAX, shares=BIGINT_MAX),
    )  # fmt: skip
    second = _report(
        client, chirp, chirp_secret,
        sample_event("c1", content_id="c-1", media_url=media_server.add("/2.wav", wav),
                     views=BIGINT_MAX, shares=BIGINT_MAX),
    )  # fmt: skip

    assert Submission.objects.get(pk=second["submission_id"]).state == SubmissionState.PROCESSED
    case = Case.objects.get(media_item=MediaItem.objects.get(), merged_into__isnull=True)
    assert case.pk == first["case_id"]
    assert (case.submission_count, case.total_views, case.total_shares) == (2, BIGINT_MAX, BIGINT_MAX)
    assert case.reach_samples.last().case_views == BIGINT_MAX

    # A reach update on the saturated case is answered, every time.
    for views in (BIGINT_MAX, BIGINT_MAX - 1, 5):
        update = post_signed(
            client, chirp, chirp_secret, sample_event(f"c-{views}", content_id="c-1", views=views)
        )
        assert update.status_code == 202, update.content
    case.refresh_from_db()
    assert case.total_views == BIGINT_MAX


def test_reach_over_a_bigint_is_a_field_error(client, platform_with_secret):
    platform, secret = platform_with_secret
    response = post_signed(client, platform, secret, sample_event("e-big", views=BIGINT_MAX + 1))
    assert response.status_code == 400
    assert "views" in response.json()["errors"]["reach"]
