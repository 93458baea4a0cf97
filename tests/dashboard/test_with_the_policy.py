"""The dashboard over decisions the real default policy makes (the case study's cases, in brief).

Slovakia in its silence window with a synthetic clip of a registered party leader, a US robocall
reported as voter suppression, and an uncertain German image: the queue puts them in that order
and the case page shows what the policy decided, in the content's language.
"""

import pytest
from django.utils import timezone

from elections.models import Person
from tests.banks.media import photo
from triage.decisions.models import Decision
from triage.decisions.services import case_decide_by_policy

from .conftest import case_make, media_item_store, verdict_make


@pytest.fixture
def decided_by_policy(platform, sk_silence, tmp_path):
    Person.objects.create(country_id="SK", name="Michal Vodka", aliases=["M. Vodka"])

    def make(name: str, *, seed: int, countries, verdict: str, **submission):
        case = case_make(
            platform=platform,
            media=media_item_store(photo(tmp_path / f"{name}.png", seed=seed, size=(320, 240)).read_bytes()),
            countries=countries,
            content_id=name,
            **submission,
        )
        verdict_make(media=case.media_item, label=verdict)
        assert case_decide_by_policy(case_id=case.pk, trigger="verdict", at=timezone.now()) is not None
        return case

    return {
        "slovak": make("sk-1", seed=11, countries=["SK"], verdict="likely_synthetic", language="sk",
                       subjects=["Michal Vodka"]),
        "american": make("us-1", seed=12, countries=["US"], verdict="likely_synthetic", language="en",
                         report_reason="voter_suppression"),
        "german": make("de-1", seed=13, countries=["DE"], verdict="uncertain", language="de"),
    }  # fmt: skip


@pytest.mark.django_db
def test_the_queue_orders_the_policys_decisions_by_urgency(client, bob, decided_by_policy):
    client.force_login(bob)
    response = client.get("/")
    order = [c.pk for c in response.context["page"].object_list]
    cases = decided_by_policy
    assert order == [cases["slovak"].pk, cases["american"].pk, cases["german"].pk]
    html = response.content.decode()
    assert "In silence now:" in html


@pytest.mark.django_db
def test_the_slovak_hold_is_shown_with_its_slovak_label(client, alice, decided_by_policy):
    case = decided_by_policy["slovak"]
    decision = Decision.objects.get(case=case, is_current=True)
    assert decision.action_types()[0] == "removal_hold" and decision.phase == "silence"
    label = next(a for a in decision.actions if a["type"] == "label")
    assert label["language"] == "sk"
    client.force_login(alice)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert label["text"] in html
    assert 'id="phase-badge"' in html and "Silence window · SK until" in html


@pytest.mark.django_db
def test_alice_confirms_the_hold_away_and_keeps_the_label(client, alice, decided_by_policy):
    case = decided_by_policy["slovak"]
    client.force_login(alice)
    client.post(f"/cases/{case.pk}/take/")
    client.post(f"/cases/{case.pk}/confirm/")
    current = Decision.objects.get(case=case, is_current=True)
    assert current.decided_by == "moderator" and current.action_types() == ["label"]
    assert case.pk not in [c.pk for c in client.get("/").context["page"].object_list]  # decided


@pytest.mark.django_db
def test_an_escalation_stays_in_the_leads_queue_until_a_lead_decides(client, alice, bob, decided_by_policy):
    case = decided_by_policy["american"]
    assert Decision.objects.get(case=case, is_current=True).action_types() == ["label", "escalate"]
    client.force_login(bob)
    assert client.get("/").context["counts"]["escalated"] == 1
    assert [c.pk for c in client.get("/?queue=escalated").context["page"].object_list] == [case.pk]

    client.post(f"/cases/{case.pk}/take/")
    client.post(f"/cases/{case.pk}/confirm/", {"note": "reported to the election authority"})
    current = Decision.objects.get(case=case, is_current=True)
    assert current.moderator == bob and "escalate" in current.action_types()
    response = client.get("/")
    assert response.context["counts"]["escalated"] == 0
    assert case.pk in [c.pk for c in client.get("/?queue=decided").context["page"].object_list]
