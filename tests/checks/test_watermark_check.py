"""The watermark check: open generators' invisible DWT-DCT watermarks, marked here by the same library.

Every image is marked by `invisible-watermark`'s own encoder (EmbedMaxDct, what WatermarkEncoder's
"dwtDct" method calls) with the payload each generator's reference code writes, in the channel order
that code hands it, then saved and read back through the check as an upload would be.
"""

import io
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from integrations.provenance.watermark_check import PAYLOADS, WatermarkCheck, encode_bits
from triage.evidence.base import MediaFile
from triage.evidence.registry import checks_for_media_type
from triage.evidence.verdict import Finding, fuse

from ..banks import media as bank_media

PAYLOAD = {p.key: p for p in PAYLOADS}


def photo_rgb(name: str = "astronaut") -> np.ndarray:
    return np.asarray(bank_media.real_photo(name))


def marked(rgb: np.ndarray, payload: str, *, order: str = "bgr") -> np.ndarray:
    """The pixels a generator saves: the encoder gets BGR (or, as diffusers' SDXL does, RGB as is)."""
    bits = PAYLOAD[payload].bits
    if order == "bgr":
        return np.clip(encode_bits(np.ascontiguousarray(rgb[:, :, ::-1]), bits), 0, 255).astype(np.uint8)[
            :, :, ::-1
        ]
    return np.clip(encode_bits(np.ascontiguousarray(rgb), bits), 0, 255).astype(np.uint8)


def save(tmp_path, rgb: np.ndarray, name: str, **options) -> MediaFile:
    path = tmp_path / name
    Image.fromarray(np.ascontiguousarray(rgb)).save(path, **options)
    return MediaFile.from_path(path)


@pytest.mark.parametrize(
    "payload, order, generator",
    [
        ("sd1", "bgr", "Stable Diffusion 1.x"),
        ("sd2", "bgr", "Stable Diffusion 2.x"),
        ("sdxl", "bgr", "Stable Diffusion XL"),
        ("sdxl", "rgb", "Stable Diffusion XL"),
        ("flux", "bgr", "FLUX (Black Forest Labs)"),
    ],
)
def test_each_generators_watermark_is_found_in_its_png(tmp_path, payload, order, generator):
    result = WatermarkCheck().run(save(tmp_path, marked(photo_rgb(), payload, order=order), "00001.png"))

    assert result.label == "found"
    (found,) = result.evidence["watermarks"]
    assert (found["payload"], found["generator"], found["channel_order"]) == (payload, generator, order)
    assert found["bits_matched"] >= found["bits"] - PAYLOAD[payload].max_errors
    assert result.evidence["method"].startswith("invisible-watermark 0.2.")


@pytest.mark.parametrize("name", ["astronaut", "coffee", "chelsea", "rocket", "camera", "brick"])
def test_unmarked_photos_carry_no_watermark(tmp_path, name):
    result = WatermarkCheck().run(save(tmp_path, photo_rgb(name), f"{name}.png"))

    assert (result.label, result.evidence["watermarks"]) == ("none", [])


def test_a_lossless_recompression_keeps_the_watermark(tmp_path):
    sdxl = marked(photo_rgb("rocket"), "sdxl")

    as_webp = WatermarkCheck().run(save(tmp_path, sdxl, "shared.webp", lossless=True))

    assert [m["payload"] for m in as_webp.evidence["watermarks"]] == ["sdxl"]


@pytest.mark.parametrize(
    "copy",
    [
        lambda img, tmp: ("q95.jpg", {"quality": 95}, img),
        lambda img, tmp: ("resized.png", {}, img.resize((img.width * 9 // 10, img.height * 9 // 10))),
    ],
)
def test_a_lossy_copy_loses_the_watermark_and_claims_nothing_else(tmp_path, copy):
    """What DWT-DCT does not survive (docs/banks.md): the check then says none, never a wrong generator."""
    img = Image.fromarray(marked(photo_rgb("rocket"), "sdxl"))
    name, options, out = copy(img, tmp_path)
    path = tmp_path / name
    out.save(path, **options)

    result = WatermarkCheck().run(MediaFile.from_path(path))

    assert result.label == "none"


def test_too_small_too_large_and_unparseable_images_are_said_not_guessed(tmp_path):
    small = WatermarkCheck().run(save(tmp_path, photo_rgb()[:200, :200], "thumb.png"))
    broken_path = tmp_path / "broken.png"
    buf = io.BytesIO()
    Image.fromarray(photo_rgb()).save(buf, "PNG")
    broken_path.write_bytes(buf.getvalue()[:2000])
    broken = WatermarkCheck().run(
        MediaFile(path=broken_path, media_type="image", sha256="0" * 64, mime_type="image/png")
    )

    huge = WatermarkCheck().run(save(tmp_path, np.zeros((2100, 2100, 3), np.uint8), "huge.png"))

    assert (small.label, small.evidence["watermarks"]) == ("too_small", [])
    assert (huge.label, huge.evidence["size"]) == ("too_large", [2100, 2100])
    assert (broken.label, broken.evidence["watermarks"]) == ("unparseable", [])


def test_the_decoder_never_imports_torch():
    """Every release of the package imports torch from its __init__: the check must load the codec alone."""
    code = (
        "import sys, numpy as np\n"
        "from integrations.provenance.watermark_check import find_watermarks\n"
        "find_watermarks(np.zeros((300, 300, 3), np.uint8))\n"
        "assert 'torch' not in sys.modules, 'torch was imported'\n"
        "assert 'imwatermark' not in sys.modules, 'the package __init__ ran'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


@pytest.mark.django_db
def test_the_check_runs_on_images_only_and_its_finding_names_the_generator(tmp_path):
    kinds = {c.kind for c in checks_for_media_type("image", offline_only=True)}
    audio_kinds = {c.kind for c in checks_for_media_type("audio", offline_only=True)}
    result = WatermarkCheck().run(save(tmp_path, marked(photo_rgb(), "sd1"), "txt2img.png"))

    verdict = fuse([Finding(kind="watermark", ok=True, label=result.label, evidence=result.evidence)], {})

    assert "watermark" in kinds and "watermark" not in audio_kinds
    assert verdict.label == "disclosed_synthetic"
    assert "invisible Stable Diffusion 1.x watermark" in verdict.reasons[0]
