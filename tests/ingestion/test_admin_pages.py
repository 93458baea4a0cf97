"""Moderators can open every ingestion page in the admin, including a failed fetch's reason."""

import pytest

from tests.ingestion.helpers import picked_up, post_signed, sample_event
from triage.models import MediaFetchState, Submission, SubmissionMedia

pytestmark = pytest.mark.django_db


def test_every_ingestion_admin_page_opens(client, olivia_client, platform_with_secret):
    platform, secret = platform_with_secret
    answer = picked_up(post_signed(client, platform, secret, sample_event()).json())
    SubmissionMedia.objects.update(state=MediaFetchState.FAILED, error="HTTP 404 from cdn.example")
    submission = Submission.objects.get(pk=answer["submission_id"])
    for url in [
        "/admin/platforms/platform/",
        f"/admin/platforms/platform/{platform.pk}/change/",
        "/admin/triage/submission/",
        f"/admin/triage/submission/{submission.pk}/change/",
        "/admin/triage/case/",
        f"/admin/triage/case/{answer['case_id']}/change/",
        "/admin/triage/mediaitem/",
        "/admin/triage/reachsample/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    assert (
        b"HTTP 404 from cdn.example"
        in client.get(f"/admin/triage/submission/{submission.pk}/change/").content
    )


def test_a_submission_no_worker_has_picked_up_is_listed_and_opens(
    client, olivia_client, platform_with_secret
):
    platform, secret = platform_with_secret
    answer = post_signed(client, platform, secret, sample_event("evt-7", content_id="post-7")).json()

    listing = client.get("/admin/triage/submission/?q=evt-7")
    page = client.get(f"/admin/triage/submission/{answer['submission_id']}/change/")

    assert listing.status_code == page.status_code == 200
    assert b"post-7" in listing.content
    assert str(answer["case_id"]).encode() in listing.content
