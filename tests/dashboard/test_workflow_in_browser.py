"""A moderator's round trip in a real browser (Debian's chromium through Playwright).

Alice logs in, finds the Slovak silence-window hold on top of the queue, opens it with the
keyboard, looks at the blurred image, takes the case and confirms the policy's decision.
"""

import os
from pathlib import Path

import pytest

from .conftest import PASSWORD

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="needs Debian's chromium (apt-get install chromium)"
    ),
]


@pytest.fixture
def browser_page():
    """Open a chromium page, closed after the test.

    Request it after the fixtures that write to the database: while Playwright's event loop
    runs, Django would open a second connection in another async context, which nothing closes
    and which keeps the test database from being dropped.
    """
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop; Django must not mistake the test for async code.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(15_000)
        try:
            yield page
        finally:
            browser.close()


@pytest.mark.django_db(transaction=True)
def test_alice_reviews_the_urgent_case_in_the_browser(live_server, alice, cases, browser_page):
    page = browser_page
    slovak = cases["slovak"]

    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")

    page.wait_for_selector("table#queue")
    first = page.locator("tr.row").first
    assert first.get_attribute("data-case") == str(slovak.pk)
    assert "silence" in first.inner_text()

    page.keyboard.press("j")
    assert "current" in (first.get_attribute("class") or "")
    page.keyboard.press("o")
    page.wait_for_url(f"**/cases/{slovak.pk}/")

    frame = page.locator(".media-frame").first
    assert "blurred" in frame.get_attribute("class")
    assert "blur" in page.eval_on_selector(".media-frame img", "img => getComputedStyle(img).filter")
    # The image really loads through the permission-checked media view.
    page.wait_for_function("() => document.querySelector('.media-frame img').naturalWidth === 320")
    page.click(".media-frame .reveal")
    assert "blurred" not in frame.get_attribute("class")
    assert page.eval_on_selector(".media-frame img", "img => getComputedStyle(img).filter") == "none"

    page.keyboard.press("t")
    page.wait_for_selector("text=You are reviewing this case until")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.keyboard.press("c")
    page.wait_for_selector("text=Policy decision confirmed.")
    assert asked == ["Confirm the policy decision as it is?"]  # a keystroke alone never decides

    history = page.locator("#history")
    current_row = history.locator("tr.current")
    assert "moderator (alice)" in current_row.inner_text()
    assert "Label: Likely AI-generated" in current_row.inner_text()
    assert "Removal hold" in history.inner_text()  # the policy's decision, now superseded
    assert page.locator("#take-form").count() == 1  # released once decided

    if os.environ.get("DASHBOARD_SCREENSHOT"):
        page.screenshot(path=os.environ["DASHBOARD_SCREENSHOT"], full_page=True)


@pytest.mark.django_db(transaction=True)
def test_the_help_dialog_opens_with_the_question_mark(live_server, alice, cases, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("table#queue")
    page.keyboard.press("?")
    assert page.locator("dialog#help").is_visible()
    assert "Take the case" in page.locator("dialog#help").inner_text()
    if os.environ.get("DASHBOARD_QUEUE_SCREENSHOT"):
        page.keyboard.press("?")
        page.screenshot(path=os.environ["DASHBOARD_QUEUE_SCREENSHOT"], full_page=True)
