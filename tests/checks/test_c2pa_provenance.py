"""C2PA provenance: present or absent, valid, trusted, tampered, what it declares; images and audio."""

import pytest

from integrations.provenance.c2pa_check import C2paCheck

from . import media
from .loopback import VendorServer


def test_plain_jpeg_has_no_provenance(media_file):
    result = C2paCheck().run(media_file(media.jpeg_bytes(), "photo.jpg"))

    assert result.label == "absent"
    assert result.evidence["present"] is False


def test_ai_declared_image_is_valid_but_untrusted_without_a_trust_list(media_file, generator_ca):
    signed = media.c2pa_sign(media.jpeg_bytes(), "image/jpeg", generator_ca, generator="ImageGen AI")

    result = C2paCheck().run(media_file(signed, "generated.jpg"))

    assert result.label == "valid"
    assert result.evidence["trusted"] is False
    assert result.evidence["digital_source_types"] == ["trainedAlgorithmicMedia"]
    assert result.evidence["signer"] == "ImageGen Signer"
    assert result.evidence["issuer"] == "ImageGen Inc"
    assert result.evidence["claim_generator"] == "ImageGen AI 1.0"
    assert result.evidence["failures"] == []


def test_capture_declared_image_is_trusted_when_its_root_is_on_the_trust_list(
    media_file, newsroom_ca, tmp_path
):
    signed = media.c2pa_sign(
        media.jpeg_bytes(),
        "image/jpeg",
        newsroom_ca,
        digital_source_type="digitalCapture",
        generator="NewsCam",
    )
    anchors = newsroom_ca.write_anchors(tmp_path / "anchors.pem")

    result = C2paCheck(trust_anchors_file=str(anchors)).run(media_file(signed, "capture.jpg"))

    assert result.label == "trusted"
    assert result.evidence["trusted"] is True
    assert result.evidence["digital_source_types"] == ["digitalCapture"]


def test_the_trust_list_setting_is_used_when_no_file_is_passed(media_file, newsroom_ca, tmp_path, settings):
    settings.C2PA_TRUST_ANCHORS_FILE = str(newsroom_ca.write_anchors(tmp_path / "anchors.pem"))
    signed = media.c2pa_sign(
        media.png_bytes(), "image/png", newsroom_ca, digital_source_type="digitalCapture"
    )

    assert C2paCheck().run(media_file(signed, "capture.png")).label == "trusted"


def test_a_signer_from_another_ca_stays_untrusted_under_a_trust_list(
    media_file, newsroom_ca, generator_ca, tmp_path
):
    signed = media.c2pa_sign(media.jpeg_bytes(), "image/jpeg", generator_ca)
    anchors = newsroom_ca.write_anchors(tmp_path / "anchors.pem")

    result = C2paCheck(trust_anchors_file=str(anchors)).run(media_file(signed, "other.jpg"))

    assert result.evidence["trusted"] is False
    assert result.label in ("valid", "invalid")
    assert result.label != "trusted"


def test_an_edit_after_signing_fails_validation_with_the_hash_mismatch_code(media_file, newsroom_ca):
    signed = media.c2pa_sign(
        media.jpeg_bytes(), "image/jpeg", newsroom_ca, digital_source_type="digitalCapture"
    )

    result = C2paCheck().run(media_file(media.tamper(signed), "edited.jpg"))

    assert result.label == "invalid"
    assert result.evidence["present"] is True
    assert "assertion.dataHash.mismatch" in result.evidence["failures"]


@pytest.mark.parametrize("ext", ["wav", "mp3", "m4a", "flac"])
def test_ai_declared_audio_is_read_in_every_audio_container(media_file, generator_ca, ext):
    mime_type = media.AUDIO_FORMATS[ext][2]
    signed = media.c2pa_sign(media.audio_bytes(ext), mime_type, generator_ca, generator="VoiceGen")

    result = C2paCheck().run(media_file(signed, f"voice.{ext}"))

    assert result.label == "valid"
    assert result.evidence["digital_source_types"] == ["trainedAlgorithmicMedia"]
    assert result.evidence["claim_generator"] == "VoiceGen 1.0"


@pytest.mark.parametrize(
    "make, mime_type, name",
    [
        (lambda: media.png_bytes(), "image/png", "generated.png"),
        (lambda: media.webp_with_xmp(b"<x/>"), "image/webp", "generated.webp"),
        (lambda: media.mp4_bytes(), "video/mp4", "generated.mp4"),
    ],
)
def test_ai_declared_png_webp_and_video_are_read(media_file, generator_ca, make, mime_type, name):
    result = C2paCheck().run(media_file(media.c2pa_sign(make(), mime_type, generator_ca), name))

    assert result.label == "valid"
    assert result.evidence["digital_source_types"] == ["trainedAlgorithmicMedia"]


def test_tampered_audio_fails_validation(media_file, newsroom_ca):
    signed = media.c2pa_sign(
        media.audio_bytes("wav"), "audio/wav", newsroom_ca, digital_source_type="digitalCapture"
    )

    result = C2paCheck().run(media_file(media.tamper(signed, at_fraction=0.5), "speech.wav"))

    assert result.label == "invalid"
    assert result.evidence["failures"]


def test_plain_audio_has_no_provenance(media_file):
    assert C2paCheck().run(media_file(media.audio_bytes("mp3"), "speech.mp3")).label == "absent"


def test_a_remote_manifest_is_not_fetched_and_reported_not_checked(media_file, newsroom_ca):
    with VendorServer() as manifest_host:
        pointing = media.c2pa_sign_remote(
            media.jpeg_bytes(), "image/jpeg", newsroom_ca, remote_url=f"{manifest_host.url}/m/abc.c2pa"
        )

        result = C2paCheck().run(media_file(pointing, "cloud.jpg"))

        assert manifest_host.requests == []  # no request left this process
    assert result.label == "not_checked"
    assert result.evidence["present"] is True
    assert result.evidence["remote_manifest"] == "not_checked"
    assert result.evidence["remote_url"].endswith("/m/abc.c2pa")
