"""Generator metadata: IPTC DigitalSourceType in XMP, PNG text chunks, EXIF Software; signatures are data."""

import pytest

from integrations.provenance.metadata_check import MetadataCheck
from triage.evidence.models import GeneratorSignature

from . import media

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_signatures")]


def _markers(result, source):
    return [m for m in result.evidence["markers"] if m["source"] == source]


@pytest.mark.parametrize(
    "make, name",
    [
        (lambda xmp: media.jpeg_with_xmp(xmp), "firefly.jpg"),
        (lambda xmp: media.png_bytes(xmp=xmp), "firefly.png"),
        (lambda xmp: media.webp_with_xmp(xmp), "firefly.webp"),
        (lambda xmp: media.mp4_with_xmp(xmp), "firefly.mp4"),
    ],
)
def test_xmp_declaring_ai_generation_is_found_in_each_container(media_file, make, name):
    xmp = media.xmp_packet(digital_source_type="trainedAlgorithmicMedia", creator_tool="Adobe Firefly")

    result = MetadataCheck().run(media_file(make(xmp), name))

    assert result.label == "ai_declared"
    declared, tool = _markers(result, "xmp")
    assert (declared["key"], declared["value"]) == (
        "Iptc4xmpExt:DigitalSourceType",
        "trainedAlgorithmicMedia",
    )
    assert declared["declares_ai"] is True
    assert declared["generator"] == "Adobe Firefly"
    assert (tool["key"], tool["value"], tool["generator"]) == (
        "xmp:CreatorTool",
        "Adobe Firefly",
        "Adobe Firefly",
    )


def test_xmp_in_attribute_form_is_read_too(media_file):
    xmp = media.xmp_packet(digital_source_type="compositeWithTrainedAlgorithmicMedia", attribute_form=True)

    result = MetadataCheck().run(media_file(media.jpeg_with_xmp(xmp), "edited.jpg"))

    assert result.label == "ai_declared"
    assert _markers(result, "xmp")[0]["value"] == "compositeWithTrainedAlgorithmicMedia"


def test_xmp_declaring_a_capture_is_a_capture_claim_not_a_disclosure(media_file):
    xmp = media.xmp_packet(digital_source_type="digitalCapture")

    result = MetadataCheck().run(media_file(media.jpeg_with_xmp(xmp), "camera.jpg"))

    assert result.label == "capture_declared"
    assert _markers(result, "xmp")[0]["declares_capture"] is True


def test_stable_diffusion_web_ui_parameters_chunk_names_the_generator(media_file):
    png = media.png_bytes(
        text={"parameters": "a candidate shaking hands\nSteps: 20, Sampler: Euler a, CFG scale: 7"}
    )

    result = MetadataCheck().run(media_file(png, "00001-123.png"))

    assert result.label == "ai_declared"
    [marker] = _markers(result, "png_text")
    assert marker["key"] == "parameters"
    assert "AUTOMATIC1111" in marker["generator"]
    assert "Sampler: Euler a" in marker["value"]


def test_comfyui_prompt_and_workflow_chunks_are_found(media_file):
    png = media.png_bytes(text={"prompt": '{"3": {"class_type": "KSampler"}}', "workflow": '{"nodes": []}'})

    result = MetadataCheck().run(media_file(png, "ComfyUI_0001.png"))

    keys = {m["key"] for m in _markers(result, "png_text")}
    assert keys == {"prompt", "workflow"}
    assert {m["generator"] for m in _markers(result, "png_text")} == {"ComfyUI"}


def test_a_caption_mentioning_a_generator_is_not_a_marker(media_file):
    png = media.png_bytes(text={"Description": "Our fact-check of a Midjourney fake"})

    assert MetadataCheck().run(media_file(png, "factcheck.png")).label == "none"


def test_exif_software_naming_a_generator_is_found(media_file):
    result = MetadataCheck().run(media_file(media.jpeg_bytes(exif_software="Midjourney v6"), "mj.jpg"))

    assert result.label == "ai_declared"
    [marker] = _markers(result, "exif_software")
    assert marker["value"] == "Midjourney v6"
    assert marker["generator"] == "Midjourney"


def test_exif_software_of_an_ordinary_editor_is_not_a_marker(media_file):
    result = MetadataCheck().run(media_file(media.jpeg_bytes(exif_software="GIMP 2.10"), "edit.jpg"))

    assert result.label == "none"
    assert result.evidence["exif_software"] == "GIMP 2.10"


def test_operators_extend_the_signature_list_in_the_database(media_file):
    photo = media_file(media.jpeg_bytes(exif_software="VoxForge Studio 3"), "vox.jpg")
    assert MetadataCheck().run(photo).label == "none"

    GeneratorSignature.objects.create(field="exif_software", pattern="voxforge", generator="VoxForge")

    result = MetadataCheck().run(photo)
    assert result.label == "ai_declared"
    assert result.evidence["markers"][0]["generator"] == "VoxForge"


def test_a_disabled_signature_no_longer_matches(media_file):
    GeneratorSignature.objects.filter(field="exif_software", pattern="Midjourney").update(enabled=False)

    result = MetadataCheck().run(media_file(media.jpeg_bytes(exif_software="Midjourney v6"), "mj.jpg"))

    assert result.label == "none"


def test_a_hint_signature_is_a_marker_without_declaring_ai(media_file):
    GeneratorSignature.objects.create(
        field="exif_software", pattern="FaceApp", generator="FaceApp", declares_ai=False
    )

    result = MetadataCheck().run(media_file(media.jpeg_bytes(exif_software="FaceApp 4"), "face.jpg"))

    assert result.label == "markers"
