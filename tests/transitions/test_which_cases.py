"""A window's transition re-evaluates exactly the live cases whose audience it covers."""

from datetime import timedelta

import pytest

from tests.kit.silence import SK_OPENS, make_case
from triage.decisions.models import TransitionKind, WindowTransition
from triage.decisions.transitions import window_transitions_run
from triage.models import CaseStatus

pytestmark = pytest.mark.django_db


def batched_case_ids(transition: WindowTransition) -> list[int]:
    return [case_id for batch in transition.batches.all() for case_id in batch.case_ids]


def test_opening_takes_every_live_case_with_the_country_in_its_audience(slovak_election):
    slovak = make_case("SK")
    shared = make_case("CZ", "SK")
    decided = make_case("SK", status=CaseStatus.DECIDED)
    make_case("CZ")
    make_case("DE")
    survivor = make_case("SK")
    merged = make_case("SK", status=CaseStatus.MERGED)
    merged.merged_into = survivor
    merged.save(update_fields=["merged_into"])

    [opened] = window_transitions_run(now=SK_OPENS)

    assert opened.kind == TransitionKind.OPENED
    assert sorted(batched_case_ids(opened)) == sorted([slovak.pk, shared.pk, decided.pk, survivor.pk])
    assert opened.cases_total == 4


def test_cases_of_other_countries_are_left_alone(slovak_election):
    make_case("ES", "SE")  # "ES,SE" contains the letters S, K nowhere as a token
    make_case("AT", "SI")
    [opened] = window_transitions_run(now=SK_OPENS)
    assert batched_case_ids(opened) == []
    assert opened.finished_at == SK_OPENS  # nothing to re-evaluate: finished when recorded


def test_a_phase_window_takes_its_regions_and_the_country_cases_of_unknown_region(indian_phase_election):
    tamil = make_case("IN", regions=["IN-TN"])
    kerala = make_case("IN", regions=["IN-KL"])
    unknown = make_case("IN")
    both = make_case("IN", regions=["IN-KL", "IN-TN"])
    phase_one = indian_phase_election.windows.get(phase__number=1)

    transitions = window_transitions_run(now=phase_one.start)

    [opened] = [t for t in transitions if t.window_id == phase_one.pk]
    assert sorted(batched_case_ids(opened)) == sorted([tamil.pk, unknown.pk, both.pk])
    assert kerala.pk not in batched_case_ids(opened)


def test_cases_are_split_into_batches_of_the_configured_size(slovak_election, settings):
    settings.WINDOW_TRANSITION_BATCH_SIZE = 3
    cases = [make_case("SK") for _ in range(7)]
    [opened] = window_transitions_run(now=SK_OPENS + timedelta(seconds=5))
    assert [len(b.case_ids) for b in opened.batches.all()] == [3, 3, 1]
    assert sorted(batched_case_ids(opened)) == [c.pk for c in cases]
