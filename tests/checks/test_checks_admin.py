"""Operators edit generator signatures and detectors in the admin; keys never appear there."""

import pytest
from django.contrib.auth import get_user_model

from triage.evidence.models import DetectorConfig, GeneratorSignature

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_signatures")]


def test_an_operator_adds_a_generator_signature_in_the_admin(olivia_client):
    response = olivia_client.post(
        "/admin/checks/generatorsignature/add/",
        {
            "field": "exif_software",
            "pattern": "VoxForge",
            "generator": "VoxForge",
            "declares_ai": "on",
            "enabled": "on",
        },
    )

    assert response.status_code == 302
    assert GeneratorSignature.objects.filter(pattern="VoxForge", declares_ai=True).exists()


def test_the_signature_list_shows_the_defaults(olivia_client):
    response = olivia_client.get("/admin/checks/generatorsignature/?q=parameters")

    assert response.status_code == 200
    assert b"AUTOMATIC1111" in response.content


def test_a_detector_is_configured_with_the_name_of_its_key_variable_not_the_key(olivia_client):
    response = olivia_client.get("/admin/checks/detectorconfig/add/")

    assert response.status_code == 200
    assert b"api_key_env" in response.content
    assert {f.name for f in DetectorConfig._meta.fields}.isdisjoint({"api_key", "key", "secret"})


def test_bob_without_staff_rights_is_sent_to_the_login(client):
    bob = get_user_model().objects.create_user("bob", "bob@example.org", "pw-bob-123")
    client.force_login(bob)

    response = client.get("/admin/checks/generatorsignature/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
