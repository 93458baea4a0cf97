"""`import_authorized_likenesses`: declarations for people already in the registry, all or nothing."""

import datetime as dt

import pytest
from django.core.management.base import CommandError

from elections.models import AuthorizedLikeness, Country, Person

from .calendar_io import FIXTURES, run, write

HEADER = "person,country,kind,declared_by,evidence_url,valid_from,valid_to\n"
EVIDENCE = "https://example.org/pti/ai-voice-declaration"


@pytest.fixture(autouse=True)
def registry(db):
    pakistan = Country.objects.create(
        code="PK", name="Pakistan", time_zones=["Asia/Karachi"], languages=["ur"]
    )
    slovakia = Country.objects.create(
        code="SK", name="Slovakia", time_zones=["Europe/Bratislava"], languages=["sk"]
    )
    Person.objects.create(name="Imran Khan", aliases=["عمران خان", "इमरान ख़ान"], country=pakistan)
    Person.objects.create(name="Michal Šimečka", aliases=["Michal Simecka"], country=slovakia)


def test_declarations_attach_to_the_person_named_by_name_or_alias():
    output = run("import_authorized_likenesses", str(FIXTURES / "authorized_likenesses.csv"))

    assert "2 created" in output
    khan = Person.objects.get(name="Imran Khan")
    voice = khan.authorized_likenesses.get(kind="voice")
    video = khan.authorized_likenesses.get(kind="video")
    assert voice.declared_by == "Pakistan Tehreek-e-Insaf"
    assert voice.evidence_url == EVIDENCE
    assert (voice.valid_from, voice.valid_to) == (dt.date(2023, 12, 19), dt.date(2024, 2, 8))
    assert video.valid_to is None


def test_a_name_matches_whatever_the_case_and_unicode_form(tmp_path):
    path = write(
        tmp_path, "d.csv", HEADER + f"MICHAL SIMECKA,SK,image,Progresívne Slovensko,{EVIDENCE},2023-09-01,\n"
    )

    run("import_authorized_likenesses", str(path))

    assert AuthorizedLikeness.objects.get().person.name == "Michal Šimečka"


def test_reimporting_updates_the_declaration_instead_of_duplicating_it(tmp_path):
    run("import_authorized_likenesses", str(FIXTURES / "authorized_likenesses.csv"))
    extended = write(
        tmp_path,
        "extended.csv",
        HEADER + f"Imran Khan,PK,voice,Pakistan Tehreek-e-Insaf,{EVIDENCE},2023-12-19,2024-03-31\n",
    )

    output = run("import_authorized_likenesses", str(extended))

    assert "1 updated" in output
    voice = AuthorizedLikeness.objects.get(kind="voice")
    assert voice.valid_to == dt.date(2024, 3, 31)
    assert AuthorizedLikeness.objects.count() == 2


def test_a_person_in_another_country_does_not_match(tmp_path):
    path = write(tmp_path, "d.csv", HEADER + f"Imran Khan,SK,voice,PTI,{EVIDENCE},2023-12-19,\n")

    with pytest.raises(CommandError, match="line 2, person: no person named 'Imran Khan' in SK"):
        run("import_authorized_likenesses", str(path))


def test_a_name_shared_by_two_people_is_ambiguous(tmp_path):
    pakistan = Country.objects.get(code="PK")
    Person.objects.create(name="Imran Khan (cricket commentator)", aliases=["Imran Khan"], country=pakistan)
    path = write(tmp_path, "d.csv", HEADER + f"imran khan,PK,voice,PTI,{EVIDENCE},2023-12-19,\n")

    with pytest.raises(CommandError, match="line 2, person: 'imran khan' names several people in PK"):
        run("import_authorized_likenesses", str(path))


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        (f"Nawaz Sharif,PK,voice,PML-N,{EVIDENCE},2024-01-01,", "person", "no person named 'Nawaz Sharif'"),
        (f",PK,voice,PML-N,{EVIDENCE},2024-01-01,", "person", "required"),
        (f"Imran Khan,XX,voice,PTI,{EVIDENCE},2024-01-01,", "country", "unknown country 'XX'"),
        (
            f"Imran Khan,PK,audio,PTI,{EVIDENCE},2024-01-01,",
            "kind",
            "'audio' is not one of voice | image | video",
        ),
        (f"Imran Khan,PK,voice,,{EVIDENCE},2024-01-01,", "declared_by", "required"),
        ("Imran Khan,PK,voice,PTI,,2024-01-01,", "evidence_url", "required"),
        ("Imran Khan,PK,voice,PTI,javascript:alert(1),2024-01-01,", "evidence_url", "is not an http(s) URL"),
        (
            "Imran Khan,PK,voice,PTI,https://example.org/" + "a" * 500 + ",2024-01-01,",
            "evidence_url",
            "at most 500",
        ),
        (f"Imran Khan,PK,voice,PTI,{EVIDENCE},,", "valid_from", "required"),
        (f"Imran Khan,PK,voice,PTI,{EVIDENCE},19.12.2023,", "valid_from", "is not an ISO date"),
        (f"Imran Khan,PK,voice,PTI,{EVIDENCE},2024-01-01,2023-12-31", "valid_to", "is before valid_from"),
    ],
)
def test_a_bad_row_names_its_line_and_field_and_nothing_is_imported(tmp_path, row, field, message):
    path = write(
        tmp_path,
        "declarations.csv",
        HEADER + f"Imran Khan,PK,video,PTI,{EVIDENCE},2023-12-19,\n" + row + "\n",
    )

    with pytest.raises(CommandError) as failure:
        run("import_authorized_likenesses", str(path))

    assert f"line 3, {field}: " in str(failure.value)
    assert message in str(failure.value)
    assert not AuthorizedLikeness.objects.exists()


def test_a_quoted_field_spanning_lines_keeps_later_line_numbers_right(tmp_path):
    path = write(
        tmp_path,
        "declarations.csv",
        HEADER
        + f'Imran Khan,PK,video,"Pakistan Tehreek-e-Insaf\n(central media cell)",{EVIDENCE},2023-12-19,\n'
        + f"Imran Khan,PK,hologram,PTI,{EVIDENCE},2023-12-19,\n",
    )

    with pytest.raises(CommandError, match="line 4, kind: 'hologram'"):
        run("import_authorized_likenesses", str(path))
