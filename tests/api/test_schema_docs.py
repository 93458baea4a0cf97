"""The schema describes what the API answers, and its browsable docs work offline."""

import re

import pytest
import yaml
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client) -> dict:
    return yaml.safe_load(client.get("/api/schema/").content)


def test_lists_are_described_with_their_envelopes_and_every_query_parameter(schema):
    cases = schema["paths"]["/api/v1/cases/"]["get"]
    page = schema["components"]["schemas"]["CasePage"]
    assert set(page["properties"]) == {"count", "next", "previous", "results"}
    assert set(page["required"]) == {"next", "previous", "results"}  # count: only in the offset form
    params = {p["name"]: p["schema"] for p in cases["parameters"]}
    assert set(params) == {
        "status", "phase", "country", "created_since", "verdict", "language", "media_type", "election",
        "has_assessment", "since", "cursor", "limit", "offset", "ordering",
    }  # fmt: skip
    assert [p.get("deprecated") for p in cases["parameters"] if p["name"] == "offset"] == [True]
    assert set(cases["responses"]["200"]["headers"]) == {"Deprecation", "Sunset", "Link"}
    assert (
        params["verdict"]["enum"] == sorted(params["verdict"]["enum"])
        and "likely_synthetic" in params["verdict"]["enum"]
    )
    assert params["ordering"]["enum"] == ["newest", "urgency"]
    decisions = schema["paths"]["/api/v1/cases/{case_id}/decisions/"]["get"]
    assert {p["name"] for p in decisions["parameters"]} >= {"limit", "offset"}
    ref = decisions["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert set(schema["components"]["schemas"][ref.split("/")[-1]]["properties"]) == {
        "count", "next", "previous", "results",
    }  # fmt: skip
    media_review = schema["components"]["schemas"]["MediaReview"]["properties"]["mediaAuthenticityCategory"]
    enum = schema["components"]["schemas"][media_review["allOf"][0]["$ref"].split("/")[-1]]["enum"]
    assert enum == [
        "DecontextualizedContent", "EditedOrCroppedContent", "OriginalMediaContent",
        "SatireOrParodyContent", "StagedContent", "TransformedContent",
    ]  # fmt: skip
    assert {"401", "403", "404", "429"} <= set(cases["responses"])


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_swagger_ui_and_redoc_come_from_our_static_files(client, path):
    page = client.get(path).content.decode()
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', page) + re.findall(r'<link[^>]+href="([^"]+)"', page)
    assert scripts
    for url in scripts:
        assert url.startswith("/static/drf_spectacular_sidecar/"), url
        assert finders.find(url.removeprefix("/static/")), url


def test_an_unknown_api_path_answers_json(client):
    response = client.get("/api/v1/cases/-1/")
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}
