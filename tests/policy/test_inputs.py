"""What the policy sees of a case: reach velocity, consent per media kind, the creator's disclosure."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from elections.models import AuthorizedLikeness
from tests.policy import factories
from triage.decisions.services import case_policy_inputs
from triage.models import ReachSample

pytestmark = pytest.mark.django_db


def test_reach_velocity_is_the_gain_per_hour_over_the_last_hour():
    now = timezone.now()
    case = factories.case(countries=["US"], views=1000, shares=100, at=now - timedelta(minutes=30))
    ReachSample.objects.create(
        case=case, at=now, views=4000, shares=400, window_minutes=60, case_views=4000, case_shares=400
    )

    inputs = case_policy_inputs(case=case, at=now)

    assert inputs.reach_velocity == pytest.approx((4400 - 1100) * 2)


def test_one_report_gives_its_own_rate_and_none_gives_zero():
    now = timezone.now()
    reported = factories.case(countries=["US"], views=600, shares=0, at=now - timedelta(minutes=5))
    quiet = factories.case(countries=["US"])

    assert case_policy_inputs(case=reported, at=now).reach_velocity == 600
    assert case_policy_inputs(case=quiet, at=now).reach_velocity == 0


def test_an_image_likeness_does_not_cover_a_voice():
    khan = factories.person("Imran Khan", code="PK")
    AuthorizedLikeness.objects.create(
        person=khan, kind="image", declared_by="party", evidence_url="https://party.example/a",
        valid_from=date(2023, 1, 1),
    )  # fmt: skip
    audio = factories.case(countries=["PK"], subjects=["Imran Khan"], media_type="audio")

    inputs = case_policy_inputs(case=audio, at=timezone.now())

    assert (inputs.public_figure, inputs.consent, inputs.public_figure_without_consent) == (True, False, True)
    assert inputs.public_figures == ["Imran Khan"]


def test_disclosure_language_satire_reporters_and_content_language_are_read_from_submissions():
    case = factories.case(
        countries=["PK"], language="ur", source="trusted_flagger", reason="impersonation",
        disclosure={"ai_label": True, "language": "en", "satire": True},
    )  # fmt: skip

    inputs = case_policy_inputs(case=case, at=timezone.now())

    assert (inputs.creator_disclosed, inputs.creator_disclosure_language, inputs.satire_claim) == (
        True,
        "en",
        True,
    )
    assert (inputs.content_language, inputs.content_language_source) == ("ur", "declared")
    assert inputs.language_mismatch and "creator disclosure in en, content in ur" in inputs.notes
    assert (inputs.reporter_kinds, inputs.report_reasons) == (["trusted_flagger"], ["impersonation"])
    assert inputs.verdict == "pending"


def test_two_samples_seconds_apart_with_the_same_totals_keep_the_platforms_own_rate():
    """The webhook's and the worker's samples of one report measure no growth: the platform's
    "5,300 in the last hour" still counts (a fast spread in a silence window, issue 11)."""
    now = timezone.now()
    case = factories.case(countries=["SK"], views=5000, shares=300, at=now - timedelta(seconds=4))
    ReachSample.objects.create(
        case=case, at=now, views=5000, shares=300, window_minutes=60, case_views=5000, case_shares=300
    )

    assert case_policy_inputs(case=case, at=now).reach_velocity == 5300
