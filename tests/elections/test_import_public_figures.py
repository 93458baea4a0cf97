"""`import_public_figures`: one person per name and country, roles added, all or nothing."""

import pytest
from django.core.management.base import CommandError

from elections.models import Country, Person, PersonRole

from .calendar_io import FIXTURES, run, write

HEADER = "name,aliases,country,role,party,valid_from,valid_to\n"


@pytest.fixture(autouse=True)
def countries(db):
    Country.objects.create(code="SK", name="Slovakia", time_zones=["Europe/Bratislava"], languages=["sk"])
    Country.objects.create(code="PK", name="Pakistan", time_zones=["Asia/Karachi"], languages=["ur", "en"])
    Country.objects.create(code="IN", name="India", time_zones=["Asia/Kolkata"], languages=["hi", "en"])


def test_imports_people_with_aliases_in_their_own_scripts():
    output = run("import_public_figures", str(FIXTURES / "public_figures.csv"))

    assert "4 created" in output
    simecka = Person.objects.get(name="Michal Šimečka", country="SK")
    assert simecka.aliases == ["Michal Simecka", "Михал Шимечка"]
    assert simecka.party == "Progresívne Slovensko"
    assert sorted(simecka.roles.values_list("kind", flat=True)) == ["candidate", "party_leader"]
    khan = Person.objects.get(name="Imran Khan", country="PK")
    assert khan.aliases == ["عمران خان", "इमरान ख़ान"]
    assert str(khan.roles.get().valid_from) == "1996-04-25"
    assert khan.roles.get().valid_to is None


def test_reimporting_the_same_file_adds_nothing():
    run("import_public_figures", str(FIXTURES / "public_figures.csv"))

    output = run("import_public_figures", str(FIXTURES / "public_figures.csv"))

    assert "0 created, 0 updated, 5 unchanged" in output
    assert Person.objects.count() == 4
    assert PersonRole.objects.count() == 5


def test_a_later_file_adds_aliases_and_roles_without_dropping_any(tmp_path):
    run("import_public_figures", str(FIXTURES / "public_figures.csv"))
    later = write(
        tmp_path,
        "later.csv",
        HEADER + "Michal Šimečka,Simečka;michal simecka,SK,office_holder,Progresívne Slovensko,2024-01-01,\n",
    )

    output = run("import_public_figures", str(later))

    assert "1 updated" in output
    simecka = Person.objects.get(name="Michal Šimečka")
    # "michal simecka" is the alias already known, in another case: not added twice.
    assert simecka.aliases == ["Michal Simecka", "Михал Шимечка", "Simečka"]
    assert simecka.roles.count() == 3


def test_names_typed_decomposed_match_the_same_person(tmp_path):
    decomposed = "Michal S\u030cimec\u030cka"  # Š and č as letter + combining caron
    path = write(tmp_path, "nfd.csv", HEADER + f"{decomposed},,SK,candidate,,2023-06-01,\n")
    run("import_public_figures", str(FIXTURES / "public_figures.csv"))

    run("import_public_figures", str(path))

    assert Person.objects.filter(country="SK", name__startswith="Michal").count() == 1


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        (",,SK,candidate,,,", "name", "required"),
        ("Zuzana Čaputová,,XX,office_holder,,,", "country", "unknown country 'XX'"),
        ("Zuzana Čaputová,,,office_holder,,,", "country", "required"),
        ("Zuzana Čaputová,,SK,president,,,", "role", "'president' is not one of"),
        ("Zuzana Čaputová,,SK,,,,", "role", "required"),
        ("Zuzana Čaputová,,SK,office_holder,,2019-06-15x,", "valid_from", "is not an ISO date"),
        ("Zuzana Čaputová,,SK,office_holder,,2019-02-30,", "valid_from", "is not a real date"),
        ("Zuzana Čaputová,,SK,office_holder,,2024-06-15,2019-06-15", "valid_to", "is before valid_from"),
        ("Zuzana Čaputová,,SK,office_holder," + "P" * 201 + ",,", "party", "at most 200 characters"),
    ],
)
def test_a_bad_row_names_its_line_and_field_and_nothing_is_imported(tmp_path, row, field, message):
    path = write(
        tmp_path,
        "figures.csv",
        HEADER + "Robert Fico,Роберт Фицо,SK,candidate,SMER-SD,2023-06-01,2023-09-30\n" + row + "\n",
    )

    with pytest.raises(CommandError) as failure:
        run("import_public_figures", str(path))

    assert f"line 3, {field}: " in str(failure.value)
    assert message in str(failure.value)
    assert "nothing imported" in str(failure.value)
    assert not Person.objects.exists()


def test_every_bad_row_is_reported_not_just_the_first(tmp_path):
    path = write(
        tmp_path,
        "figures.csv",
        HEADER
        + "Narendra Modi,नरेन्द्र मोदी,IN,office_holder,BJP,2014-05-26,\n"
        + "Rahul Gandhi,राहुल गांधी,IN,leader,INC,,\n"
        + "Shehbaz Sharif,شہباز شریف,PK,office_holder,PML-N,2024-03-04,2022-04-11\n",
    )

    with pytest.raises(CommandError) as failure:
        run("import_public_figures", str(path))

    assert "line 3, role: 'leader' is not one of" in str(failure.value)
    assert "line 4, valid_to: 2022-04-11 is before valid_from 2024-03-04" in str(failure.value)
    assert "2 errors" in str(failure.value)
    assert not Person.objects.exists()


def test_a_header_with_wrong_columns_is_refused(tmp_path):
    path = write(tmp_path, "figures.csv", "name,aliases,country,position,party,valid_from,valid_to\n")

    with pytest.raises(
        CommandError, match=r"line 1, header: missing column\(s\) role; unknown column\(s\) 'position'"
    ):
        run("import_public_figures", str(path))


def test_a_row_with_too_many_fields_is_refused(tmp_path):
    path = write(tmp_path, "figures.csv", HEADER + "Robert Fico,,SK,candidate,SMER,SD,2023-06-01,\n")

    with pytest.raises(CommandError, match="line 2, row: expected 7 fields, found 8"):
        run("import_public_figures", str(path))
    assert not Person.objects.exists()


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        (HEADER + "Robert Fico,,SK,candidate,,,\nMichal Šimečka,,SK,candidate,,,\n").encode("cp1250")
    )

    with pytest.raises(CommandError, match="line 3, file: not UTF-8 text"):
        run("import_public_figures", str(path))


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="file: cannot read"):
        run("import_public_figures", str(tmp_path / "nope.csv"))


def test_a_spreadsheet_bom_and_blank_lines_are_fine(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(("\ufeff" + HEADER + "\r\nRobert Fico,,SK,candidate,,,\r\n\r\n").encode("utf-8"))

    run("import_public_figures", str(path))

    assert Person.objects.get().name == "Robert Fico"


def test_a_name_typed_without_its_diacritics_is_the_same_person(tmp_path):
    # The policy matches "Simecka" in a caption to "Šimečka" in the registry; the importer must
    # agree, or a second file spelled without diacritics splits one person in two.
    first = write(tmp_path, "with.csv", HEADER + "Michal Šimečka,,SK,candidate,PS,2023-01-01,\n")
    row = "MICHAL  SIMECKA,Šimečka,SK,party_leader,PS,2023-01-01,\n"
    second = write(tmp_path, "without.csv", HEADER + row)
    run("import_public_figures", str(first))

    output = run("import_public_figures", str(second))

    assert "0 created, 1 updated" in output
    person = Person.objects.get(country="SK")
    assert person.name == "Michal Šimečka"
    assert sorted(person.roles.values_list("kind", flat=True)) == ["candidate", "party_leader"]
