"""A submission that joins a decided case later gets the decision even when its catch-up was lost.

A re-upload that joins a decided case is given the case's current decision by the
`media_item_stored` receiver right after the attachment commits (the "catch-up fan-out"). That
receiver can fail (an exception inside, a worker that dies before its on-commit hooks run); the
periodic sweeps must then still deliver the decision to the new submission's platform.
"""

from __future__ import annotations

import hashlib
import io
import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from integrations.callbacks import services
from integrations.callbacks.models import Delivery, DeliveryState
from integrations.callbacks.services import decision_fan_out, decisions_catch_up_missed
from integrations.callbacks.tasks import catch_up_missed_deliveries
from tests.ingestion.helpers import make_wav
from tests.kit.callbacks import make_case, make_decision, make_submission
from tests.kit.worker import poll
from triage.audit.models import AuditEvent
from triage.decisions.models import Decision, PolicyStatus, PolicyVersion
from triage.intake.fetch import submission_process
from triage.intake.storage import media_store
from triage.models import Case, MediaItem, Submission, SubmissionMedia
from triage.signals import decision_made


def _decided_case_of(recording: bytes, *, platform, content_id: str) -> tuple[Case, Decision]:
    """A case about `recording` reported by `platform`, decided and fanned out as the policy does."""
    sha256 = hashlib.sha256(recording).hexdigest()
    media = MediaItem.objects.create(
        sha256=sha256,
        media_type="audio",
        mime_type="audio/wav",
        size_bytes=len(recording),
        file=media_store(fileobj=io.BytesIO(recording), sha256=sha256),
    )
    case = Case.objects.create(media_item=media, audience_countries=["SK"], audience_key="SK")
    make_submission(platform=platform, case=case, content_id=content_id, event_ids=[f"{content_id}-e1"])
    with transaction.atomic():
        decision = make_decision(case=case)
        transaction.on_commit(lambda: decision_made.send(sender=Decision, decision_id=decision.pk))
    return case, decision


def _reported(*, platform, content_id: str, media_url: str) -> Submission:
    """A report the webhook accepted: a provisional case and one media entry still to be fetched."""
    provisional = Case.objects.create(audience_countries=["SK"], audience_key="SK")
    submission = Submission.objects.create(
        platform=platform,
        content_id=content_id,
        language="sk",
        report_source="user_report",
        report_reason="synthetic_media",
        audience_countries=["SK"],
        case=provisional,
    )
    SubmissionMedia.objects.create(
        submission=submission, position=0, url=media_url, declared_media_type="audio", case=provisional
    )
    return submission


def _catch_up_fails(monkeypatch):
    """Make the catch-up fan-out raise inside the receiver, as a database hiccup there would."""

    def broken_fan_out(**kwargs):
        raise RuntimeError("connection to the database lost during the catch-up fan-out")

    monkeypatch.setattr("integrations.callbacks.services.decision_fan_out", broken_fan_out)


def _callbacks_to(platform_server, platform: str) -> list[dict]:
    return [r.body for r in platform_server.received if r.path == f"/{platform}/decisions" and r.signature_ok]


@pytest.mark.django_db(transaction=True)
def test_a_reupload_whose_catch_up_was_lost_gets_the_decision_from_the_sweep(
    celery_worker_process,
    make_callback_platform,
    platform_server,
    media_server,  # noqa: F811 - the fixture imported above
    monkeypatch,
    settings,
):
    # No policy may decide the case behind the test's back: the test decides it by hand.
    PolicyVersion.objects.filter(status=PolicyStatus.ACTIVE).update(status=PolicyStatus.RETIRED)
    videoshare, _ = make_callback_platform("videoshare")
    chirp, _ = make_callback_platform("chirp")
    recording = make_wav(seconds=1.0)
    case, decision = _decided_case_of(recording, platform=videoshare, content_id="post-v1")
    poll(lambda: _callbacks_to(platform_server, "videoshare"), message="the first platform's callback")

    reupload = _reported(
        platform=chirp, content_id="post-c1", media_url=media_server.add("/c1.wav", recording)
    )
    with monkeypatch.context() as patched:
        _catch_up_fails(patched)
        submission_process(submission_id=reupload.pk)
    assert SubmissionMedia.objects.get(submission=reupload).case_id == case.pk  # it joined the case
    assert not Delivery.objects.filter(submission=reupload).exists()  # and its catch-up was lost

    # What celery beat runs every minute; with no grace the attachment is old enough at once.
    settings.CALLBACK_CATCH_UP_GRACE_SECONDS = 0
    assert catch_up_missed_deliveries() == 1

    poll(lambda: _callbacks_to(platform_server, "chirp"), timeout=15, message="the re-upload's callback")
    (body,) = _callbacks_to(platform_server, "chirp")
    assert body["decision_id"] == str(decision.decision_id)
    assert body["content_id"] == "post-c1"
    poll(
        lambda: Delivery.objects.filter(submission=reupload, state=DeliveryState.DELIVERED).exists(),
        message="the re-upload's delivery to be marked delivered",
    )


# Without a worker: what the sweep writes, on rows made as ingestion and the policy make them.


def _later(minutes: int = 10):
    """A moment past the grace period, when the sweep may act on what was attached now."""
    return timezone.now() + timedelta(minutes=minutes)


@pytest.fixture
def slovak_case(make_callback_platform):
    """Videoshare reported the audio an hour ago; the case was decided and fanned out to it."""
    videoshare, _ = make_callback_platform("videoshare")
    case = make_case()
    make_submission(
        platform=videoshare,
        case=case,
        content_id="post-9",
        event_ids=["evt-1"],
        attached_at=timezone.now() - timedelta(hours=1),
    )
    decision = make_decision(case=case)
    decision_fan_out(decision_id=decision.pk)
    return case


def _reupload(make_callback_platform, case, *, slug: str = "chirp", callback: bool = True, **kwargs):
    """Another platform's copy of the media joined the decided case now, and its catch-up was lost."""
    platform, _ = make_callback_platform(slug, callback=callback)
    return make_submission(
        platform=platform,
        case=case,
        content_id=f"{slug}-post",
        event_ids=[f"{slug}-evt"],
        attached_at=timezone.now(),
        **kwargs,
    )


@pytest.mark.django_db
def test_the_sweep_waits_out_the_grace_then_delivers_and_audits_like_the_fan_out(
    slovak_case, make_callback_platform
):
    reupload = _reupload(make_callback_platform, slovak_case)

    assert decisions_catch_up_missed() == 0  # just attached: its own catch-up may be running
    assert decisions_catch_up_missed(now=_later()) == 1

    delivery = Delivery.objects.get(submission=reupload)
    assert delivery.decision == slovak_case.decisions.get(is_current=True)
    assert (delivery.state, delivery.content_id) == (DeliveryState.PENDING, "chirp-post")
    audit = AuditEvent.objects.filter(action="decision.fanned_out").latest("pk")
    assert audit.inputs["trigger"] == "catch_up_sweep"
    assert [d["content_id"] for d in audit.outcome["deliveries"]] == ["chirp-post"]
    assert decisions_catch_up_missed(now=_later()) == 0  # done once


@pytest.mark.django_db
def test_the_sweep_does_nothing_when_every_submission_has_the_decision(slovak_case, make_callback_platform):
    _reupload(make_callback_platform, slovak_case)
    decision_fan_out(decision_id=slovak_case.decisions.get(is_current=True).pk, trigger="submission_joined")
    deliveries, audits = Delivery.objects.count(), AuditEvent.objects.count()

    assert decisions_catch_up_missed(now=_later()) == 0

    assert (Delivery.objects.count(), AuditEvent.objects.count()) == (deliveries, audits)


@pytest.mark.django_db
def test_a_platform_without_a_callback_url_is_left_to_poll(slovak_case, make_callback_platform):
    _reupload(make_callback_platform, slovak_case, slug="forum", callback=False)

    assert decisions_catch_up_missed(now=_later()) == 0
    assert not Delivery.objects.filter(platform__slug="forum").exists()


@pytest.mark.django_db
def test_a_submission_whose_case_was_merged_into_the_decided_case_gets_it(
    slovak_case, make_callback_platform
):
    provisional = make_case(with_media=False)
    provisional.merged_into, provisional.status = slovak_case, "merged"
    provisional.save()
    reupload = _reupload(make_callback_platform, provisional)

    assert decisions_catch_up_missed(now=_later()) == 1
    assert Delivery.objects.get(submission=reupload).decision.case_id == slovak_case.pk


@pytest.mark.django_db
def test_only_the_current_decision_is_caught_up(slovak_case, make_callback_platform):
    current = make_decision(case=slovak_case, actions=[{"type": "no_action"}], phase="normal")
    decision_fan_out(decision_id=current.pk)
    reupload = _reupload(make_callback_platform, slovak_case)

    assert decisions_catch_up_missed(now=_later()) == 1
    assert list(Delivery.objects.filter(submission=reupload).values_list("decision", flat=True)) == [
        current.pk
    ]


@pytest.mark.django_db
def test_attachments_older_than_the_lookback_are_not_read(slovak_case, make_callback_platform, settings):
    _reupload(make_callback_platform, slovak_case)

    hours = settings.CALLBACK_CATCH_UP_LOOKBACK_HOURS
    assert decisions_catch_up_missed(now=_later(minutes=60 * hours + 1)) == 0


@pytest.mark.django_db
def test_each_sweep_fans_out_at_most_its_limit(make_callback_platform):
    videoshare, _ = make_callback_platform("videoshare")
    chirp, _ = make_callback_platform("chirp")
    for n in range(3):
        case = make_case()
        make_submission(platform=videoshare, case=case, content_id=f"post-{n}", event_ids=[f"v-{n}"])
        decision_fan_out(decision_id=make_decision(case=case).pk)
        make_submission(
            platform=chirp,
            case=case,
            content_id=f"copy-{n}",
            event_ids=[f"c-{n}"],
            attached_at=timezone.now(),
        )

    assert decisions_catch_up_missed(now=_later(), limit=2) == 2
    assert Delivery.objects.filter(platform=chirp).count() == 2
    assert decisions_catch_up_missed(now=_later(), limit=2) == 1
    assert Delivery.objects.filter(platform=chirp).count() == 3
    assert decisions_catch_up_missed(now=_later(), limit=2) == 0


# With a worker: the sweep and a catch-up that run at the same moment send one callback.


def _someone_waits_for_a_row_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.django_db(transaction=True)
def test_the_sweep_and_a_late_catch_up_running_at_once_send_one_callback(
    celery_worker_process, make_callback_platform, platform_server, monkeypatch, settings
):
    videoshare, _ = make_callback_platform("videoshare")
    chirp, _ = make_callback_platform("chirp")
    case = make_case()
    make_submission(platform=videoshare, case=case, content_id="post-9", event_ids=["evt-1"])
    decision = make_decision(case=case)
    decision_fan_out(decision_id=decision.pk)
    reupload = make_submission(
        platform=chirp, case=case, content_id="post-c1", event_ids=["c-1"], attached_at=timezone.now()
    )
    settings.CALLBACK_CATCH_UP_GRACE_SECONDS = 0  # the catch-up is late: the sweep already sees the gap

    # The catch-up takes the decision's row lock and is held there until the sweep queues behind it.
    inside, release = threading.Event(), threading.Event()
    real_case_submissions, calls = services.case_submissions, []

    def case_submissions_held_once(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            inside.set()
            release.wait(timeout=30)
        return real_case_submissions(**kwargs)

    monkeypatch.setattr(services, "case_submissions", case_submissions_held_once)
    results: dict[str, object] = {}

    def run(name, work):
        try:
            results[name] = work()
        finally:
            connection.close()

    catch_up = threading.Thread(
        target=run,
        args=("catch_up", lambda: decision_fan_out(decision_id=decision.pk, trigger="submission_joined")),
    )
    sweep = threading.Thread(target=run, args=("sweep", catch_up_missed_deliveries))
    catch_up.start()
    assert inside.wait(timeout=30)
    sweep.start()
    poll(_someone_waits_for_a_row_lock, timeout=30, message="the sweep to wait for the catch-up's lock")
    release.set()
    catch_up.join(timeout=30)
    sweep.join(timeout=30)

    assert [d.submission_id for d in results["catch_up"]] == [reupload.pk]
    assert results["sweep"] == 1  # it found the gap, then found the delivery made when it got the lock
    assert Delivery.objects.filter(submission=reupload).count() == 1
    poll(
        lambda: not Delivery.objects.exclude(state=DeliveryState.DELIVERED).exists(),
        timeout=30,
        message="every delivery to be delivered",
    )
    assert len(_callbacks_to(platform_server, "chirp")) == 1
    fanned_out = AuditEvent.objects.filter(action="decision.fanned_out", inputs__trigger="submission_joined")
    assert fanned_out.count() == 1
    assert not AuditEvent.objects.filter(
        action="decision.fanned_out", inputs__trigger="catch_up_sweep"
    ).exists()
