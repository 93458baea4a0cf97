"""A partner organisation sees the cases in its scope (countries, languages) or shared with it.

dana's organisation covers SK and CZ; dora's covers Hungarian-language content; anything else
is as invisible as an id that does not exist.
"""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from integrations.partners.models import PartnerToken, Scope
from integrations.partners.services import (
    case_share,
    partner_organisation_save,
    partner_token_create,
    partner_token_rotate,
)
from tests.kit.actors import client_with
from tests.kit.silence import make_case, make_reported_case
from triage.audit.models import AuditEvent
from triage.models import Submission

pytestmark = pytest.mark.django_db


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [c["id"] for c in response.json()["results"]]


@pytest.fixture
def dora_partner(db):
    return partner_organisation_save(name="Dora Tényellenőrző", languages=["hu"])


@pytest.fixture
def dora(dora_partner):
    _, raw = partner_token_create(name="Dora", scopes=list(Scope.values), partner=dora_partner)
    return client_with(raw)


def test_a_partner_sees_its_countries_and_languages_and_nothing_else(dana, dora):
    slovak = make_case("SK")
    german = make_case("DE")
    hungarian_post = make_reported_case("RO")
    Submission.objects.filter(case=hungarian_post).update(language="hu-RO")

    assert ids(dana.get("/api/v1/cases/")) == [slovak.pk]
    assert ids(dora.get("/api/v1/cases/")) == [hungarian_post.pk]
    for case in (german, hungarian_post):
        response = dana.get(f"/api/v1/cases/{case.pk}/")
        assert response.status_code == 404
        assert response.json() == dana.get("/api/v1/cases/999999/").json()
        assert dana.get(f"/api/v1/cases/{case.pk}/decisions/").status_code == 404


def test_a_moderator_shares_a_case_outside_the_scope(dana, dana_partner, django_user_model):
    german = make_case("DE")
    assert dana.get(f"/api/v1/cases/{german.pk}/").status_code == 404
    moderator = django_user_model.objects.create_user("mia")
    case_share(case_id=german.pk, partner=dana_partner, user=moderator, note="Slovak politician quoted")
    assert dana.get(f"/api/v1/cases/{german.pk}/").status_code == 200
    assert german.pk in ids(dana.get("/api/v1/cases/"))
    assert AuditEvent.objects.filter(action="case.shared_with_partner", case=german).exists()


def test_the_offset_forms_count_is_the_scope_by_country_language_and_share(dana_partner, django_user_model):
    """The count reads the scope in another SQL form than the pages (whole sets, not per-case
    probes): both must see the same cases."""
    _, raw = partner_token_create(name="Both", scopes=list(Scope.values), partner=dana_partner)
    dana_partner.languages = ["hu"]
    dana_partner.save(update_fields=["languages"])
    both = client_with(raw)
    slovak, czech_german = make_case("SK"), make_case("CZ", "DE")
    hungarian_post = make_reported_case("RO")
    Submission.objects.filter(case=hungarian_post).update(language="HU-ro")
    shared, unseen = make_case("DE"), make_case("FR")
    case_share(case_id=shared.pk, partner=dana_partner, user=django_user_model.objects.create_user("mo"))

    body = both.get("/api/v1/cases/?offset=0").json()
    expected = {slovak.pk, czech_german.pk, hungarian_post.pk, shared.pk}
    assert {c["id"] for c in body["results"]} == set(ids(both.get("/api/v1/cases/"))) == expected
    assert body["count"] == 4 and unseen.pk not in expected
    assert both.get("/api/v1/cases/?offset=0&country=DE").json()["count"] == 2
    assert both.get("/api/v1/cases/?offset=0&language=hu").json()["count"] == 1


def test_a_case_carries_what_was_posted_but_not_who_reported_it(dana, held_case):
    Submission.objects.filter(case=held_case).update(
        text="Šimečka admits the vote is rigged",
        language="sk",
        content_url="https://vidshare.example/p/1",
        report_note="my neighbour sent it",
    )
    body = dana.get(f"/api/v1/cases/{held_case.pk}/").json()
    assert body["text"] == "Šimečka admits the vote is rigged"
    assert body["subjects"] == ["Michal Šimečka"]
    assert body["language"] == "sk"
    assert body["public_urls"] == ["https://vidshare.example/p/1"]
    assert body["verdict"]["label"] == "likely_synthetic"
    assert body["decision"]["decided_by"] == "policy"
    assert "my neighbour" not in str(body)
    decisions = dana.get(f"/api/v1/cases/{held_case.pk}/decisions/").json()["results"]
    assert "notes" not in decisions[0]


def test_unknown_query_parameters_are_400s_naming_them(dana):
    response = dana.get("/api/v1/cases/?election_id=3&countr=SK&country=SK")
    assert response.status_code == 400
    assert set(response.json()) == {"election_id", "countr"}
    assert set(dana.get("/api/v1/calendar/status?contry=SK").json()) == {"contry"}


def test_new_filters_language_media_type_election_assessment_since(dana, held_case, slovak_election):
    other = make_case("CZ")
    Submission.objects.filter(case=held_case).update(language="sk")
    assert ids(dana.get("/api/v1/cases/?language=SK")) == [held_case.pk]
    assert ids(dana.get("/api/v1/cases/?media_type=audio")) == [held_case.pk]
    assert ids(dana.get(f"/api/v1/cases/?election={slovak_election.pk}")) == [held_case.pk]
    assert ids(dana.get("/api/v1/cases/?has_assessment=false")) == [other.pk, held_case.pk]
    assert ids(dana.get("/api/v1/cases/?has_assessment=true")) == []
    assert ids(dana.get("/api/v1/cases/?since=2999-01-01T00:00:00Z")) == []
    errors = dana.get("/api/v1/cases/?language=slovak&media_type=text&election=999999").json()
    assert set(errors) == {"language", "media_type", "election"}


def test_urgency_ordering_puts_the_highest_priority_first(dana):
    low, high, middle = make_case("SK"), make_case("SK"), make_case("SK")
    for case, priority in ((low, 1), (high, 100), (middle, 50)):
        case.priority = priority
        case.save(update_fields=["priority"])
    assert ids(dana.get("/api/v1/cases/?ordering=urgency")) == [high.pk, middle.pk, low.pk]
    first = dana.get("/api/v1/cases/?ordering=urgency&limit=1").json()
    assert ids(dana.get(first["next"])) == [middle.pk]
    assert set(dana.get("/api/v1/cases/?ordering=priority").json()) == {"ordering"}


def test_every_partner_request_is_audited(dana, dana_partner, held_case):
    dana.get(f"/api/v1/cases/{held_case.pk}/")
    dana.get("/api/v1/cases/888888/")
    reads = AuditEvent.objects.filter(action="partner_api.read").order_by("at", "id")
    assert [(e.case_id, e.outcome["status"]) for e in reads] == [(held_case.pk, 200), (None, 404)]
    assert all(e.inputs["partner_id"] == dana_partner.pk for e in reads)
    assert reads[1].inputs["case_id"] == 888888


def test_tokens_expire_rotate_and_belong_to_the_organisation(dana_partner):
    token, raw = partner_token_create(name="Alice CI", scopes=[Scope.CASES_READ], partner=dana_partner)
    assert token.expires_at > timezone.now() + timedelta(days=300)
    new, new_raw = partner_token_rotate(token=token, grace=timedelta(minutes=10))
    assert new.partner == dana_partner and new.rotated_from == token and new_raw != raw
    assert client_with(raw).get("/api/v1/cases/").status_code == 200  # within the grace
    assert client_with(new_raw).get("/api/v1/cases/").status_code == 200
    token.refresh_from_db()
    assert timezone.now() < token.expires_at <= timezone.now() + timedelta(minutes=10)
    # The grace (or any expiry) ends: the token is refused.
    PartnerToken.objects.filter(pk__in=[token.pk, new.pk]).update(expires_at=timezone.now())
    assert client_with(raw).get("/api/v1/cases/").status_code == 401
    assert client_with(new_raw).get("/api/v1/cases/").status_code == 401
    assert AuditEvent.objects.filter(action="partner_token.rotated").exists()


def test_rotation_without_grace_revokes_at_once(dana_partner):
    token, raw = partner_token_create(name="Alice CI", scopes=[Scope.CASES_READ], partner=dana_partner)
    _, new_raw = partner_token_rotate(token=token)
    assert client_with(raw).get("/api/v1/cases/").status_code == 401
    assert client_with(new_raw).get("/api/v1/cases/").status_code == 200


def test_a_disabled_organisation_loses_every_token(dana, dana_partner):
    dana_partner.enabled = False
    dana_partner.save(update_fields=["enabled"])
    assert dana.get("/api/v1/cases/").status_code == 401


def test_media_through_a_signed_link_that_expires(dana, held_case, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    media = held_case.media_item
    media.file.name = default_storage.save(f"media/{media.sha256}", ContentFile(b"ID3 fake mp3 bytes"))
    media.save(update_fields=["file"])
    body = dana.get(f"/api/v1/cases/{held_case.pk}/").json()
    anonymous = client_with(None)

    response = anonymous.get(body["media_url"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"ID3 fake mp3 bytes"
    assert AuditEvent.objects.filter(action="partner_api.media").count() == 1

    tampered = body["media_url"].rstrip("/")[:-2] + "xx/"
    assert anonymous.get(tampered).status_code == 404
    settings.PARTNER_MEDIA_URL_MINUTES = 0  # every link is now older than its life
    assert anonymous.get(body["media_url"]).status_code == 410
