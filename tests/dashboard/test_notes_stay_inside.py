"""A moderator's note is internal unless marked for platforms: no outbound body ever carries it.

Alice types "keep hold until lead review after polls close" (the note from the issue) into each
form that takes a note: confirm, decide differently, a final outcome. Then every path out of
Moratorium is read: the decision callbacks as a loopback platform receives them, the status URL,
the partner API (cases, decisions, MediaReview, ClaimReview, statements as JSON and CSV), the
stored statements of reasons and the `export_statements` command. The note appears in none; a
note she marks for platforms appears in the callback.
"""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from integrations.callbacks.models import Delivery
from integrations.callbacks.services import delivery_attempt
from integrations.partners.models import Scope
from integrations.partners.services import partner_token_create
from integrations.platforms.services import platform_create
from integrations.transparency.models import StatementOfReasons
from integrations.transparency.services import statements_for_decision
from tests.ingestion.helpers import get_status_signed
from tests.policy import factories
from triage.decisions.models import Decision
from triage.decisions.services import case_decide_by_policy

from .conftest import login
from .loopback import LoopbackServer

INTERNAL = "keep hold until lead review after polls close"
SHARED = "Label confirmed by a human reviewer."


@pytest.fixture
def receiving_platform(db):
    server = LoopbackServer().start()
    platform, secret = platform_create(
        slug="videoshare", callback_url=server.url("/moratorium/decisions"), allow_private_fetch=True
    )
    yield platform, secret, server
    server.close()


def _deliver_pending(case) -> None:
    # Each decision is sent before the next supersedes it (a newer one replaces pending older ones).
    for delivery in Delivery.objects.filter(decision__case=case, state="pending"):
        delivery_attempt(delivery_id=delivery.pk, now=timezone.now() + timedelta(seconds=1))


def _outbound_texts(client, platform, secret, case, server) -> dict[str, str]:
    """Everything Moratorium sends or serves about the case, by path."""
    texts: dict[str, str] = {}
    texts["callbacks"] = json.dumps([r.body for r in server.received], ensure_ascii=False)
    event_id = case.submission_media.first().submission.first_event_id or "evt-notes-1"
    texts["status_url"] = get_status_signed(client, platform, secret, event_id).content.decode()
    _, token = partner_token_create(name="Fact-checkers", scopes=list(Scope.values))
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    for path in ("", "decisions/", "media-review/", "claim-review/"):
        texts[f"api:{path or 'case'}"] = api.get(f"/api/v1/cases/{case.pk}/{path}").content.decode()
    texts["api:statements"] = api.get("/api/v1/statements/").content.decode()
    texts["api:statements.csv"] = api.get("/api/v1/statements/?format=csv").content.decode()
    for decision in Decision.objects.filter(case=case):
        statements_for_decision(decision_id=decision.pk)
    texts["statements"] = json.dumps(list(StatementOfReasons.objects.values_list("statement", flat=True)))
    for fmt in ("json", "csv"):
        out = io.StringIO()
        call_command("export_statements", "--format", fmt, stdout=out, stderr=io.StringIO())
        texts[f"export:{fmt}"] = out.getvalue()
    return texts


@pytest.mark.django_db
def test_no_internal_note_leaves_moratorium(client, alice, receiving_platform, decision_tasks_inline,
                                            django_capture_on_commit_callbacks):  # fmt: skip
    from triage.models import SubmissionEvent

    platform, secret, server = receiving_platform
    case = factories.case(countries=["SK"], language="sk", subjects=["Michal Šimečka"])
    submission = case.submission_media.first().submission
    SubmissionEvent.objects.create(
        platform=platform, event_id="evt-notes-1", submission=submission, kind="created", payload={}
    )
    factories.verdict(case, "likely_synthetic")
    login(client, alice)
    with django_capture_on_commit_callbacks(execute=True):
        case_decide_by_policy(case_id=case.pk, trigger="verdict")
    _deliver_pending(case)
    steps = [
        ("confirm", {"note": INTERNAL}),
        ("decide", {"label_kind": "likely_ai_generated", "removal_hold": "on", "hold_minutes": "60",
                    "note": INTERNAL}),
        ("outcome", {"outcome": "remove", "ground": "terms_of_service", "note": INTERNAL}),
        ("outcome", {"outcome": "label_only", "label_kind": "likely_ai_generated", "note": INTERNAL}),
    ]  # fmt: skip
    for action, form in steps:
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"/cases/{case.pk}/take/")
            assert client.post(f"/cases/{case.pk}/{action}/", form).status_code == 302, action
        _deliver_pending(case)
    assert Decision.objects.filter(case=case, decided_by="moderator").count() == 4
    assert Delivery.objects.filter(decision__case=case).count() == 5

    texts = _outbound_texts(client, platform, secret, case, server)

    assert len(server.received) == 5  # every decision reached the platform
    assert StatementOfReasons.objects.filter(decision__case=case).exists()
    leaks = [path for path, text in texts.items() if INTERNAL in text]
    assert leaks == []
    # The note is kept inside: on the case page, marked internal.
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert INTERNAL in page and "internal" in page


@pytest.mark.django_db
def test_a_note_marked_for_platforms_reaches_them(client, alice, receiving_platform, decision_tasks_inline,
                                                  django_capture_on_commit_callbacks):  # fmt: skip
    platform, _secret, server = receiving_platform
    case = factories.case(countries=["SK"], language="sk")
    factories.verdict(case, "likely_synthetic")
    with django_capture_on_commit_callbacks(execute=True):
        case_decide_by_policy(case_id=case.pk, trigger="verdict")
    login(client, alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/cases/{case.pk}/take/")
        client.post(f"/cases/{case.pk}/confirm/", {"note": SHARED, "share_note": "on"})
    confirmed = Decision.objects.get(case=case, is_current=True)
    assert f"confirmed by a moderator: {SHARED}" in confirmed.notes
    delivery = Delivery.objects.get(decision=confirmed)
    delivery_attempt(delivery_id=delivery.pk, now=timezone.now() + timedelta(seconds=1))
    assert any(f"confirmed by a moderator: {SHARED}" in r.body["notes"] for r in server.received)
