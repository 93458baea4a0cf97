"""The webhook writes one submission row; the worker writes the cases, media, event and reach.

What a platform sees does not change: the 202 carries the case id (reserved from the case
sequence), replays and updates are recognised at once, and the status endpoint lists the media
as pending until a worker has them.
"""

import pytest

from tests.ingestion.helpers import folded, get_status_signed, picked_up, post_signed, sample_event
from triage.intake.ingest import submission_materialize
from triage.models import Case, ReachSample, Submission, SubmissionEvent, SubmissionEventKind, SubmissionMedia

pytestmark = pytest.mark.django_db


def test_right_after_the_202_only_the_submission_exists_and_the_worker_writes_the_rest(
    client, platform_with_secret
):
    platform, secret = platform_with_secret
    event = sample_event("evt-1", views=40, shares=4)
    event["content"]["media"].append({"url": "https://cdn.example/b.png", "media_type": "image"})

    answer = post_signed(client, platform, secret, event).json()

    submission = Submission.objects.get(pk=answer["submission_id"])
    assert submission.case_id == answer["case_id"]
    assert [m["url"] for m in submission.intake["media"]] == [
        "https://cdn.example/a.mp3",
        "https://cdn.example/b.png",
    ]
    assert not Case.objects.exists()
    assert not SubmissionMedia.objects.exists()
    assert not SubmissionEvent.objects.exists()

    assert submission_materialize(submission_id=submission.pk) is True

    submission.refresh_from_db()
    assert submission.intake is None
    first_case = Case.objects.get(pk=answer["case_id"])
    assert (first_case.audience_key, first_case.total_views, first_case.submission_count) == ("SK", 40, 1)
    assert [m.case_id for m in submission.media.order_by("position")][0] == answer["case_id"]
    assert Case.objects.count() == SubmissionMedia.objects.count() == ReachSample.objects.count() == 2
    created = SubmissionEvent.objects.get()
    assert (created.event_id, created.kind, created.received_at) == (
        "evt-1",
        SubmissionEventKind.CREATED,
        submission.created_at,
    )
    assert submission_materialize(submission_id=submission.pk) is False  # nothing left to write
    assert Case.objects.count() == 2


def test_the_status_endpoint_lists_the_media_as_pending_before_a_worker_has_them(
    client, platform_with_secret
):
    platform, secret = platform_with_secret
    answer = post_signed(client, platform, secret, sample_event("evt-1")).json()

    status = get_status_signed(client, platform, secret, "evt-1").json()

    assert (status["submission_id"], status["case_id"], status["state"]) == (
        answer["submission_id"],
        answer["case_id"],
        "pending",
    )
    assert status["media"] == [
        {
            "position": 0,
            "url": "https://cdn.example/a.mp3",
            "file": None,
            "state": "pending",
            "media_type": None,
            "sha256": None,
            "error": None,
        }
    ]
    assert status["decision"] is None


def test_an_update_before_the_worker_keeps_the_history_in_order(client, platform_with_secret):
    platform, secret = platform_with_secret
    first = post_signed(client, platform, secret, sample_event("evt-1", views=100)).json()
    update = folded(post_signed(client, platform, secret, sample_event("evt-2", views=900)).json())

    assert (update["submission_id"], update["update"]) == (first["submission_id"], True)
    submission = Submission.objects.get()
    assert submission.intake is None  # the fold wrote the first event's rows before the update's
    assert list(submission.events.values_list("event_id", flat=True)) == ["evt-1", "evt-2"]
    case = Case.objects.get(pk=first["case_id"])
    assert list(case.reach_samples.values_list("case_views", flat=True)) == [100, 900]


def test_a_first_event_id_sent_again_about_other_content_is_a_replay(client, platform_with_secret):
    platform, secret = platform_with_secret
    first = post_signed(client, platform, secret, sample_event("evt-1", content_id="post-a")).json()

    again = post_signed(client, platform, secret, sample_event("evt-1", content_id="post-b")).json()

    assert (again["submission_id"], again["duplicate"]) == (first["submission_id"], True)
    assert list(Submission.objects.values_list("content_id", flat=True)) == ["post-a"]


def test_an_update_id_reused_for_other_content_keeps_that_report(client, platform_with_secret, caplog):
    # A platform error: the webhook does not look event ids up before inserting, so rather than
    # drop a report about new content as a "replay", it keeps it; the update keeps its id.
    platform, secret = platform_with_secret
    first = picked_up(
        post_signed(client, platform, secret, sample_event("evt-1", content_id="post-a")).json()
    )
    post_signed(client, platform, secret, sample_event("evt-2", content_id="post-a", views=5))

    reused = picked_up(
        post_signed(client, platform, secret, sample_event("evt-2", content_id="post-b")).json()
    )

    assert reused["submission_id"] != first["submission_id"]
    assert Case.objects.filter(pk=reused["case_id"]).exists()
    assert SubmissionEvent.objects.get(event_id="evt-2").submission_id == first["submission_id"]
    assert "its first event id was already an update's" in caplog.text


def test_reserved_case_ids_and_cases_made_later_never_collide(client, platform_with_secret):
    platform, secret = platform_with_secret
    answers = [
        post_signed(client, platform, secret, sample_event(f"evt-{n}", content_id=f"post-{n}")).json()
        for n in range(3)
    ]
    later = Case.objects.create(audience_countries=["SK"], audience_key="SK")
    for answer in answers:
        picked_up(answer)

    case_ids = [answer["case_id"] for answer in answers]
    assert len({*case_ids, later.pk}) == 4
    assert set(Case.objects.values_list("pk", flat=True)) == {*case_ids, later.pk}
