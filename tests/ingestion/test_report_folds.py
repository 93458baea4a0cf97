"""Later reports about known content: one row each at the webhook, folded a burst at a time by the worker.

With the real broker and worker: a burst of N reports is counted exactly (events, reach, election
reports) and re-decides its case once; a report that changes nothing the policy tests re-decides
nothing; the first trusted flagger does; a replayed event id changes nothing; a report's status
reads at once. Without a worker: the claim, the idempotent fold and the sweeper.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.ingestion.helpers import folded, get_status_signed, post_signed, sample_event
from tests.kit.callbacks import make_case, make_decision, make_submission
from tests.kit.worker import poll
from triage.audit.models import AuditEvent
from triage.decisions.reports import reports_for_submissions
from triage.intake.folds import report_folds_sweep, reports_fold
from triage.models import Case, ReportFoldDue, Submission, SubmissionEvent

REDECISION = "case.redecision_requested"


def _report(event_id: str, *, source: str = "user_report", reason: str = "election_misinformation", **kw):
    event = sample_event(event_id, **kw)
    event["report"] = {"source": source, "reason": reason, "note": ""}
    return event


def _decided_content(platform):
    """A case with stored media and a current policy decision, reported once as "post-9"."""
    case = make_case()
    submission = make_submission(
        platform=platform, case=case, content_id="post-9", event_ids=["evt-0"], source="user_report"
    )
    make_decision(case=case, phase="normal", actions=[{"type": "no_action"}])
    return case, submission


def _all_folded() -> bool:
    return not SubmissionEvent.objects.filter(folded_at__isnull=True).exists()


def _redecisions(case) -> int:
    return AuditEvent.objects.filter(action=REDECISION, case_id=case.pk).count()


def _settle(message: str) -> None:
    poll(_all_folded, timeout=60, message=message)


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_burst_of_reports_is_counted_exactly_and_re_decides_once(
    client, make_platform, default_policy, celery_worker_process, settings
):
    settings.REPORT_FOLD_SECONDS = 4  # the whole burst lands inside one fold's window
    platform, secret = make_platform("videoshare")
    case, submission = _decided_content(platform)

    answers = [
        post_signed(client, platform, secret, _report(f"evt-{n}", views=1000 + n, shares=n)).json()
        for n in range(1, 9)
    ]
    assert all(a["update"] and a["submission_id"] == submission.pk for a in answers)
    # Recorded at once, one row each; nothing folded before the window ends.
    assert SubmissionEvent.objects.filter(submission=submission).count() == 9
    assert ReportFoldDue.objects.filter(submission=submission).count() == 1

    _settle("the burst to be folded")
    poll(lambda: _redecisions(case) >= 1, timeout=30, message="the re-decision request")

    submission.refresh_from_db()
    case.refresh_from_db()
    assert (submission.views, submission.shares, submission.report_reason) == (
        1008,
        8,
        "election_misinformation",
    )
    assert (case.total_views, case.total_shares) == (1008, 8)
    assert reports_for_submissions([submission]).election_user_reports == 8
    assert case.reach_samples.count() == 1  # one point of the time series for the burst
    assert not ReportFoldDue.objects.exists()
    assert _redecisions(case) == 1
    (request,) = AuditEvent.objects.filter(action=REDECISION, case_id=case.pk)
    assert request.inputs["reports"] == 8
    assert "report_reason" in request.outcome["why"]


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_only_a_report_that_changes_what_the_policy_tests_re_decides(
    client, make_platform, default_policy, celery_worker_process, settings
):
    settings.REPORT_FOLD_SECONDS = 0
    platform, secret = make_platform("videoshare")
    case, _submission = _decided_content(platform)
    post_signed(client, platform, secret, _report("evt-1"))  # the content's fields as the platform has them
    _settle("the first report to be folded")
    poll(lambda: _redecisions(case) == 1, timeout=30, message="the first report's re-decision")

    post_signed(client, platform, secret, _report("evt-2"))  # one more user report: below every threshold
    _settle("the second report to be folded")
    assert _redecisions(case) == 1

    post_signed(
        client, platform, secret, _report("evt-3", source="trusted_flagger")
    )  # the first trusted flagger
    _settle("the trusted report to be folded")
    poll(lambda: _redecisions(case) == 2, timeout=30, message="the trusted flagger's re-decision")
    assert "report_source" in AuditEvent.objects.filter(action=REDECISION).latest("pk").outcome["why"]

    post_signed(client, platform, secret, _report("evt-4", source="trusted_flagger"))  # a second one: no news
    _settle("the second trusted report to be folded")
    assert _redecisions(case) == 2


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_replayed_report_is_a_no_op_and_every_report_reads_its_status(
    client, make_platform, default_policy, celery_worker_process, settings
):
    settings.REPORT_FOLD_SECONDS = 0
    platform, secret = make_platform("videoshare")
    _case, submission = _decided_content(platform)

    first = post_signed(client, platform, secret, _report("evt-1", views=500)).json()
    status = get_status_signed(client, platform, secret, "evt-1")  # before any fold
    assert status.status_code == 200
    assert status.json()["event_id"] == "evt-1"
    again = post_signed(client, platform, secret, _report("evt-1", views=999_999)).json()
    assert (again["duplicate"], again["submission_id"], first["update"]) == (True, submission.pk, True)
    _settle("the report to be folded")
    replayed = post_signed(client, platform, secret, _report("evt-1", views=999_999)).json()
    assert replayed["duplicate"] is True

    submission.refresh_from_db()
    assert submission.views == 500
    assert SubmissionEvent.objects.filter(event_id="evt-1").count() == 1
    assert get_status_signed(client, platform, secret, "evt-1").json()["state"] == submission.state


@pytest.mark.django_db
def test_a_fold_is_claimed_once_and_folding_twice_changes_nothing(client, platform_with_secret):
    platform, secret = platform_with_secret
    case, submission = _decided_content(platform)
    post_signed(client, platform, secret, _report("evt-1", views=700))

    assert reports_fold(submission_ids=[submission.pk, submission.pk]) == 1  # the second finds no claim
    assert reports_fold(submission_ids=[submission.pk]) == 0
    folded({"submission_id": submission.pk})  # the sweeper's way, unclaimed: nothing left either
    assert Case.objects.get(pk=case.pk).total_views == 700
    assert Submission.objects.get(pk=submission.pk).views == 700


@pytest.mark.django_db
def test_the_sweeper_schedules_reports_whose_fold_was_lost(client, platform_with_secret):
    platform, secret = platform_with_secret
    _case, submission = _decided_content(platform)
    post_signed(client, platform, secret, _report("evt-1"))
    assert report_fold_claimed_and_lost(submission)  # a worker claimed it and died
    SubmissionEvent.objects.filter(event_id="evt-1").update(received_at=timezone.now() - timedelta(minutes=5))

    assert report_folds_sweep(overdue_seconds=60) == 1
    assert ReportFoldDue.objects.filter(submission=submission).exists()  # scheduled again, and published
    assert reports_fold(submission_ids=[submission.pk]) == 1


def report_fold_claimed_and_lost(submission) -> bool:
    deleted, _ = ReportFoldDue.objects.filter(submission=submission).delete()
    return bool(deleted)
