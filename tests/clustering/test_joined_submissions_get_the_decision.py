"""End to end on a real broker and worker: a copy reported later gets the case's existing decision.

The first platform's report is fetched, checked, decided by the shipped default policy and
called back. A second platform then reports a re-encoded copy: the worker clusters it into the
first case, no second decision is made, and the second platform receives the case's current
decision by callback and sees it on its status URL.
"""

from __future__ import annotations

import pytest

from tests.ingestion.helpers import get_status_signed
from tests.kit.worker import poll
from triage.decisions.models import Decision
from triage.intake.selectors import case_resolve
from triage.models import Submission, SubmissionState

from .helpers import report

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("celery_worker_process", "default_policy"),
]


def _processed(submission_id: int) -> bool:
    return Submission.objects.filter(pk=submission_id, state=SubmissionState.PROCESSED).exists()


def _callback(platform_server, *, platform: str, content_id: str):
    return next(
        (
            r.body
            for r in platform_server.received
            if r.path == f"/{platform}/decisions" and r.body["content_id"] == content_id and r.signature_ok
        ),
        None,
    )


def _decided_case(answer) -> Decision:
    return poll(
        lambda: Decision.objects.filter(
            case=case_resolve(case_id=answer["case_id"]), is_current=True
        ).first(),
        timeout=90,
        message="the first case to be decided",
    )


def test_a_copy_on_another_platform_gets_the_existing_decision(
    client, make_callback_platform, platform_server, media_server, original_speech, phone_copy
):
    videoshare, vs_secret = make_callback_platform("videoshare")
    chirp, chirp_secret = make_callback_platform("chirp")
    first = report(client, videoshare, vs_secret, media_server, original_speech, event_id="v1", views=1000)
    decision = _decided_case(first)
    poll(
        lambda: _callback(platform_server, platform="videoshare", content_id="post-v1"),
        message="first callback",
    )

    copy = report(client, chirp, chirp_secret, media_server, phone_copy, event_id="c1", views=50)
    poll(lambda: _processed(copy["submission_id"]), timeout=60, message="the copy to be processed")
    body = poll(
        lambda: _callback(platform_server, platform="chirp", content_id="post-c1"),
        timeout=60,
        message="the decision to reach the platform that reported the copy",
    )

    case = case_resolve(case_id=copy["case_id"])
    assert case.pk == decision.case_id != copy["case_id"]
    assert (case.submission_count, case.total_views) == (2, 1050)
    assert body["decision_id"] == str(decision.decision_id) and body["case_id"] == case.pk
    assert body["event_ids"] == ["c1"]
    status = get_status_signed(client, chirp, chirp_secret, "c1").json()
    assert status["case_id"] == case.pk
    assert status["decision"]["decision_id"] == str(decision.decision_id)
    # Decided once: the provisional case of the copy never got a decision of its own.
    assert not Decision.objects.filter(case_id=copy["case_id"]).exists()
    assert Decision.objects.filter(case=case, is_current=True).count() == 1


def test_an_exact_reupload_after_the_decision_gets_it_too(
    client, make_callback_platform, platform_server, media_server, original_speech
):
    videoshare, vs_secret = make_callback_platform("videoshare")
    chirp, chirp_secret = make_callback_platform("chirp")
    first = report(client, videoshare, vs_secret, media_server, original_speech, event_id="v1")
    decision = _decided_case(first)

    again = report(client, chirp, chirp_secret, media_server, original_speech, event_id="c1")
    body = poll(
        lambda: _callback(platform_server, platform="chirp", content_id="post-c1"),
        timeout=60,
        message="the decision to reach the platform that re-uploaded the file",
    )

    # The re-upload is a new report on the same case: it may re-decide it (issue 12 reopens a
    # decided case on a new report), but the newcomer gets that case's decisions, never its own.
    assert case_resolve(case_id=again["case_id"]).pk == decision.case_id
    case_decisions = {
        str(d)
        for d in Decision.objects.filter(case_id=decision.case_id).values_list("decision_id", flat=True)
    }
    assert body["decision_id"] in case_decisions


def test_a_copy_for_another_audience_is_decided_on_the_verdict_the_media_already_has(
    client, make_callback_platform, platform_server, media_server, original_speech, mp3_copy
):
    videoshare, vs_secret = make_callback_platform("videoshare")
    chirp, chirp_secret = make_callback_platform("chirp")
    slovak = _decided_case(
        report(client, videoshare, vs_secret, media_server, original_speech, event_id="v1")
    )

    copy = report(client, chirp, chirp_secret, media_server, mp3_copy, event_id="c1", countries=("CZ",))
    czech = _decided_case(copy)

    assert czech.case_id != slovak.case_id
    assert czech.case.audience_countries == ["CZ"]
    assert czech.case.media_item_id == slovak.case.media_item_id
    assert czech.verdict["label"] == slovak.verdict["label"]
    body = poll(
        lambda: _callback(platform_server, platform="chirp", content_id="post-c1"),
        timeout=60,
        message="the Czech decision to reach the platform",
    )
    assert body["decision_id"] == str(czech.decision_id)
