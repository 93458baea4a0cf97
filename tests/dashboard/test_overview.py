"""The overview: open cases by country, phase and verdict; decisions per hour; queue age; deadlines;
undelivered callbacks and dead letters (read through the overview registry); check health."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from triage.moderation.overview import overview
from triage.moderation.overview_sources import _sources, overview_source_register

from .conftest import PASSWORD, decision_make, login
from .test_workflow_in_browser import CHROMIUM, browser_page  # noqa: F401 - the shared fixture

OVERVIEW = "/overview/"


@pytest.fixture(autouse=True)
def _fresh_numbers(settings):
    # Each test makes its own night: no numbers cached by an earlier test's page.
    settings.DASHBOARD_OVERVIEW_MAX_AGE_SECONDS = 0


@pytest.fixture
def night(cases, platform):
    """The dashboard's test queue, plus one overdue hold and two callbacks that did not get through."""
    from integrations.callbacks.models import Delivery, DeliveryState
    from triage.models import Submission

    decision_make(
        case=cases["routine"],
        phase="election_period",
        actions=[{"type": "removal_hold"}],
        minutes=-5,
        hold_reason="review",
    )
    now = timezone.now()
    for state, key, case in (
        (DeliveryState.DEAD, "dead-1", "decided"),
        (DeliveryState.PENDING, "pending-1", "american"),
    ):
        submission = Submission.objects.get(case=cases[case])
        Delivery.objects.create(
            decision=cases[case].decisions.get(is_current=True),
            platform=platform,
            submission=submission,
            content_id=submission.content_id,
            idempotency_key=key,
            url="https://videoshare.example/callback",
            body={},
            state=state,
            attempts=3,
            give_up_at=now + timedelta(hours=24),
            dead_at=now if state == DeliveryState.DEAD else None,
        )
    return cases


def test_the_numbers_of_the_night(night):
    numbers = overview(at=timezone.now())

    assert numbers.open_total == 4  # the decided French case is not open
    assert dict(numbers.by_country)["SK"] == 2
    assert dict(numbers.by_phase) == {"silence": 2, "normal": 1, "election_period": 1}
    assert numbers.holds_overdue == 1 and numbers.holds_near_deadline == 1
    assert [d.case_id for d in numbers.holds_soonest] == [night["routine"].pk, night["slovak"].pk]
    assert sum(count for _, count in numbers.age_buckets) == 4 and dict(numbers.age_buckets)["< 15 min"] == 4
    assert numbers.decisions_24h == 6 and len(numbers.decisions_per_hour) == 24
    checks = {row["kind"]: row for row in numbers.checks}
    assert checks["c2pa"]["failed"] == 1 and checks["detector:acme"]["failed"] == 0
    assert numbers.sources["callbacks"]["undelivered"] == 1 and numbers.sources["callbacks"]["dead"] == 1


def test_the_page_draws_svg_charts_and_links_the_dead_letters(client, alice, night):
    login(client, alice)

    page = client.get(OVERVIEW).content.decode()

    assert page.count("<svg") >= 6
    assert 'id="holds-overdue" class="badge warn">1<' in page
    assert re.search(r'id="dead-letters">1<', page) and re.search(r'id="undelivered">1<', page)
    # Nothing is fetched from elsewhere: scripts and styles come from the project's static files.
    assert not re.search(r'<(script|link)[^>]+(src|href)="(https?:)?//', page)


def test_a_broken_panel_does_not_take_the_page_down(client, alice, night):
    original = _sources["callbacks"]

    def broken(at):
        raise RuntimeError("callbacks database unavailable")

    overview_source_register("callbacks", broken)
    try:
        login(client, alice)
        page = client.get(OVERVIEW)
    finally:
        overview_source_register("callbacks", original)

    assert page.status_code == 200 and "Callback numbers unavailable." in page.content.decode()


def test_the_overview_is_for_moderators(client, charlie, db):
    assert client.get(OVERVIEW).status_code == 302
    login(client, charlie)
    assert client.get(OVERVIEW).status_code == 403


def test_the_overview_takes_a_fixed_number_of_queries(client, alice, night, django_assert_max_num_queries):
    login(client, alice)
    # Ten aggregates, storing the snapshot, the session and the user: not one per case.
    # +3 for the shared frame: the no-detector banner and the label-review permission lookups.
    with django_assert_max_num_queries(23):
        client.get(OVERVIEW)


def test_the_page_reads_the_snapshot_the_beat_task_keeps_fresh(
    client, alice, night, settings, django_assert_max_num_queries
):
    from triage.moderation.models import OverviewSnapshot
    from triage.moderation.overview_snapshot import overview_snapshot_task

    settings.DASHBOARD_OVERVIEW_MAX_AGE_SECONDS = 45
    overview_snapshot_task.apply()  # what the beat runs every DASHBOARD_OVERVIEW_SNAPSHOT_SECONDS
    assert OverviewSnapshot.objects.get().data["open_total"] == 4
    login(client, alice)

    # The session, the user, the groups, the snapshot; and the frame's no-detector banner and the
    # label-review permission lookups (3); for a moderator who is not a lead, which of the listed
    # holds are escalated cases (the leads', left out).
    with django_assert_max_num_queries(8):
        page = client.get(OVERVIEW).content.decode()

    assert 'id="open-total">4<' in page
    assert re.search(r"overdue</span> \d\d:\d\d UTC", page), "deadlines round-trip as datetimes"
    assert "Election period" in page  # the overdue hold's phase, as displayed


def test_an_old_snapshot_is_replaced_by_fresh_numbers(client, alice, night, settings):
    from triage.moderation.models import OverviewSnapshot
    from triage.moderation.overview_snapshot import overview_snapshot_save

    settings.DASHBOARD_OVERVIEW_MAX_AGE_SECONDS = 45
    overview_snapshot_save(at=timezone.now() - timedelta(minutes=5))
    login(client, alice)

    client.get(OVERVIEW)

    assert OverviewSnapshot.objects.get().computed_at > timezone.now() - timedelta(minutes=1)


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium")
@pytest.mark.django_db(transaction=True)
def test_alice_watches_the_overview_refresh_itself(
    live_server,
    settings,
    alice,
    night,
    browser_page,  # noqa: F811 - the shared fixture, imported above
):
    settings.DASHBOARD_OVERVIEW_REFRESH_SECONDS = 2
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("table#queue")
    page.click("nav >> text=Overview")
    page.wait_for_selector("#chart-country svg")

    assert page.locator("svg.chart").count() >= 6
    assert page.locator("#open-total").inner_text() == "4"
    assert "SK" in page.locator("#chart-country").inner_text()
    assert page.locator("#holds tr.overdue").count() == 1
    page.evaluate("window.__before_refresh = true")
    page.wait_for_function("() => window.__before_refresh === undefined", timeout=10_000)
    page.wait_for_selector("#chart-country svg")
    page.click("#dead-letters")
    page.wait_for_selector("table#dead-letters")
