"""GET /api/v1/cases/ and /cases/<id>/: live cases with filters, never reporters' data."""

import pytest
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from integrations.partners.api import selectors
from integrations.partners.api.views import CaseOutputSerializer, case_output_context
from integrations.partners.models import PartnerToken
from tests.kit.silence import make_case, make_reported_case
from triage.models import CaseStatus

pytestmark = pytest.mark.django_db
# What the posts say (text, subjects, public URLs) is shown since issue 14; who reported never is.
REPORTER_FIELDS = {"submissions", "report_note", "report_source", "report_reason", "email", "notes"}


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [c["id"] for c in response.json()["results"]]


def test_alice_lists_live_cases_newest_first_with_their_current_decision(dana, held_case):
    other = make_case("CZ")
    merged = make_case("SK", status=CaseStatus.MERGED)
    merged.merged_into = other
    merged.save(update_fields=["merged_into"])

    body = dana.get("/api/v1/cases/").json()

    assert [c["id"] for c in body["results"]] == [other.pk, held_case.pk]
    assert body["next"] is None and body["previous"] is None
    held = body["results"][1]
    assert held["audience_countries"] == ["SK"]
    assert held["media_type"] == "audio"
    assert held["decision"]["phase"] == "silence"
    assert [a["type"] for a in held["decision"]["actions"]] == ["removal_hold", "label"]
    assert not REPORTER_FIELDS & set(held)


def test_filters_by_country_status_phase_verdict_and_creation(dana, held_case):
    czech = make_case("CZ")
    assert ids(dana.get("/api/v1/cases/?country=sk")) == [held_case.pk]
    assert ids(dana.get("/api/v1/cases/?status=new")) == [czech.pk]
    assert ids(dana.get("/api/v1/cases/?phase=silence")) == [held_case.pk]
    assert ids(dana.get("/api/v1/cases/?verdict=likely_synthetic")) == [held_case.pk]
    assert ids(dana.get("/api/v1/cases/?verdict=uncertain")) == []
    assert ids(dana.get("/api/v1/cases/?created_since=2000-01-01T00:00:00Z")) == [czech.pk, held_case.pk]
    assert ids(dana.get("/api/v1/cases/?created_since=2999-01-01T00:00:00Z")) == []


def test_bad_filters_are_400s_naming_the_parameter(dana):
    response = dana.get("/api/v1/cases/?status=closed&country=Slovakia&created_since=yesterday&phase=x")
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"status", "country", "created_since", "phase"}
    assert errors["country"] == ["Give an ISO 3166-1 alpha-2 code, e.g. SK."]
    assert dana.get("/api/v1/cases/?limit=abc").status_code == 200  # DRF falls back to the default


def test_cursor_pagination_forward_and_back(dana):
    cases = [make_case("SK") for _ in range(3)]
    first = dana.get("/api/v1/cases/?limit=2").json()
    assert [c["id"] for c in first["results"]] == [cases[2].pk, cases[1].pk]
    assert first["previous"] is None
    second = dana.get(first["next"]).json()
    assert [c["id"] for c in second["results"]] == [cases[0].pk]
    assert second["next"] is None
    back = dana.get(second["previous"]).json()
    assert [c["id"] for c in back["results"]] == [cases[2].pk, cases[1].pk]
    assert back["previous"] is None
    # A case arriving between two calls shows up before the first page, never twice or skipped.
    make_case("SK")
    assert ids(dana.get(first["next"])) == [cases[0].pk]


def test_a_forged_cursor_and_offset_with_cursor_are_400s(dana):
    assert set(dana.get("/api/v1/cases/?cursor=bm9wZQ").json()) == {"cursor"}
    first = dana.get("/api/v1/cases/?limit=1").json()
    assert first["next"] is None  # no cases: the cursor below is one a client could hold anyway
    make_case("SK"), make_case("SK")
    cursor_url = dana.get("/api/v1/cases/?limit=1").json()["next"]
    response = dana.get(cursor_url + "&offset=1")
    assert response.status_code == 400 and set(response.json()) == {"offset"}


def test_the_cursor_form_has_no_count_and_no_deprecation_headers(dana):
    make_case("SK")
    response = dana.get("/api/v1/cases/")
    assert set(response.json()) == {"next", "previous", "results"}
    assert "Deprecation" not in response and "Sunset" not in response


def test_old_scripts_with_limit_and_offset_keep_working_with_count_and_offset_links(dana):
    """Partners' scripts from before cursors: {count, next, previous, results}, limit/offset links."""
    cases = [make_case("SK") for _ in range(5)]
    make_case("DE")  # out of dana's scope: not counted
    newest_first = [c.pk for c in reversed(cases)]

    first = dana.get("/api/v1/cases/?limit=2&offset=0")
    body = first.json()
    assert first.status_code == 200
    assert list(body) == ["count", "next", "previous", "results"]
    assert body["count"] == 5
    assert [c["id"] for c in body["results"]] == newest_first[:2]
    assert body["previous"] is None
    assert body["next"] == "http://testserver/api/v1/cases/?limit=2&offset=2"

    second = dana.get(body["next"]).json()
    assert [c["id"] for c in second["results"]] == newest_first[2:4]
    assert second["previous"] == "http://testserver/api/v1/cases/?limit=2"
    last = dana.get(second["next"]).json()
    assert [c["id"] for c in last["results"]] == newest_first[4:]
    assert last["next"] is None and last["count"] == 5
    assert dana.get("/api/v1/cases/?offset=99").json() == {
        "count": 5, "next": None, "previous": "http://testserver/api/v1/cases/?offset=49", "results": [],
    }  # fmt: skip
    # As DRF's LimitOffsetPagination did: an unreadable or negative offset is 0; huge is past the end.
    assert ids(dana.get("/api/v1/cases/?offset=-3&limit=1")) == newest_first[:1]
    assert ids(dana.get("/api/v1/cases/?offset=abc&limit=1")) == newest_first[:1]
    assert ids(dana.get(f"/api/v1/cases/?offset={10**30}")) == []
    # Filters and urgency ordering combine with it.
    assert dana.get("/api/v1/cases/?offset=0&country=DE").json()["count"] == 0
    cases[1].priority = 90
    cases[1].save(update_fields=["priority"])
    assert ids(dana.get("/api/v1/cases/?offset=0&limit=2&ordering=urgency")) == [cases[1].pk, newest_first[0]]


def test_the_offset_form_says_it_is_deprecated_and_links_the_same_page_as_a_cursor(dana):
    cases = [make_case("SK") for _ in range(5)]
    response = dana.get("/api/v1/cases/?limit=2&offset=2")
    assert response["Deprecation"] == "@1796256000"  # 2026-12-03T00:00:00Z
    assert response["Sunset"] == "Wed, 30 Jun 2027 23:59:59 GMT"
    successor = response["Link"]
    assert successor.startswith("<http://testserver/api/v1/cases/?") and "cursor=" in successor
    assert "offset" not in successor
    assert successor.endswith('>; rel="successor-version"')
    same_page = dana.get(successor[1 : successor.index(">")])
    assert "Deprecation" not in same_page
    assert ids(same_page) == ids(response) == [cases[2].pk, cases[1].pk]
    first = dana.get("/api/v1/cases/?offset=0&limit=2")
    assert first["Link"] == '<http://testserver/api/v1/cases/?limit=2>; rel="successor-version"'


def test_after_the_sunset_offset_answers_400_naming_it(dana, settings):
    settings.PARTNER_API_OFFSET_SUNSET = "2020-01-01T00:00:00Z"
    response = dana.get("/api/v1/cases/?offset=0")
    assert response.status_code == 400
    assert response.json() == {
        "offset": ["The offset form ended on 2020-01-01: follow the next links (cursor)."]
    }


def test_case_detail_and_404s(dana, held_case):
    body = dana.get(f"/api/v1/cases/{held_case.pk}/").json()
    assert body["id"] == held_case.pk
    assert body["decision"]["verdict"]["label"] == "likely_synthetic"
    assert dana.get("/api/v1/cases/999999/").status_code == 404
    survivor = make_reported_case("CZ")
    merged = make_case("CZ", status=CaseStatus.MERGED)
    merged.merged_into = survivor
    merged.save(update_fields=["merged_into"])
    assert dana.get(f"/api/v1/cases/{merged.pk}/").status_code == 404


def test_the_lean_case_representation_is_what_the_declared_fields_give(dana, held_case, dana_partner):
    """CaseOutputSerializer builds its dict directly for speed; the schema comes from its fields,
    so both must agree on every field and value (with and without a decision, verdict or media)."""
    make_case("SK")  # no decision, no media
    request = APIRequestFactory().get("/api/v1/cases/")
    request.auth = PartnerToken.objects.filter(partner=dana_partner).first()
    cases = list(selectors.partner_cases(partner=dana_partner))
    assert len(cases) == 2
    context = case_output_context(request, cases)
    lean = CaseOutputSerializer(context=context)
    for case in cases:
        fast = lean.to_representation(case)
        declared = dict(serializers.Serializer.to_representation(lean, case))
        assert fast == declared
        assert list(fast) == list(declared)
    assert lean.to_representation(cases[1])["decision"]["verdict"]["label"] == "likely_synthetic"
    assert lean.to_representation(cases[1])["media_url"].startswith("http://testserver/api/v1/media/")
