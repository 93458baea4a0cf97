"""The queue says what each case is, finds cases by what moderators know, and hands them out.

Rows: subjects, platforms, a text snippet, report reasons, language. Search: a subject, a content
id, an event id, a SHA-256 prefix. Assignment and the Mine tab; bulk confirm and dismiss; the
case page's decision form, label preview, audit sentences, consent record, rule descriptions;
review metrics per country and election.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from triage.audit.models import AuditEvent
from triage.decisions.models import Decision
from triage.models import SubmissionEvent
from triage.moderation.assignment import case_assign
from triage.moderation.models import CaseAssignment
from triage.moderation.services import NotAllowedError

from .conftest import login

pytestmark = pytest.mark.django_db


def _rows(client, query: str = "") -> list[str]:
    import re

    page = client.get(f"/?{query}").content.decode()
    return re.findall(r'data-case="(\d+)"', page)


def test_a_row_says_what_the_case_is(client, bob, cases):
    login(client, bob)
    page = client.get("/").content.decode()
    assert "Party Leader" in page  # the Slovak case's subject
    assert "“Listen before you vote”" in page  # the snippet
    assert "videoshare" in page and "voter suppression" in page and ">sk<" not in page
    assert "synthetic media · sk" in page


@pytest.mark.parametrize("how", ["subject", "content_id", "event_id", "sha256"])
def test_search_finds_a_case_by_what_moderators_know(client, bob, cases, platform, how):
    slovak = cases["slovak"]
    submission = slovak.submission_media.first().submission
    SubmissionEvent.objects.create(
        platform=platform, event_id="evt-sk-77", submission=submission, kind="created", payload={}
    )
    query = {
        "subject": "party lead",
        "content_id": "post-sk",
        "event_id": "evt-sk-77",
        "sha256": slovak.media_item.sha256[:12].upper(),
    }[how]
    login(client, bob)
    assert _rows(client, f"queue=all&q={query}") == [str(slovak.pk)]


def test_a_search_that_matches_nothing_says_so(client, bob, cases):
    login(client, bob)
    page = client.get("/?q=nobody-knows-this").content.decode()
    assert "No cases in this queue." in page


def test_assignment_and_the_mine_tab(client, alice, bob, cases):
    routine, american = cases["routine"], cases["american"]
    case_assign(case_id=routine.pk, user=alice, assignee=alice)  # a moderator takes it for herself
    with pytest.raises(NotAllowedError):
        case_assign(case_id=routine.pk, user=alice, assignee=bob)  # only leads assign others
    login(client, alice)
    assert _rows(client, "queue=mine") == [str(routine.pk)]
    page = client.get("/?queue=mine").content.decode()
    assert 'id="tab-mine"' in page and 'Mine<span class="count">1</span>' in page
    # bob, a lead, reassigns it to himself, and assigns the escalation to himself too.
    login(client, bob)
    assert client.post(f"/cases/{routine.pk}/assign/", {"user": "bob"}).status_code == 302
    case_assign(case_id=american.pk, user=bob, assignee=bob)
    assert sorted(_rows(client, "queue=mine")) == sorted([str(routine.pk), str(american.pk)])
    assert CaseAssignment.objects.get(case=routine).user == bob
    assert AuditEvent.objects.filter(case=routine, action="case.assigned", actor_user=bob).exists()
    login(client, alice)
    assert _rows(client, "queue=mine") == []
    # Taking a case assigns it when nobody has it.
    client.post(f"/cases/{cases['later_hold'].pk}/take/")
    assert _rows(client, "queue=mine") == [str(cases["later_hold"].pk)]


def test_bulk_confirm_and_dismiss(client, alice, cases, django_capture_on_commit_callbacks):
    slovak, routine, american = cases["slovak"], cases["routine"], cases["american"]
    login(client, alice)
    response = client.post("/bulk/", {"case": [slovak.pk, routine.pk, american.pk], "action": "confirm"})
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert "Confirmed 2 cases." in messages
    assert any(f"Case {american.pk} skipped: escalated to a lead" in m for m in messages)
    for case in (slovak, routine):
        current = Decision.objects.get(case=case, is_current=True)
        assert current.decided_by == "moderator" and current.moderator == alice
    assert Decision.objects.get(case=american, is_current=True).decided_by == "policy"
    response = client.post("/bulk/", {"case": [cases["later_hold"].pk], "action": "dismiss"})
    dismissed = Decision.objects.get(case=cases["later_hold"], is_current=True)
    assert dismissed.action_types() == ["no_action"]
    counts = client.get("/").context["counts"]
    assert counts["unresolved"] == 0  # every case alice sees is decided now
    assert client.post("/bulk/", {"case": [routine.pk], "action": "explode"}).status_code == 302


def test_the_decision_form_starts_from_the_current_decision_with_a_label_preview(client, alice, cases):
    slovak = cases["slovak"]
    login(client, alice)
    client.post(f"/cases/{slovak.pk}/take/")
    response = client.get(f"/cases/{slovak.pk}/")
    form = response.context["decide_form"]
    assert form.initial["label_kind"] == "likely_ai_generated" and form.initial["removal_hold"] is True
    assert 0 < form.initial["hold_minutes"] <= 30
    previews = response.context["label_previews"]
    kinds = {p["kind"]: p for p in previews["kinds"]}
    assert kinds["likely_ai_generated"]["language"] == "sk"
    assert kinds["likely_ai_generated"]["gloss"] != kinds["likely_ai_generated"]["text"]
    # The language override's previews: every other shipped language, rendered on the server too.
    overrides = {o["language"]: {p["kind"]: p for p in o["kinds"]} for o in previews["overrides"]}
    assert "sk" not in overrides and {"en", "ur"} <= set(overrides)
    assert overrides["ur"]["likely_ai_generated"]["dir"] == "rtl"
    assert overrides["ur"]["likely_ai_generated"]["text"] != kinds["likely_ai_generated"]["text"]
    page = response.content.decode()
    assert 'class="override-preview" data-kind="unverified" data-language="ur" hidden' in page
    assert 'id="label-texts"' not in page  # one preview: no second, script-rendered one


def test_the_language_override_renders_the_label_in_that_language(client, alice, cases):
    routine = cases["routine"]
    login(client, alice)
    client.post(f"/cases/{routine.pk}/take/")
    client.post(f"/cases/{routine.pk}/decide/", {"label_kind": "likely_ai_generated", "language": "sk"})
    label = Decision.objects.get(case=routine, is_current=True).actions[0]
    assert label["language"] == "sk"
    bad = client.post(f"/cases/{routine.pk}/decide/", {"label_kind": "unverified", "language": "not a tag!"})
    assert bad.status_code in (302, 400)


def test_the_case_page_reads_as_sentences_with_consent_and_rule_descriptions(client, bob, cases):
    from elections.models import AuthorizedLikeness, Country, Person
    from triage.decisions.models import PolicyVersion

    slovak = cases["slovak"]
    country, _ = Country.objects.get_or_create(
        code="SK", defaults={"name": "Slovakia", "time_zones": ["UTC"]}
    )
    leader = Person.objects.create(name="Party Leader", country=country)
    AuthorizedLikeness.objects.create(
        person=leader, kind="image", declared_by="the party", evidence_url="https://party.example/consent",
        valid_from=date(2020, 1, 1),
    )  # fmt: skip
    current = Decision.objects.get(case=slovak, is_current=True)
    current.policy_version = PolicyVersion.objects.get(status="active")
    current.matched_rules = ["silence_hold_likely_synthetic"]
    current.save(update_fields=["policy_version", "matched_rules"])
    login(client, bob)
    client.post(f"/cases/{slovak.pk}/take/")
    page = client.get(f"/cases/{slovak.pk}/").content.decode()
    assert "bob took the case for review." in page
    assert "raw record" in page and "case.review_taken" in page
    assert "declared by the party" in page and "https://party.example/consent" in page
    rules = {r["name"]: r["description"] for r in current.policy_version.rules["rules"]}
    assert rules["silence_hold_likely_synthetic"][:40] in page  # the rule's description, not its name


def test_review_metrics_per_country_and_election(client, alice, bob, cases):
    from triage.moderation.deadlines import deadlines_sweep

    slovak = cases["slovak"]
    Decision.objects.filter(case=slovak, is_current=True).update(
        phase_reason={"country": "SK", "election": "Slovak parliamentary election (test)",
                      "window_end": (timezone.now() + timedelta(hours=20)).isoformat()}
    )  # fmt: skip
    deadlines_sweep(now=timezone.now() + timedelta(minutes=31))
    login(client, bob)
    client.post(f"/cases/{slovak.pk}/take/")
    client.post(f"/cases/{slovak.pk}/confirm/")
    response = client.get("/reports/")
    assert response.status_code == 200
    metrics = response.context["metrics"]
    sk = next(g for g in metrics.by_country if g.name == "SK")
    assert (sk.cases, sk.decided_by_human, sk.breaches) == (2, 1, 1)
    election = next(g for g in metrics.by_election if g.name == "Slovak parliamentary election (test)")
    assert election.breaches == 1 and election.median_minutes_to_first_human is not None
    page = client.get(f"/cases/{slovak.pk}/").content.decode()
    assert "1 deadline breach" in page and "first human after" in page
