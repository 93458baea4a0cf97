"""Operators extend or shorten a live window with a reason: audited, and kept through recomputation."""

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ValidationError

from elections.models import WindowAdjustment
from elections.selectors import election_period_active, silence_window_active
from elections.services import election_create, silence_rule_delete, silence_rule_save, window_adjust

from .conftest import FORTY_EIGHT_HOURS_ELAPSED, utc

POLLS_CLOSED = utc(2023, 9, 30, 20)  # 22:00 in Bratislava
LATE_STATION = "Voting extended at one polling station; the last station closed 40 minutes late."


@pytest.fixture
def slovak_window(country_with_rule):
    country_with_rule("SK", ["Europe/Bratislava"], FORTY_EIGHT_HOURS_ELAPSED)
    election = election_create(
        country="SK",
        name="2023 Slovak parliamentary election",
        kind="parliamentary",
        voting_days=[date(2023, 9, 30)],
        polls_open=time(7),
        polls_close=time(22),
    )
    return election.windows.get()


def test_slovakia_2023_ran_forty_minutes_late(slovak_window, alice):
    adjustment = window_adjust(
        window=slovak_window, new_end=POLLS_CLOSED + timedelta(minutes=40), reason=LATE_STATION, user=alice
    )
    assert silence_window_active(country="SK", at=POLLS_CLOSED + timedelta(minutes=39)) == slovak_window
    assert silence_window_active(country="SK", at=POLLS_CLOSED + timedelta(minutes=40)) is None
    assert (adjustment.previous_end, adjustment.new_end, adjustment.made_by) == (
        POLLS_CLOSED,
        POLLS_CLOSED + timedelta(minutes=40),
        alice,
    )
    slovak_window.refresh_from_db()
    assert slovak_window.computed_end == POLLS_CLOSED
    assert slovak_window.adjusted


def test_a_shortened_window_ends_earlier(slovak_window):
    window_adjust(window=slovak_window, new_end=POLLS_CLOSED - timedelta(hours=1), reason="Court order")
    assert silence_window_active(country="SK", at=POLLS_CLOSED - timedelta(minutes=30)) is None


def test_an_extension_past_midnight_extends_the_election_period(slovak_window):
    after_midnight = utc(2023, 9, 30, 22, 30)
    assert election_period_active(country="SK", at=after_midnight) is None
    window_adjust(window=slovak_window, new_end=utc(2023, 9, 30, 23), reason="Count delayed")
    assert election_period_active(country="SK", at=after_midnight) is not None


@pytest.mark.parametrize(
    ("new_end", "reason", "field", "message"),
    [
        (POLLS_CLOSED, " ", "reason", "Give the reason for the change (it is kept in the audit trail)."),
        (
            utc(2023, 9, 28, 5),
            "x",
            "new_end",
            "The new end must be after the window's start (2023-09-28 05:00 UTC).",
        ),
        (POLLS_CLOSED, "x", "new_end", "The window already ends then."),
        (
            POLLS_CLOSED.replace(tzinfo=None),
            "x",
            "new_end",
            "Enter the new end as a date and time with its time zone.",
        ),
    ],
)
def test_bad_adjustments_are_refused_with_field_errors(slovak_window, new_end, reason, field, message):
    with pytest.raises(ValidationError) as caught:
        window_adjust(window=slovak_window, new_end=new_end, reason=reason)
    assert caught.value.message_dict[field] == [message]
    assert not WindowAdjustment.objects.exists()


def test_the_audit_record_outlives_a_removed_window(slovak_window):
    window_adjust(window=slovak_window, new_end=POLLS_CLOSED + timedelta(minutes=40), reason=LATE_STATION)
    silence_rule_delete(country="SK")
    record = WindowAdjustment.objects.get()
    assert (record.window, record.window_label) == (
        None,
        "2023 Slovak parliamentary election [Europe/Bratislava]",
    )


def test_an_adjustment_survives_a_rule_change(slovak_window):
    window_adjust(window=slovak_window, new_end=POLLS_CLOSED + timedelta(minutes=40), reason=LATE_STATION)
    silence_rule_save(country="SK", start_hours=24)
    slovak_window.refresh_from_db()
    assert slovak_window.start == utc(2023, 9, 29, 5)
    assert slovak_window.end == POLLS_CLOSED + timedelta(minutes=40)
    assert slovak_window.adjustments.count() == 1
