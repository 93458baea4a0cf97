"""The lifecycle's screens in a real browser (Debian's chromium through Playwright).

- bob, a lead: the case whose review deadline was missed is on top of his queue, marked; he
  extends the deadline with a reason from the case page.
- alice: searches the queue, selects rows and confirms them in bulk (the browser asks first);
  the decision form previews the label in the content's language with an English gloss and
  follows a language override; the audit trail reads as sentences with the raw record behind a
  toggle; a final outcome shows who decided and on what ground.
"""

from __future__ import annotations

import os
from datetime import timedelta

import pytest

from triage.decisions.models import Decision
from triage.moderation.deadlines import deadlines_sweep

from .conftest import PASSWORD, SK_LABEL
from .test_workflow_in_browser import browser_page  # noqa: F401 - the chromium page fixture
from .test_workflow_in_browser import pytestmark as _browser_marks

pytestmark = _browser_marks


def _log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("table#queue")


@pytest.mark.django_db(transaction=True)
def test_bob_sees_the_missed_deadline_on_top_and_extends_it(live_server, bob, cases, browser_page):  # noqa: F811
    page = browser_page
    slovak = cases["slovak"]
    held = Decision.objects.get(case=slovak, is_current=True)
    deadlines_sweep(now=held.review_deadline + timedelta(minutes=1))

    _log_in(page, live_server, "bob")
    first = page.locator("tr.row").first
    assert first.get_attribute("data-case") == str(slovak.pk)
    assert "deadline missed" in first.inner_text()
    assert "Party Leader" in first.inner_text()  # the row says what the case is

    first.locator("a").first.click()
    page.wait_for_url(f"**/cases/{slovak.pk}/")
    assert page.locator("#deadline-missed").is_visible()
    page.fill("#extend-form input[name=minutes]", "90")
    page.fill("#extend-form input[name=reason]", "waiting for the party's answer")
    page.click("#extend-form button[type=submit]")
    page.wait_for_selector("text=Review deadline moved to")
    assert page.locator("#deadline-missed").count() == 0
    extended = page.locator(".audit-event", has_text="bob extended the review deadline")
    assert "“waiting for the party's answer”" in extended.locator(".audit-sentence").inner_text()
    raw = extended.locator("details.audit-raw")
    assert not raw.locator("pre").is_visible()  # the raw record sits behind a toggle
    raw.locator("summary").click()
    assert "case.review_deadline_extended" in raw.inner_text() and raw.locator("pre").is_visible()


@pytest.mark.django_db(transaction=True)
def test_alice_searches_selects_and_confirms_in_bulk(live_server, alice, cases, browser_page):  # noqa: F811
    page = browser_page
    _log_in(page, live_server, "alice")
    page.fill("#queue-search", "post-de")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=post-de**")
    rows = page.locator("tr.row")
    assert rows.count() == 1 and rows.first.get_attribute("data-case") == str(cases["routine"].pk)

    page.goto(f"{live_server.url}/")
    page.check("#select-all")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.click("#bulk-confirm")
    page.wait_for_selector("text=Confirmed 3 cases.")
    assert asked == ["Confirm the policy's decision on 3 cases?"]
    assert page.locator("#tab-unresolved .count").inner_text() == "0"


@pytest.mark.django_db(transaction=True)
def test_alice_previews_the_label_and_removes_on_a_ground(live_server, alice, cases, browser_page):  # noqa: F811
    page = browser_page
    slovak = cases["slovak"]
    _log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/cases/{slovak.pk}/")
    page.keyboard.press("t")
    page.wait_for_selector("#decide-form")
    # The form starts from the current decision: its label is chosen, its preview shown.
    assert page.input_value("#decide-form select[name=label_kind]") == "likely_ai_generated"
    preview = page.locator('#label-previews .kind-preview[data-kind="likely_ai_generated"] .label-preview')
    assert preview.is_visible()
    assert preview.get_attribute("data-language") == "sk"
    assert SK_LABEL[:10] not in preview.locator(".gloss").first.inner_text()  # the gloss is English
    slovak_text = preview.locator(".label-text").first.inner_text()
    # The language override switches the preview to that language (a region tag to its language).
    page.fill("#decide-form input[name=language]", "ur-PK")
    urdu = page.locator('.override-preview[data-kind="likely_ai_generated"][data-language="ur"]')
    assert urdu.is_visible() and not preview.is_visible()
    assert urdu.locator(".label-text").first.inner_text() != slovak_text
    assert urdu.locator(".label-text").first.evaluate("e => getComputedStyle(e).direction") == "rtl"
    page.fill("#decide-form input[name=language]", "xx")  # no shipped language: the content's again
    assert preview.is_visible() and not urdu.is_visible()

    page.check("#outcome-form input[value=remove]")
    page.select_option("#outcome-form select[name=ground]", "law")
    page.fill("#outcome-form input[name=country]", "SK")
    page.click("#outcome-form button[type=submit]")
    page.wait_for_selector("text=Decided: Remove.")
    assert "the law of SK" in page.locator("#outcome-ground").inner_text()
    assert "alice" in page.locator("#current-decision").inner_text()
    assert "Decided" in page.locator("h1").inner_text()
    if os.environ.get("DASHBOARD_LIFECYCLE_SCREENSHOT"):
        page.screenshot(path=os.environ["DASHBOARD_LIFECYCLE_SCREENSHOT"], full_page=True)
