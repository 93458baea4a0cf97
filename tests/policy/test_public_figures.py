"""Registered public figures are recognised in subjects and text, whatever the accents or script."""

import pytest

from elections.names import name_fold
from tests.policy import factories
from triage.decisions.inputs import public_figures_match

pytestmark = pytest.mark.django_db


def test_names_fold_case_and_diacritics():
    assert name_fold("Michal Šimečka") == name_fold("MICHAL  SIMECKA") == "michal simecka"


def test_subjects_and_text_match_names_and_aliases_of_the_audience_countries():
    simecka = factories.person("Michal Šimečka", code="SK", aliases=["Šimečka"])
    khan = factories.person("Imran Khan", code="PK", aliases=["عمران خان"])

    assert public_figures_match(countries=["SK"], subjects=["michal simecka"], texts=[]) == [simecka]
    assert public_figures_match(countries=["SK"], subjects=[], texts=["Nahrávka: SIMECKA o voľbách"]) == [
        simecka
    ]
    assert public_figures_match(countries=["PK"], subjects=[], texts=["عمران خان کا پیغام"]) == [khan]
    # Another country's politician is not matched for this audience; nor is a longer word.
    assert public_figures_match(countries=["SK"], subjects=["Imran Khan"], texts=[]) == []
    assert public_figures_match(countries=["SK"], subjects=[], texts=["Šimečkovci"]) == []
