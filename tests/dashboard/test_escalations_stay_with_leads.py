"""Every surface that names a case keeps an escalated one from moderators who are not leads.

A case is the leads' when its current decision escalates or when its review deadline passed with
nobody deciding (the deadline sweep). alice moderates, bob leads (tests/kit/actors.py). The
surfaces: the queue (rows, tab counts, search, the fact-check flag), the case page and every
action on it, bulk actions, the overview's list of holds, the dead letters
(test_dead_letters.py), and the leads' notifications, which link to the case page.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail

from integrations.partners.assessments import assessment_create
from integrations.partners.services import partner_organisation_save
from triage.decisions.models import Decision
from triage.moderation.deadlines import deadlines_sweep

from .test_fact_checks import DATA

pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue(cases):
    """The routine German case, whose review deadline passed with nobody deciding."""
    routine = cases["routine"]
    held = Decision.objects.get(case=routine, is_current=True)
    assert routine.pk in deadlines_sweep(now=held.review_deadline + timedelta(minutes=1)).escalated
    return routine


def _rows(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'data-case="(\d+)"', html)]


@pytest.mark.parametrize("tab", ["unresolved", "awaiting", "all", "mine"])
def test_the_queue_tabs_and_search_leave_it_out_for_moderators(client, alice, bob, cases, overdue, tab):
    client.force_login(bob)
    client.post(f"/cases/{overdue.pk}/assign/", {"user": "alice"})  # even when it is hers
    client.force_login(alice)
    for url in (f"/?queue={tab}", f"/?queue={tab}&q=post-de", f"/?queue={tab}&country=DE"):
        response = client.get(url)
        assert overdue.pk not in _rows(response.content.decode()), url
    counts = client.get("/").context["counts"]
    assert counts["escalated"] == 0 and counts["mine"] == 0
    client.force_login(bob)  # the case is alice's: in bob's "mine" it would not be, so "all"
    lead_tab = "all" if tab == "mine" else tab
    assert overdue.pk in _rows(client.get(f"/?queue={lead_tab}&q=post-de").content.decode())


def test_the_case_page_and_its_actions_refuse_moderators(client, alice, bob, overdue):
    client.force_login(alice)
    base = f"/cases/{overdue.pk}"
    assert client.get(f"{base}/").status_code == 403
    assert client.get(f"{base}/media/{overdue.media_item_id}/").status_code == 403
    for action in ("take", "confirm", "decide", "outcome", "assign", "extend", "release", "bank"):
        assert client.post(f"{base}/{action}/").status_code == 403, action
    response = client.post("/bulk/", {"case": [overdue.pk], "action": "confirm"}, follow=True)
    assert any("escalated to a lead" in str(m) for m in response.context["messages"])
    assert Decision.objects.get(case=overdue, is_current=True).decided_by == "policy"
    client.force_login(bob)
    assert client.get(f"{base}/").status_code == 200


def test_the_fact_check_flag_names_no_escalated_case_to_moderators(client, alice, bob, overdue):
    partner = partner_organisation_save(name="Correctiv", countries=["DE"])
    assessment_create(partner=partner, token=None, case_id=overdue.pk, data=DATA)
    client.force_login(alice)
    assert f"#{overdue.pk} Correctiv" not in client.get("/").content.decode()
    client.force_login(bob)
    assert f"#{overdue.pk} Correctiv" in client.get("/").content.decode()


def test_the_overviews_holds_name_no_escalated_case_to_moderators(client, alice, bob, cases, settings):
    settings.DASHBOARD_OVERVIEW_MAX_AGE_SECONDS = 0  # fresh numbers on each render
    slovak = cases["slovak"]
    held = Decision.objects.get(case=slovak, is_current=True)
    # Nobody decided within the deadline: the hold is overdue and the case the leads'.
    deadlines_sweep(now=held.review_deadline + timedelta(minutes=1))
    Decision.objects.filter(pk=held.pk).update(review_deadline=held.created_at)  # overdue now too
    link = f'href="/cases/{slovak.pk}/"'
    client.force_login(alice)
    html = client.get("/overview/").content.decode()
    assert link not in html and "No hold is due within 30 minutes." in html
    client.force_login(bob)
    assert link in client.get("/overview/").content.decode()


def test_the_leads_notice_links_the_case_page_only_leads_open(
    client, alice, bob, cases, settings, django_capture_on_commit_callbacks
):
    settings.MODERATION_NOTIFY_EMAILS = ["leads@newsroom.example"]
    settings.PUBLIC_BASE_URL = "https://moratorium.example"
    routine = cases["routine"]
    held = Decision.objects.get(case=routine, is_current=True)
    with django_capture_on_commit_callbacks(execute=True):
        deadlines_sweep(now=held.review_deadline + timedelta(minutes=1))
    link = f"https://moratorium.example/cases/{routine.pk}/"
    assert any(link in message.body for message in mail.outbox)
    client.force_login(alice)
    assert client.get(f"/cases/{routine.pk}/").status_code == 403
    client.force_login(bob)
    assert client.get(f"/cases/{routine.pk}/").status_code == 200
