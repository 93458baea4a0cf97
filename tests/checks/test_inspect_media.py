"""`python manage.py inspect_media FILE [--json] [--trust-anchors PEM]` for analysts."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from triage.evidence.banks.services import bank_add_file, bank_get_or_create

from . import media

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_signatures")]


def inspect(path, *args) -> str:
    out = StringIO()
    call_command("inspect_media", str(path), *args, stdout=out)
    return out.getvalue()


def test_json_report_has_exactly_the_documented_shape(tmp_path, generator_ca):
    path = tmp_path / "generated.jpg"
    path.write_bytes(media.c2pa_sign(media.jpeg_bytes(), "image/jpeg", generator_ca, generator="ImageGen AI"))

    report = json.loads(inspect(path, "--json"))

    assert set(report) == {
        "sha256",
        "media_type",
        "provenance",
        "metadata_markers",
        "matches",
        "watermarks",
        "verdict",
    }
    assert report["media_type"] == "image"
    assert report["provenance"] == {
        "present": True,
        "validation_state": "valid",
        "trusted": False,
        "digital_source_types": ["trainedAlgorithmicMedia"],
        "signer": "ImageGen Signer",
        "claim_generator": "ImageGen AI 1.0",
        "failures": [],
    }
    assert report["verdict"]["label"] == "disclosed_synthetic"
    assert set(report["verdict"]) == {"label", "confidence", "reasons"}


def test_trust_anchors_make_a_capture_trusted_authentic_evidence(tmp_path, newsroom_ca):
    path = tmp_path / "capture.wav"
    path.write_bytes(
        media.c2pa_sign(
            media.audio_bytes("wav"), "audio/wav", newsroom_ca, digital_source_type="digitalCapture"
        )
    )
    anchors = newsroom_ca.write_anchors(tmp_path / "anchors.pem")

    report = json.loads(inspect(path, "--json", "--trust-anchors", str(anchors)))

    assert report["media_type"] == "audio"
    assert report["provenance"]["trusted"] is True
    assert report["verdict"]["label"] == "authentic_evidence"


def test_tampered_provenance_is_flagged_first(tmp_path, newsroom_ca):
    path = tmp_path / "edited.jpg"
    signed = media.c2pa_sign(
        media.jpeg_bytes(), "image/jpeg", newsroom_ca, digital_source_type="digitalCapture"
    )
    path.write_bytes(media.tamper(signed))

    report = json.loads(inspect(path, "--json"))

    assert report["provenance"]["validation_state"] == "invalid"
    assert "assertion.dataHash.mismatch" in report["provenance"]["failures"]
    assert report["verdict"]["reasons"][0].startswith("WARNING: the C2PA provenance FAILED validation")


def test_metadata_markers_are_listed(tmp_path):
    path = tmp_path / "00001.png"
    path.write_bytes(media.png_bytes(text={"parameters": "Steps: 20"}))

    report = json.loads(inspect(path, "--json"))

    assert report["metadata_markers"][0]["key"] == "parameters"
    assert report["verdict"]["label"] == "disclosed_synthetic"


def test_a_match_in_an_authentic_bank_is_shown_with_the_banked_file(tmp_path):
    original = tmp_path / "minister-address.jpg"
    original.write_bytes(media.jpeg_bytes(size=(320, 240), seed=31))
    bank_add_file(bank=bank_get_or_create(name="official", purpose="authentic"), path=original)
    reupload = tmp_path / "reupload.jpg"
    reupload.write_bytes(media.jpeg_bytes(size=(320, 240), seed=31, quality=60))

    report = json.loads(inspect(reupload, "--json"))

    [match] = report["matches"]
    assert (match["bank"], match["purpose"]) == ("official", "authentic")
    assert set(match) >= {"bank", "purpose", "distance", "item"}
    assert match["item"]["original_name"] == "minister-address.jpg"
    assert len(match["item"]["sha256"]) == 64
    assert report["verdict"]["label"] == "authentic_evidence"


def test_human_output_names_the_verdict_and_its_reasons(tmp_path, generator_ca):
    path = tmp_path / "voice.mp3"
    path.write_bytes(
        media.c2pa_sign(media.audio_bytes("mp3"), "audio/mpeg", generator_ca, generator="VoiceGen")
    )

    text = inspect(path)

    assert "C2PA: valid (untrusted), signer ImageGen Signer, generator VoiceGen 1.0" in text
    assert "Verdict: disclosed_synthetic" in text


def test_a_hostile_file_is_reported_unparseable(tmp_path):
    path = tmp_path / "fake.jpg"
    path.write_bytes(media.random_with_jpeg_header())

    report = json.loads(inspect(path, "--json"))

    assert report["provenance"]["validation_state"] == "unparseable"


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        inspect(tmp_path / "nope.jpg")


def test_a_missing_trust_list_is_a_clear_error(tmp_path):
    path = tmp_path / "photo.jpg"
    path.write_bytes(media.jpeg_bytes())

    with pytest.raises(CommandError, match="--trust-anchors"):
        inspect(path, "--trust-anchors", str(tmp_path / "missing.pem"))
