"""The Slovakia case at its real 2023 moment, against the calendar Moratorium ships."""

from datetime import UTC, datetime, timedelta

import pytest

from elections.models import SilenceWindow
from tests.policy import factories
from triage.decisions.services import case_decide_by_policy, case_phase

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_policy")]

# Friday 29 September 2023, noon in Bratislava: the day before the vote, inside the moratorium.
DAY_BEFORE_THE_VOTE = datetime(2023, 9, 29, 10, 0, tzinfo=UTC)


@pytest.fixture
def seeded_calendar(db):
    from elections.seed import seed_calendar

    seed_calendar()  # idempotent; transactional tests elsewhere may have flushed the migration's rows
    return SilenceWindow.objects.get(election__name="2023 Slovak parliamentary election")


def test_a_mixed_audience_takes_the_strictest_phase_and_names_the_country(seeded_calendar):
    case = factories.case(countries=["SK", "US"], language="sk")

    phase = case_phase(case=case, at=DAY_BEFORE_THE_VOTE)

    assert (phase.phase, phase.country, phase.window) == ("silence", "SK", seeded_calendar)


def test_the_slovak_recording_is_held_in_the_2023_moratorium_and_still_held_after_it(seeded_calendar):
    factories.person("Michal Šimečka", code="SK")
    case = factories.case(countries=["SK"], language="sk", subjects=["Michal Šimečka"])
    factories.verdict(case, "likely_synthetic")

    held = case_decide_by_policy(case_id=case.pk, trigger="verdict", at=DAY_BEFORE_THE_VOTE)
    after = seeded_calendar.end + timedelta(seconds=1)
    kept = case_decide_by_policy(case_id=case.pk, trigger="window_closed", at=after)

    assert held.phase_reason == {
        "country": "SK",
        "window_end": seeded_calendar.end.isoformat(),
        "window_id": seeded_calendar.pk,
        "election": "2023 Slovak parliamentary election",
        # Issue 11: the rule's scope and online coverage, and where a hold applies.
        "scope": "full",
        "covers_online": "yes",
        "covers_online_text": "covers online media",
        "hold_countries": ["SK"],
        "offline_only_countries": [],
    }
    assert held.actions[0] == {
        "type": "removal_hold", "review_deadline": held.actions[0]["review_deadline"], "countries": ["SK"]
    }  # fmt: skip
    assert held.hold_reason == "silence"
    assert held.review_deadline == DAY_BEFORE_THE_VOTE + timedelta(minutes=30)
    assert kept.phase != "silence" and kept.hold_reason == "post_silence"
    assert kept.actions[0]["type"] == "removal_hold"
