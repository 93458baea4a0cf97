"""Moderators see partner fact-checks; a false/manipulated rating goes to the debunked bank only
when a moderator confirms it."""

import pytest

from integrations.partners.assessments import assessment_create
from integrations.partners.services import partner_organisation_save
from triage.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

DATA = {
    "media_authenticity_category": "TransformedContent",
    "claim_reviewed": "The photo shows the party leader at the rally.",
    "rating_alternate_name": "False",
    "explanation": "Generated image: the hands and the banner text are broken.",
    "language": "en",
    "published_url": "https://factcheck.example/a/1",
}


@pytest.fixture
def partner_fact_check(cases):
    partner = partner_organisation_save(name="Demagog.sk", countries=["SK"])
    return assessment_create(partner=partner, token=None, case_id=cases["slovak"].pk, data=DATA)


def test_moderators_are_flagged_and_confirm_the_debunk(client, alice, cases, partner_fact_check):
    from triage.evidence.banks.models import BankedItem

    case = cases["slovak"]
    client.force_login(alice)
    queue = client.get("/").content.decode()
    assert 'id="fact-checks-flag"' in queue and "Demagog.sk" in queue
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "awaiting your confirmation" in page and "Generated image" in page

    response = client.post(
        f"/cases/{case.pk}/fact-checks/{partner_fact_check.pk}/review/", {"decision": "confirm"}, follow=True
    )
    assert response.status_code == 200
    item = BankedItem.objects.get(sha256=case.media_item.sha256)
    assert item.bank.purpose == "debunked"
    partner_fact_check.refresh_from_db()
    assert partner_fact_check.debunk_state == "confirmed" and partner_fact_check.debunk_reviewed_by == alice
    assert AuditEvent.objects.filter(action="partner_assessment.debunk_confirmed", case=case).exists()
    assert 'id="fact-checks-flag"' not in client.get("/").content.decode()


def test_dismissing_banks_nothing(client, alice, cases, partner_fact_check):
    from triage.evidence.banks.models import BankedItem

    case = cases["slovak"]
    client.force_login(alice)
    client.post(f"/cases/{case.pk}/fact-checks/{partner_fact_check.pk}/review/", {"decision": "dismiss"})
    partner_fact_check.refresh_from_db()
    assert partner_fact_check.debunk_state == "dismissed"
    assert not BankedItem.objects.filter(sha256=case.media_item.sha256).exists()


def test_someone_outside_the_moderators_cannot_confirm(client, charlie, cases, partner_fact_check):
    client.force_login(charlie)
    response = client.post(
        f"/cases/{cases['slovak'].pk}/fact-checks/{partner_fact_check.pk}/review/", {"decision": "confirm"}
    )
    assert response.status_code == 403
    partner_fact_check.refresh_from_db()
    assert partner_fact_check.debunk_state == "awaiting"
