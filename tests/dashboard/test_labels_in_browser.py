"""Labels as people will meet them, in a real browser (Debian's chromium through Playwright).

Olga (election ops) reviews an Urdu text on the review screen, hearing its spoken rendering; Alice
(a moderator) sees an Urdu audio case's label right to left in the project's Nastaliq font, with an
English gloss, plays the spoken disclosure, and previews another label kind before deciding.
"""

import pytest
from django.contrib.auth.models import Group, Permission, User

from triage.decisions.labels import audio_disclosure_render, label_render
from triage.decisions.labels.seed import label_texts_seed
from triage.decisions.labels.speech import disclosure_audio
from triage.decisions.labels.texts import label_texts_cache_clear

from .conftest import PASSWORD, case_make, decision_make, media_item_store
from .test_workflow_in_browser import CHROMIUM, browser_page  # noqa: F401 - the fixture

pytestmark = [pytest.mark.browser]

pytest.importorskip("playwright")
if not __import__("pathlib").Path(CHROMIUM).exists():
    pytest.skip("needs Debian's chromium (apt-get install chromium)", allow_module_level=True)


@pytest.fixture
def texts(transactional_db):
    label_texts_seed()  # a flushed test database lost the migration's rows
    label_texts_cache_clear()
    yield
    label_texts_cache_clear()


@pytest.fixture
def olga(transactional_db) -> User:
    user = User.objects.create_user(username="olga", password=PASSWORD)
    group, _ = Group.objects.get_or_create(name="election_ops")
    group.permissions.add(Permission.objects.get(codename="review_labeltext"))
    user.groups.add(group)
    return user


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def audio_duration(page, selector: str) -> float:
    """Wait until chromium has decoded the audio's header and return its duration in seconds."""
    page.wait_for_function(
        "s => { const a = document.querySelector(s); if (a.readyState < 1) a.load();"
        " return a.readyState >= 1; }",
        arg=selector,
    )
    return page.eval_on_selector(selector, "a => a.duration")


@pytest.mark.django_db(transaction=True)
def test_olga_hears_and_reviews_an_urdu_text(live_server, texts, olga, browser_page):  # noqa: F811
    page = browser_page
    log_in(page, live_server, "olga")
    page.click("text=Label texts")
    page.select_option("#language", "ur")
    page.wait_for_url("**/labels/review/?language=ur")

    row = page.locator('tr[data-kind="unverified"][data-channel="spoken"]')
    assert "Notice: this recording is under review" in row.inner_text()
    assert row.locator(".label-text").first.evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert audio_duration(page, 'tr[data-kind="unverified"][data-channel="spoken"] audio') > 2

    row.locator("button.mark-reviewed").click()
    page.wait_for_selector(".messages")
    assert "by olga" in page.locator('tr[data-kind="unverified"][data-channel="spoken"] .status').inner_text()


@pytest.fixture
def urdu_case(texts, alice):
    """An Urdu audio case decided with an AI-disclosed label, as the policy leaves it."""
    from django.core.files.storage import default_storage

    from integrations.platforms.services import platform_create

    platform, _secret = platform_create(slug="voiceshare", name="VoiceShare")
    clip = disclosure_audio(text="یہ ایک آزمائشی ریکارڈنگ ہے", language="ur")
    with default_storage.open(clip.name, "rb") as handle:
        wav = handle.read()
    case = case_make(
        platform=platform,
        media=media_item_store(wav, media_type="audio", mime_type="audio/wav"),
        countries=["PK"],
        content_id="voice-1",
        language="ur",
        subjects=["Imran Khan"],
    )
    label = label_render(kind="ai_generated_disclosed", language="ur", subjects=["Imran Khan"])
    spoken = audio_disclosure_render(kind="ai_generated_disclosed", language="ur", subjects=["Imran Khan"])
    decision_make(
        case=case,
        actions=[
            {
                "type": "label",
                "kind": "ai_generated_disclosed",
                "language": "ur",
                "text": label.text,
                "audio_disclosure_script": spoken.text,
                "audio_disclosure_language": "ur",
                "needs_native_review": True,
            }
        ],
        minutes=240,
    )
    return case, label


@pytest.mark.django_db(transaction=True)
def test_alice_sees_and_hears_the_urdu_label_as_the_platform_will(
    live_server,
    urdu_case,
    browser_page,  # noqa: F811 - requested after the fixtures that write
):
    case, label = urdu_case
    page = browser_page
    log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/cases/{case.pk}/")

    preview = page.locator(".decision-actions .label-preview").first
    text = preview.locator(".label-text").first
    assert text.inner_text().startswith(label.text[:20])
    assert text.evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert (
        "English: Made with AI. The creator disclosed this. Presented as: Imran Khan." in preview.inner_text()
    )
    assert "unreviewed draft" in preview.inner_text()
    # The project's own Nastaliq font is served and used (no boxes on a machine without Urdu fonts).
    assert page.evaluate(
        "async () => { await document.fonts.load('20px \"Moratorium Nastaliq\"', 'اردو');"
        " return document.fonts.check('20px \"Moratorium Nastaliq\"', 'اردو'); }"
    )
    assert audio_duration(page, ".decision-actions audio.disclosure-audio") > 3

    page.click("#take-form button")
    page.wait_for_selector("#decide-form")
    page.select_option("#id_label_kind", "unverified")
    shown = page.locator('#label-previews .kind-preview[data-kind="unverified"]')
    assert shown.is_visible()
    assert not page.locator('#label-previews .kind-preview[data-kind="likely_ai_generated"]').is_visible()
    assert "زیرِ جائزہ" in shown.inner_text()
    assert "English: Under review." in shown.inner_text()
    assert audio_duration(page, '#label-previews .kind-preview[data-kind="unverified"] audio') > 2
