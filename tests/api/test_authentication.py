"""Bearer tokens: hashed at rest, shown once, revocable; no token or a wrong one is a 401."""

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from integrations.partners.models import PartnerToken

pytestmark = pytest.mark.django_db
CASES = "/api/v1/cases/"


def test_charlie_without_a_token_is_asked_to_authenticate(frank):
    response = frank.get(CASES)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_charlie_with_a_revoked_token_is_refused(grace):
    response = grace.get(CASES)
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid or revoked token."}


def test_a_made_up_or_malformed_token_is_refused(client):
    assert client.get(CASES, HTTP_AUTHORIZATION="Bearer mor_not-a-real-token").status_code == 401
    assert client.get(CASES, HTTP_AUTHORIZATION="Bearer two parts").status_code == 401
    assert client.get(CASES, HTTP_AUTHORIZATION="Bearer").status_code == 401


def test_bob_without_the_scope_is_forbidden_and_told_which_scope(erin):
    response = erin.get(CASES)
    assert response.status_code == 403
    assert response.json() == {"detail": "This token does not have the cases:read scope."}


def test_alice_with_the_scope_gets_in_and_her_token_records_its_use(dana):
    assert PartnerToken.objects.get(name="Dana Fact Check").last_used_at is None
    assert dana.get(CASES).status_code == 200
    assert PartnerToken.objects.get(name="Dana Fact Check").last_used_at is not None


def test_create_partner_token_prints_the_token_once_and_stores_only_its_hash():
    out = StringIO()
    call_command("create_partner_token", "Demagog", "--scopes", "cases:read", "calendar:read", stdout=out)
    raw = out.getvalue().strip().splitlines()[-1]
    token = PartnerToken.objects.get(name="Demagog")
    assert raw.startswith("mor_") and len(raw) >= 40
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert token.scopes == ["calendar:read", "cases:read"]
    assert raw not in str(PartnerToken.objects.filter(pk=token.pk).values().get())


def test_create_partner_token_refuses_an_unknown_scope():
    with pytest.raises(CommandError, match="Unknown scope"):
        call_command("create_partner_token", "Demagog", "--scopes", "cases:write", stdout=StringIO())
    assert not PartnerToken.objects.exists()


def test_a_token_revoked_in_the_admin_stops_working(admin_client, dana):
    token = PartnerToken.objects.get(name="Dana Fact Check")
    response = admin_client.post(
        reverse("admin:partners_partnertoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    assert dana.get(CASES).status_code == 401


def test_the_rate_limit_is_per_token(dana, erin, settings):
    settings.PARTNER_API_RATE = "2/minute"
    assert [dana.get(CASES).status_code for _ in range(3)] == [200, 200, 429]
    assert erin.get("/api/v1/calendar/status").status_code == 200  # erin has his own allowance


def test_the_api_documentation_is_served(client):
    assert client.get("/api/docs/").status_code == 200
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/cases/" in schema
    assert "partnerToken" in schema
