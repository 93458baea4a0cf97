"""The moderator's actions: take and release a case, confirm or change its decision, bank its media.

Each is a POST, audited, and respects the review lock: bob cannot take or decide alice's case.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from triage.audit.models import AuditEvent
from triage.decisions.models import Decision
from triage.moderation.models import CaseLock


def _messages(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


@pytest.mark.django_db
def test_alice_takes_a_case_and_it_is_audited(client, alice, cases):
    case = cases["slovak"]
    client.force_login(alice)
    response = client.post(f"/cases/{case.pk}/take/")
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    lock = CaseLock.objects.get(case=case)
    assert lock.user == alice and lock.expires_at > timezone.now() + timedelta(minutes=14)
    assert AuditEvent.objects.filter(case=case, action="case.review_taken", actor_user=alice).count() == 1
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert "You are reviewing this case until" in html and 'id="confirm-form"' in html


@pytest.mark.django_db
def test_bob_cannot_take_alices_case(client, alice, bob, cases):
    case = cases["slovak"]
    client.force_login(alice)
    client.post(f"/cases/{case.pk}/take/")
    client.force_login(bob)
    response = client.post(f"/cases/{case.pk}/take/", follow=True)
    assert any("alice is reviewing this case until" in m for m in _messages(response))
    assert CaseLock.objects.get(case=case).user == alice
    html = response.content.decode()
    assert 'id="take-form"' not in html and 'id="confirm-form"' not in html
    assert not AuditEvent.objects.filter(case=case, action="case.review_taken", actor_user=bob).exists()


@pytest.mark.django_db
def test_bob_cannot_confirm_or_decide_alices_case(client, alice, bob, cases):
    case = cases["slovak"]
    client.force_login(alice)
    client.post(f"/cases/{case.pk}/take/")
    before = Decision.objects.get(case=case, is_current=True)
    client.force_login(bob)
    response = client.post(f"/cases/{case.pk}/confirm/", follow=True)
    assert any("alice is reviewing" in m for m in _messages(response))
    response = client.post(f"/cases/{case.pk}/decide/", {"no_action": "on"}, follow=True)
    assert any("alice is reviewing" in m for m in _messages(response))
    assert Decision.objects.get(case=case, is_current=True) == before


@pytest.mark.django_db
def test_an_expired_lock_can_be_taken_over(client, alice, bob, cases):
    case = cases["slovak"]
    CaseLock.objects.create(
        case=case, user=alice, taken_at=timezone.now() - timedelta(hours=1),
        expires_at=timezone.now() - timedelta(minutes=1),
    )  # fmt: skip
    client.force_login(bob)
    client.post(f"/cases/{case.pk}/take/")
    assert CaseLock.objects.get(case=case).user == bob
    event = AuditEvent.objects.get(case=case, action="case.review_taken")
    assert event.inputs == {"expired_lock_of_user": alice.pk}


@pytest.mark.django_db
def test_release(client, alice, cases):
    case = cases["slovak"]
    client.force_login(alice)
    client.post(f"/cases/{case.pk}/take/")
    client.post(f"/cases/{case.pk}/release/")
    assert not CaseLock.objects.filter(case=case).exists()
    assert AuditEvent.objects.filter(case=case, action="case.review_released", actor_user=alice).exists()


@pytest.mark.django_db
def test_confirming_needs_the_case_taken_first(client, alice, cases):
    case = cases["slovak"]
    client.force_login(alice)
    response = client.post(f"/cases/{case.pk}/confirm/", follow=True)
    assert "take the case before acting on it" in _messages(response)
    assert Decision.objects.filter(case=case).count() == 1


@pytest.mark.django_db
def test_alice_confirms_the_policy_decision(client, alice, cases):
    case = cases["slovak"]
    policy_decision = Decision.objects.get(case=case, is_current=True)
    client.force_login(alice)
    client.post(f"/cases/{case.pk}/take/")
    response = client.post(f"/cases/{case.pk}/confirm/", {"note": "clear clone"}, follow=True)
    assert "Policy decision confirmed." in _messages(response)
    current = Decision.objects.get(case=case, is_current=True)
    assert current.supersedes == policy_decision
    assert current.decided_by == "moderator" and current.moderator == alice
    assert current.action_types() == ["label"]  # the hold is lifted: a human has decided
    assert AuditEvent.objects.filter(
        case=case, action="case.policy_decision_confirmed", actor_user=alice
    ).exists()
    assert not CaseLock.objects.filter(case=case).exists()  # released once decided
    case.refresh_from_db()
    assert case.status == "decided"


@pytest.mark.django_db
def test_alice_decides_differently(client, alice, cases):
    case = cases["routine"]
    client.force_login(alice)
    client.post(f"/cases/{case.pk}/take/")
    response = client.post(
        f"/cases/{case.pk}/decide/",
        {"label_kind": "altered_or_edited", "removal_hold": "on", "hold_minutes": "45", "note": "cropped"},
    )
    assert response.status_code == 302
    current = Decision.objects.get(case=case, is_current=True)
    assert current.decided_by == "moderator" and current.moderator == alice
    assert current.action_types() == ["removal_hold", "label"]
    label = current.actions[1]
    assert label["kind"] == "altered_or_edited" and label["text"]
    assert timedelta(minutes=44) < current.review_deadline - timezone.now() <= timedelta(minutes=45)
    # The note is internal by default: kept with the decision, never in the platform-facing notes.
    assert not any("cropped" in n for n in current.notes)
    assert [(n.text, n.shared) for n in current.moderator_notes.all()] == [("cropped", False)]
    assert AuditEvent.objects.filter(case=case, action="case.decided_by_moderator", actor_user=alice).exists()


@pytest.mark.django_db
def test_alice_escalates_to_a_lead_and_the_case_leaves_her_queue(client, alice, cases):
    case = cases["routine"]
    client.force_login(alice)
    client.post(f"/cases/{case.pk}/take/")
    response = client.post(
        f"/cases/{case.pk}/decide/", {"escalate": "on", "escalate_reason": "impersonation"}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    current = Decision.objects.get(case=case, is_current=True)
    assert current.actions == [{"type": "escalate", "reason": "impersonation"}]
    assert client.get(f"/cases/{case.pk}/").status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({}, "__all__", "Choose at least one action, or No action."),
        ({"no_action": "on", "reduce_distribution": "on"}, "no_action", "No action cannot be combined"),
        ({"removal_hold": "on"}, "hold_minutes", "A removal hold needs a review deadline."),
        ({"removal_hold": "on", "hold_minutes": "0"}, "hold_minutes", "greater than or equal to 1"),
        ({"escalate": "on"}, "escalate_reason", "Say why the case goes to a lead."),
        ({"label_kind": "fake_news"}, "label_kind", "Select a valid choice."),
    ],
)
def test_a_bad_decision_is_shown_again_with_field_messages(client, alice, cases, form, field, message):
    case = cases["routine"]
    client.force_login(alice)
    client.post(f"/cases/{case.pk}/take/")
    response = client.post(f"/cases/{case.pk}/decide/", form)
    assert response.status_code == 400
    errors = response.context["decide_form"].errors
    assert any(message in e for e in errors[field])
    assert message.split(":")[0] in response.content.decode()
    assert Decision.objects.filter(case=case).count() == 1


@pytest.mark.django_db
def test_banking_the_case_media_is_audited(client, alice, cases):
    from triage.evidence.banks.models import BankedItem
    from triage.evidence.banks.services import bank_get_or_create

    bank = bank_get_or_create(name="sk-known-fakes", purpose="synthetic")
    case = cases["slovak"]
    client.force_login(alice)
    response = client.post(
        f"/cases/{case.pk}/bank/",
        {"media_item": case.media_item_id, "bank": bank.pk, "note": "SK 2026"},
        follow=True,
    )
    assert "Banked in sk-known-fakes." in _messages(response)
    item = BankedItem.objects.get(bank=bank, sha256=case.media_item.sha256)
    assert item.added_by == alice and item.media_item == case.media_item
    event = AuditEvent.objects.get(case=case, action="case.media_banked")
    assert event.actor_user == alice and event.outcome["banked_item_id"] == item.pk


@pytest.mark.django_db
def test_banking_another_cases_media_or_into_no_bank_is_refused(client, alice, cases):
    from triage.evidence.banks.models import BankedItem
    from triage.evidence.banks.services import bank_get_or_create

    bank = bank_get_or_create(name="sk-known-fakes", purpose="synthetic")
    client.force_login(alice)
    case = cases["slovak"]
    other_media = cases["routine"].media_item_id
    response = client.post(f"/cases/{case.pk}/bank/", {"media_item": other_media, "bank": bank.pk})
    assert response.status_code == 404
    response = client.post(
        f"/cases/{case.pk}/bank/", {"media_item": case.media_item_id, "bank": 424242}, follow=True
    )
    assert any(m.startswith("Could not bank: bank:") for m in _messages(response))
    assert not BankedItem.objects.exists()
    assert not AuditEvent.objects.filter(action="case.media_banked").exists()


@pytest.mark.django_db
def test_bob_cannot_bank_while_alice_holds_the_case(client, alice, bob, cases):
    from triage.evidence.banks.models import BankedItem
    from triage.evidence.banks.services import bank_get_or_create

    bank = bank_get_or_create(name="sk-known-fakes", purpose="synthetic")
    case = cases["slovak"]
    client.force_login(alice)
    client.post(f"/cases/{case.pk}/take/")
    client.force_login(bob)
    response = client.post(
        f"/cases/{case.pk}/bank/", {"media_item": case.media_item_id, "bank": bank.pk}, follow=True
    )
    assert any("alice is reviewing" in m for m in _messages(response))
    assert not BankedItem.objects.exists()


@pytest.mark.django_db
def test_a_bad_deadline_extension_names_each_field_and_changes_nothing(client, bob, cases):
    case = cases["slovak"]
    before = Decision.objects.get(case=case, is_current=True).review_deadline
    client.force_login(bob)
    response = client.post(f"/cases/{case.pk}/extend/", {"minutes": "0"}, follow=True)
    shown = _messages(response)
    assert "minutes: Ensure this value is greater than or equal to 1." in shown
    assert "reason: This field is required." in shown
    assert Decision.objects.get(case=case, is_current=True).review_deadline == before
    assert not AuditEvent.objects.filter(case=case, action="case.review_deadline_extended").exists()
