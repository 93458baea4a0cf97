"""The public-figure registry in the dashboard: moderators browse and search, election-ops add and import.

Adding and importing go through the command-line importers (elections/importers.py): all or
nothing, with the same line-and-field messages.
"""

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from elections.models import AuthorizedLikeness, Person
from elections.seed import seed_calendar
from tests.kit.actors import PASSWORD, user_make

from .conftest import login
from .test_workflow_in_browser import CHROMIUM, browser_page  # noqa: F401 - the shared fixture

REGISTRY = "/registry/"
FIGURES = (
    "name,aliases,country,role,party,valid_from,valid_to\n"
    "Robert Fico,Fico;R. Fico,SK,party_leader,Smer,2023-10-25,\n"
    "Michal Šimečka,Šimečka,SK,party_leader,Progressive Slovakia,2023-01-01,\n"
)
LIKENESSES = (
    "person,country,kind,declared_by,evidence_url,valid_from,valid_to\n"
    "Šimečka,SK,voice,Progressive Slovakia,https://example.org/ps-ai-ad,2026-11-01,2026-12-31\n"
)


@pytest.fixture
def erin(db):
    return user_make("erin", "moderators", "election-ops")


def upload(text: str, name: str = "people.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_election_ops_import_people_and_likenesses_all_or_nothing(client, erin):
    login(client, erin)

    response = client.post(
        reverse("dashboard:registry-import"), {"kind": "public_figures", "file": upload(FIGURES)}
    )
    assert response.status_code == 302
    response = client.post(
        reverse("dashboard:registry-import"), {"kind": "authorized_likenesses", "file": upload(LIKENESSES)}
    )
    assert response.status_code == 302
    assert Person.objects.filter(country_id="SK").count() == 2
    assert AuthorizedLikeness.objects.get().person.name == "Michal Šimečka"

    bad = FIGURES.replace("Smer,2023-10-25", "Smer,25.10.2023") + "Zuzana Čaputová,,SK,president,,,\n"
    before = Person.objects.count()
    response = client.post(
        reverse("dashboard:registry-import"), {"kind": "public_figures", "file": upload(bad)}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was written" in page and "line 2, valid_from" in page and "line 4, role" in page
    assert Person.objects.count() == before


def test_a_file_that_is_not_utf8_is_refused_with_a_message(client, erin):
    login(client, erin)
    latin1 = SimpleUploadedFile("people.csv", FIGURES.encode("latin-1", "replace").replace(b"?", b"\xe8"))

    response = client.post(reverse("dashboard:registry-import"), {"kind": "public_figures", "file": latin1})

    assert response.status_code == 400 and "not UTF-8" in response.content.decode()


def test_election_ops_add_one_person_with_the_importers_checks(client, erin):
    login(client, erin)
    fields = {"name": "Peter Pellegrini", "aliases": "Pellegrini", "country": "SK", "role": "office_holder"}

    assert client.post(reverse("dashboard:registry-person-add"), fields).status_code == 302
    assert Person.objects.get(name="Peter Pellegrini").aliases == ["Pellegrini"]

    refused = client.post(reverse("dashboard:registry-person-add"), {**fields, "country": "XX"})
    assert refused.status_code == 400 and "Select a valid choice" in refused.content.decode()
    likeness = {
        "person": "Nobody Known",
        "country": "SK",
        "kind": "voice",
        "declared_by": "Someone",
        "evidence_url": "https://example.org/e",
        "valid_from": "2026-11-01",
    }
    refused = client.post(reverse("dashboard:registry-likeness-add"), likeness)
    assert refused.status_code == 400 and "Nothing was written" in refused.content.decode()


def test_moderators_browse_and_search_but_do_not_change_the_registry(client, alice, erin):
    login(client, erin)
    client.post(reverse("dashboard:registry-import"), {"kind": "public_figures", "file": upload(FIGURES)})
    login(client, alice)

    page = client.get(REGISTRY, {"q": "R. Fico"}).content.decode()
    assert "Robert Fico" in page and "Michal Šimečka" not in page
    assert "Party leader (Smer)" in page
    assert 'id="registry-import"' not in page
    response = client.post(
        reverse("dashboard:registry-import"), {"kind": "public_figures", "file": upload(FIGURES)}
    )
    assert response.status_code == 403


def test_outsiders_do_not_see_the_registry(client, charlie):
    assert client.get(REGISTRY).status_code == 302
    login(client, charlie)
    assert client.get(REGISTRY).status_code == 403


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium")
@pytest.mark.django_db(transaction=True)
def test_erin_imports_and_finds_a_likeness_in_the_browser(
    live_server,
    tmp_path,
    seeded_sk,
    erin,
    browser_page,  # noqa: F811 - the shared fixture, imported above
):
    figures, likenesses = tmp_path / "figures.csv", tmp_path / "likenesses.csv"
    figures.write_text(FIGURES, encoding="utf-8")
    likenesses.write_text(LIKENESSES, encoding="utf-8")
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "erin")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("table#queue")
    page.click("nav >> text=Registry")
    page.wait_for_selector("table#people")

    for kind, path in (("public_figures", figures), ("authorized_likenesses", likenesses)):
        page.select_option("#registry-import select[name=kind]", kind)
        page.set_input_files("#registry-import input[type=file]", str(path))
        page.click("#registry-import button[type=submit]")
        page.wait_for_selector("ul.messages >> text=Imported")

    page.fill("#registry-search input[name=q]", "Šimečka")
    page.click("#registry-search button[type=submit]")
    page.wait_for_selector("tr.person")
    rows = page.locator("tr.person")
    assert rows.count() == 1 and "Progressive Slovakia" in rows.first.inner_text()
    assert re.search(r"Voice, declared by Progressive Slovakia", rows.first.inner_text())
    assert "Michal Šimečka" in page.locator("table#likenesses").inner_text()


@pytest.fixture
def seeded_sk(transactional_db):
    """The seeded countries (a transactional test may start after another one flushed them)."""
    seed_calendar(only_new=True)
