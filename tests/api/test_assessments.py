"""A partner's assessment: created, updated and withdrawn by its organisation only; it re-decides
the case and puts a false/manipulated rating before the moderators."""

import pytest

from config.celery import app
from integrations.partners.models import PartnerAssessment, Scope
from integrations.partners.services import partner_organisation_save, partner_token_create
from tests.kit.actors import client_with
from tests.kit.silence import make_case, make_reported_case
from triage.audit.models import AuditEvent
from triage.decisions.models import Decision, FactCheck
from triage.signals import fact_check_recorded

pytestmark = pytest.mark.django_db

RATING = {
    "media_review": {"mediaAuthenticityCategory": "TransformedContent"},
    "claim_review": {
        "claimReviewed": "A recording shows Michal Šimečka admitting the vote is rigged.",
        "reviewRating": {"alternateName": "Nepravda", "ratingValue": 1, "bestRating": 5, "worstRating": 1},
    },
    "explanation": "Hlas je syntetický: chýbajú dychové pauzy a strana nahrávku poprela.",
    "language": "SK",
    "evidence_urls": ["https://example.org/statement"],
    "published_url": "https://demagog.example/fakt/123",
}


@pytest.fixture
def recorded():
    seen = []

    def receiver(sender, **kwargs):
        seen.append((kwargs["case_id"], kwargs["change"]))

    fact_check_recorded.connect(receiver, dispatch_uid="tests.recorded")
    yield seen
    fact_check_recorded.disconnect(dispatch_uid="tests.recorded")


def test_alice_assesses_a_case_and_it_is_hers_to_change_and_withdraw(
    dana, dana_partner, held_case, recorded, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = dana.post(f"/api/v1/cases/{held_case.pk}/assessments/", RATING, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["media_review"] == {
        "mediaAuthenticityCategory": "TransformedContent",
        "originalMediaContextDescription": "",
        "originalMediaLink": "",
    }
    assert body["claim_review"]["reviewRating"]["alternateName"] == "Nepravda"
    assert body["language"] == "sk" and body["state"] == "published"
    assert body["debunk_state"] == "awaiting"
    assert recorded == [(held_case.pk, "created")]

    again = dana.post(f"/api/v1/cases/{held_case.pk}/assessments/", RATING, format="json")
    assert again.status_code == 409

    url = f"/api/v1/assessments/{body['id']}/"
    with django_capture_on_commit_callbacks(execute=True):
        patched = dana.patch(
            url, {"media_review": {"mediaAuthenticityCategory": "OriginalMediaContent"}}, format="json"
        )
    assert patched.status_code == 200, patched.content
    assert patched.json()["debunk_state"] == ""  # an authentic rating awaits no moderator
    with django_capture_on_commit_callbacks(execute=True):
        withdrawn = dana.delete(url)
    assert withdrawn.json()["state"] == "withdrawn"
    assert recorded == [(held_case.pk, c) for c in ("created", "updated", "withdrawn")]
    assert dana.patch(url, {"explanation": "x"}, format="json").status_code == 400
    assert [a["id"] for a in dana.get("/api/v1/assessments/?state=withdrawn").json()["results"]] == [
        body["id"]
    ]
    actions = set(AuditEvent.objects.filter(case=held_case).values_list("action", flat=True))
    assert {
        "partner_assessment.created",
        "partner_assessment.updated",
        "partner_assessment.withdrawn",
    } <= actions


def test_another_organisation_cannot_see_or_touch_alices_assessment(dana, held_case):
    created = dana.post(f"/api/v1/cases/{held_case.pk}/assessments/", RATING, format="json").json()
    rival = partner_organisation_save(name="Rival Checks", countries=["SK"])
    _, raw = partner_token_create(name="Rival", scopes=list(Scope.values), partner=rival)
    eve = client_with(raw)
    url = f"/api/v1/assessments/{created['id']}/"
    assert eve.get(url).status_code == 404
    assert eve.delete(url).status_code == 404
    assert eve.get(f"/api/v1/cases/{held_case.pk}/assessments/").json() == []
    assert PartnerAssessment.objects.get().state == "published"


def test_bad_assessments_are_400s_with_the_field_named(dana, held_case):
    bad = {
        **RATING,
        "media_review": {"mediaAuthenticityCategory": "Fake"},
        "language": "slovak",
        "evidence_urls": ["javascript:alert(1)"],
    }
    errors = dana.post(f"/api/v1/cases/{held_case.pk}/assessments/", bad, format="json").json()
    assert set(errors) == {"media_review", "language", "evidence_urls"}
    assert "mediaAuthenticityCategory" in errors["media_review"]
    decontext = {**RATING, "media_review": {"mediaAuthenticityCategory": "DecontextualizedContent"}}
    response = dana.post(f"/api/v1/cases/{held_case.pk}/assessments/", decontext, format="json")
    assert set(response.json()) == {"original_media_context_description"}
    out_of_range = {
        **RATING,
        "claim_review": {
            **RATING["claim_review"],
            "reviewRating": {"alternateName": "False", "ratingValue": 9, "bestRating": 5, "worstRating": 1},
        },
    }
    response = dana.post(f"/api/v1/cases/{held_case.pk}/assessments/", out_of_range, format="json")
    assert set(response.json()) == {"rating_value"}


def test_out_of_scope_cases_cannot_be_assessed(dana):
    german = make_case("DE")
    assert dana.post(f"/api/v1/cases/{german.pk}/assessments/", RATING, format="json").status_code == 404


def test_a_read_only_token_cannot_assess(dana_partner, held_case):
    _, raw = partner_token_create(name="Reader", scopes=[Scope.CASES_READ], partner=dana_partner)
    response = client_with(raw).post(f"/api/v1/cases/{held_case.pk}/assessments/", RATING, format="json")
    assert response.status_code == 403


def test_an_assessment_makes_the_policy_decide_the_case(
    dana, slovak_election, active_policy, party_leader, django_capture_on_commit_callbacks
):
    case = make_reported_case("SK")  # verdict fused, no decision yet
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = dana.post(f"/api/v1/cases/{case.pk}/assessments/", RATING, format="json")
    finally:
        app.conf.task_always_eager = previous
    assert response.status_code == 201
    assert Decision.objects.filter(case=case, is_current=True).exists()
    decided = AuditEvent.objects.get(case=case, action="case.decided")
    assert decided.inputs["trigger"] == "fact_checked"


def test_published_assessments_export_as_claim_review_and_media_review(dana, dana_partner, held_case):
    from integrations.factcheck import claim_review_validate, media_review_validate
    from triage.models import Submission

    Submission.objects.filter(case=held_case).update(content_url="https://vidshare.example/p/9")
    dana_partner.url = "https://demagog.example/"
    dana_partner.save(update_fields=["url"])
    draft = make_reported_case("CZ")
    dana.post(f"/api/v1/cases/{held_case.pk}/assessments/", RATING, format="json")
    dana.post(f"/api/v1/cases/{draft.pk}/assessments/", {**RATING, "published_url": ""}, format="json")

    response = dana.get("/api/v1/assessments/export/")
    assert response.status_code == 200 and response["Content-Type"] == "application/ld+json"
    graph = response.json()["@graph"]
    assert [node["@type"] for node in graph] == [
        "ClaimReview",
        "MediaReview",
    ]  # the unpublished one is left out
    claim, media = ({"@context": "https://schema.org", **node} for node in graph)
    assert claim_review_validate(claim) == {} and media_review_validate(media) == {}
    assert claim["reviewRating"]["alternateName"] == "Nepravda"
    assert claim["author"] == {
        "@type": "Organization",
        "name": "Dana Fact Check",
        "url": "https://demagog.example/",
    }
    assert media["mediaAuthenticityCategory"] == "TransformedContent"
    assert media["itemReviewed"]["mediaItemAppearance"] == [
        {"@type": "AudioObject", "contentUrl": "https://vidshare.example/p/9"}
    ]
    only_claims = dana.get("/api/v1/assessments/export/?type=ClaimReview").json()["@graph"]
    assert [node["@type"] for node in only_claims] == ["ClaimReview"]
    assert set(dana.get("/api/v1/assessments/export/?type=Review").json()) == {"type"}


def test_a_published_false_rating_is_the_policys_fact_check_until_withdrawn(
    dana, slovak_election, active_policy, party_leader, django_capture_on_commit_callbacks
):
    case = make_reported_case("SK")
    response = dana.post(f"/api/v1/cases/{case.pk}/assessments/", RATING, format="json")
    assert response.status_code == 201, response.content

    fact_check = FactCheck.objects.get(case=case)
    assert (fact_check.fact_checker, fact_check.url) == ("Dana Fact Check", RATING["published_url"])
    assert fact_check.rating == "manipulated"  # "Nepravda" is not the word "false"; the category says edited

    assert dana.delete(f"/api/v1/assessments/{response.json()['id']}/").status_code == 200
    assert not FactCheck.objects.filter(case=case).exists()
