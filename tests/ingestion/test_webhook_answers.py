"""What the webhook answers: 202 with ids, 400 with field errors, 404, 413, and never a 500."""

import json

import pytest

from integrations.platforms.models import Platform
from tests.ingestion.helpers import folded, get_status_signed, picked_up, post_signed, sample_event
from triage.models import Case, Submission, SubmissionEvent, SubmissionEventKind, SubmissionState

pytestmark = pytest.mark.django_db


def test_an_accepted_event_answers_202_with_the_submission_case_and_status_url(client, platform_with_secret):
    platform, secret = platform_with_secret
    response = post_signed(client, platform, secret, sample_event("evt-1"))
    assert response.status_code == 202
    answer = response.json()
    submission = Submission.objects.get(pk=answer["submission_id"])
    assert answer["case_id"] == submission.case_id
    assert answer["status_url"] == "http://testserver/webhooks/videoshare/submissions/evt-1"
    assert answer["duplicate"] is False
    assert submission.state == SubmissionState.PENDING
    assert submission.views == 1200
    assert submission.subjects == ["Michal Šimečka"]
    picked_up(answer)
    assert Case.objects.get(pk=answer["case_id"]).audience_countries == ["SK"]


def test_the_same_event_twice_returns_the_same_submission_and_changes_nothing(client, platform_with_secret):
    platform, secret = platform_with_secret
    first = post_signed(client, platform, secret, sample_event("evt-1")).json()
    # Before a worker has picked the submission up, and after: a replay changes nothing.
    before = post_signed(client, platform, secret, sample_event("evt-1", views=999_999)).json()
    picked_up(first)
    after = post_signed(client, platform, secret, sample_event("evt-1", views=999_999)).json()
    for replay in (before, after):
        assert replay["submission_id"] == first["submission_id"]
        assert replay["case_id"] == first["case_id"]
        assert replay["duplicate"] is True
    assert Submission.objects.get().views == 1200
    assert SubmissionEvent.objects.count() == 1


def test_a_new_event_about_the_same_content_updates_it_and_is_recorded(client, platform_with_secret):
    platform, secret = platform_with_secret
    first = post_signed(client, platform, secret, sample_event("evt-1", views=1200)).json()
    update = sample_event("evt-2", views=5000, shares=900, text="now with a transcript")
    answer = post_signed(client, platform, secret, update).json()
    assert answer["submission_id"] == first["submission_id"]
    assert answer["update"] is True
    # Recorded at once (one event row), folded into the submission and its case by the worker.
    assert SubmissionEvent.objects.get(event_id="evt-2").folded_at is None
    folded(answer)
    submission = Submission.objects.get()
    assert (submission.views, submission.shares, submission.text) == (5000, 900, "now with a transcript")
    assert list(submission.events.values_list("event_id", "kind")) == [
        ("evt-1", SubmissionEventKind.CREATED),
        ("evt-2", SubmissionEventKind.UPDATED),
    ]
    case = Case.objects.get(pk=first["case_id"])
    assert case.total_views == 5000
    assert list(case.reach_samples.values_list("case_views", flat=True)) == [1200, 5000]


def test_the_same_event_id_from_two_platforms_is_two_events(client, make_platform):
    alpha, alpha_secret = make_platform("alpha")
    beta, beta_secret = make_platform("beta")
    a = post_signed(client, alpha, alpha_secret, sample_event("evt-1")).json()
    b = post_signed(client, beta, beta_secret, sample_event("evt-1")).json()
    assert a["submission_id"] != b["submission_id"]


def test_field_errors_name_the_field(client, platform_with_secret):
    platform, secret = platform_with_secret
    event = sample_event()
    event["report"]["source"] = "anonymous_tip"
    event["audience"]["countries"] = ["Slovakia"]
    event["reach"]["views"] = -5
    event["content"]["media"] = [{"url": "file:///etc/passwd", "media_type": "hologram"}]
    del event["event_id"]
    response = post_signed(client, platform, secret, event)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "event_id" in errors
    assert "source" in errors["report"]
    assert "countries" in errors["audience"]
    assert "views" in errors["reach"]
    assert set(errors["content"]["media"]["0"]) == {"url", "media_type"}


def test_an_event_without_media_is_refused(client, platform_with_secret):
    platform, secret = platform_with_secret
    event = sample_event()
    event["content"]["media"] = []
    response = post_signed(client, platform, secret, event)
    assert response.status_code == 400
    assert "media" in response.json()["errors"]["content"]


def test_an_unknown_platform_gets_the_answer_a_bad_signature_gets(client, platform_with_secret):
    # 401 with the same body for both: probing cannot tell which platform slugs exist.
    platform, secret = platform_with_secret
    ghost = post_signed(client, Platform(slug="ghost"), secret, sample_event())
    forged = post_signed(client, platform, "whsec_forged", sample_event())
    assert ghost.status_code == forged.status_code == 401
    assert ghost.json() == forged.json() == {"detail": "Unknown platform, or a bad or stale signature."}


def test_a_disabled_platform_is_401_like_an_unknown_one(client, platform_with_secret):
    platform, secret = platform_with_secret
    Platform.objects.filter(pk=platform.pk).update(enabled=False)
    assert post_signed(client, platform, secret, sample_event()).status_code == 401


def test_an_oversized_body_is_413_whether_or_not_the_platform_exists(client, platform_with_secret, settings):
    settings.WEBHOOK_MAX_BODY_BYTES = 100
    platform, secret = platform_with_secret
    assert post_signed(client, platform, secret, sample_event()).status_code == 413
    assert post_signed(client, Platform(slug="ghost"), secret, sample_event()).status_code == 413


def test_a_body_past_the_cap_is_413(client, platform_with_secret, settings):
    settings.WEBHOOK_MAX_BODY_BYTES = 2000
    platform, secret = platform_with_secret
    event = sample_event(text="x" * 5000)
    response = post_signed(client, platform, secret, event)
    assert response.status_code == 413
    assert not Submission.objects.exists()


GARBAGE = [
    b"",
    b"not json",
    b"\xff\xfe\x00garbage",
    b'{"event_id": "\xc3\x28"}',
    b"[1, 2, 3]",
    b'"a string"',
    b"null",
    b"[" * 100_000 + b"]" * 100_000,
    b'{"a":' * 5000 + b"1" + b"}" * 5000,
    b'{"event_id": 1e999999, "content": 5}',
    b'{"event_id": "e", "reach": {"views": ' + b"9" * 5000 + b"}}",
    b'{"event_id": "e", "reach": {"views": 99999999999999999999999999}}',
    b'{"event_id": "e\\u0000", "content": {"id": "\\ud800"}}',
    b'{"event_id": {"nested": []}, "content": [], "report": "x", "audience": 7, "reach": true}',
    json.dumps(sample_event(content_id="\ud83d\ude00" * 3, text="\x00")).encode(),
    json.dumps(
        {**sample_event(), "content": {**sample_event()["content"], "posted_at": "yesterday"}}
    ).encode(),
    json.dumps(
        {**sample_event(), "content": {**sample_event()["content"], "subjects": "not a list"}}
    ).encode(),
]


@pytest.mark.parametrize("body", GARBAGE, ids=range(len(GARBAGE)))
def test_garbage_gets_a_400_never_a_500(client, platform_with_secret, body):
    platform, secret = platform_with_secret
    response = post_signed(client, platform, secret, body)
    assert response.status_code == 400, response.content[:300]
    assert "detail" in response.json()


def test_a_lone_surrogate_in_text_is_a_field_error(client, platform_with_secret):
    platform, secret = platform_with_secret
    body = json.dumps(sample_event()).replace("Listen", "\\ud800Listen").encode()
    response = post_signed(client, platform, secret, body)
    assert response.status_code == 400
    assert "text" in response.json()["errors"]["content"]


def test_get_on_the_webhook_is_not_allowed(client, platform_with_secret):
    platform, _secret = platform_with_secret
    assert client.get(f"/webhooks/{platform.slug}/").status_code == 405


def test_the_status_endpoint_reports_state_and_decision(client, platform_with_secret):
    platform, secret = platform_with_secret
    answer = post_signed(client, platform, secret, sample_event("evt-1")).json()
    response = get_status_signed(client, platform, secret, "evt-1")
    assert response.status_code == 200
    status = response.json()
    assert status["submission_id"] == answer["submission_id"]
    assert status["case_id"] == answer["case_id"]
    assert status["state"] == "pending"
    assert status["decision"] is None
    assert status["media"][0]["state"] == "pending"


def test_the_status_endpoint_needs_a_signature_and_a_known_event(client, platform_with_secret):
    platform, secret = platform_with_secret
    post_signed(client, platform, secret, sample_event("evt-1"))
    assert client.get(f"/webhooks/{platform.slug}/submissions/evt-1").status_code == 401
    assert get_status_signed(client, platform, "whsec_wrong", "evt-1").status_code == 401
    assert get_status_signed(client, platform, secret, "evt-unknown").status_code == 404
