"""The "watermark" check: invisible watermarks that open image generators embed by default.

Stable Diffusion's reference scripts (1.x, 2.x), SDXL (Stability's scripts and diffusers) and Black
Forest Labs' FLUX reference code write a fixed, public payload into every image with the
`invisible-watermark` library's DWT-DCT method (`dwtDct`). That library decodes it without model
weights, so the check is offline and needs no vendor.

Why the decoder is loaded from its file: every published version of `invisible-watermark`
(0.1.0 … 0.2.0) imports torch when the package is imported (`imwatermark/__init__` → `watermark` →
`rivaGan`, `import torch` at module level, for the RivaGAN method we do not use), and declares torch
and the GUI OpenCV as dependencies. The DWT-DCT codec itself, `imwatermark/maxDct.py`
(`EmbedMaxDct`), imports only numpy, OpenCV and PyWavelets. So `bin/install` installs the package
with `--no-deps` (pinned: we rely on that file), pyproject carries PyWavelets, and this module
executes `maxDct.py` on its own, never the package `__init__`. torch is never imported.

What it survives (measured, docs/banks.md): a lossless copy of the file. DWT-DCT is fragile: a JPEG
re-encode (even at quality 95), a resize or a crop erases it. So a found watermark is strong
evidence, a missing one says nothing; and anyone can embed these public payloads in any picture,
so, like unsigned metadata, it never outranks evidence of authenticity (docs/checks.md).
"""

from __future__ import annotations

import functools
import importlib.metadata
import importlib.util
from dataclasses import dataclass
from types import ModuleType

import numpy as np
from PIL import Image, UnidentifiedImageError

from triage.evidence.base import Check, CheckResult, MediaFile

DISTRIBUTION = "invisible-watermark"
SUPPORTED_VERSIONS = ("0.2.",)  # the layout of imwatermark/maxDct.py we load (bin/install pins it)
# The library refuses images under 256 × 256 (WatermarkEncoder/Decoder); generators never emit them.
MIN_PIXELS = 256 * 256
# Decoding is a Python loop over 4 × 4 blocks (~0.3 s per payload at 1024², measured); generator
# outputs are at most ~2048² and an upscaled copy has lost the mark anyway.
MAX_PIXELS = 2048 * 2048 + 1


@dataclass(frozen=True)
class Payload:
    key: str
    generator: str
    bits: tuple[int, ...]
    # Decoded bits that may differ and still count: chance agreement on unmarked images stays near
    # half the bits (the measured maximum is in docs/banks.md), an intact mark decodes exactly.
    max_errors: int
    # The channel orders the generator's pipeline handed to the encoder: the library expects BGR,
    # diffusers' SDXL watermarker passes RGB arrays as they are.
    orders: tuple[str, ...] = ("bgr",)
    source: str = ""


def _bytes_bits(text: bytes) -> tuple[int, ...]:
    return tuple(int(b) for b in np.unpackbits(np.frombuffer(text, np.uint8)))


def _int_bits(value: int) -> tuple[int, ...]:
    # As the generators' code does: bin(x)[2:], which drops leading zero bits (FLUX's 48-bit
    # message is therefore embedded as 46 bits).
    return tuple(int(b) for b in bin(value)[2:])


PAYLOADS: tuple[Payload, ...] = (
    Payload(
        "sd1",
        "Stable Diffusion 1.x",
        _bytes_bits(b"StableDiffusionV1"),
        max_errors=8,
        source="CompVis/stable-diffusion scripts/txt2img.py",
    ),
    Payload(
        "sd2",
        "Stable Diffusion 2.x",
        _bytes_bits(b"SDV2"),
        max_errors=0,
        source="Stability-AI/stablediffusion scripts/txt2img.py",
    ),
    Payload(
        "sdxl",
        "Stable Diffusion XL",
        _int_bits(0b101100111110110010010000011110111011000110011110),
        max_errors=3,
        orders=("bgr", "rgb"),
        source="Stability-AI/generative-models; huggingface/diffusers StableDiffusionXLWatermarker",
    ),
    Payload(
        "flux",
        "FLUX (Black Forest Labs)",
        _int_bits(0b001010101111111010000111100111001111010100101110),
        max_errors=3,
        source="black-forest-labs/flux reference sampling code",
    ),
)


class WatermarkLibraryMissing(Exception):
    pass


@functools.cache
def library() -> tuple[ModuleType, str]:
    """imwatermark/maxDct.py executed on its own (see the module docstring), and the version."""
    try:
        version = importlib.metadata.version(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        raise WatermarkLibraryMissing(f"{DISTRIBUTION} is not installed (bin/install installs it)") from None
    if not version.startswith(SUPPORTED_VERSIONS):
        raise WatermarkLibraryMissing(f"{DISTRIBUTION} {version} is installed; this check reads 0.2.x")
    # find_spec on the top-level package locates it without executing its __init__ (which imports torch).
    spec = importlib.util.find_spec("imwatermark")
    if spec is None or not spec.submodule_search_locations:
        raise WatermarkLibraryMissing(f"{DISTRIBUTION} is installed but imwatermark cannot be found")
    location = next(iter(spec.submodule_search_locations))
    codec_spec = importlib.util.spec_from_file_location(
        "moratorium_imwatermark_maxdct", f"{location}/maxDct.py"
    )
    if codec_spec is None or codec_spec.loader is None:
        raise WatermarkLibraryMissing(f"{DISTRIBUTION} {version} has no imwatermark/maxDct.py")
    module = importlib.util.module_from_spec(codec_spec)
    codec_spec.loader.exec_module(module)
    return module, version


def decode_bits(bgr: np.ndarray, length: int) -> np.ndarray:
    """The library's DWT-DCT decoder (WatermarkDecoder(...).decode(img, "dwtDct") without the wrapper)."""
    codec, _ = library()
    return np.asarray(codec.EmbedMaxDct(watermarks=[], wmLen=length).decode(bgr), dtype=np.uint8)


def encode_bits(bgr: np.ndarray, bits: tuple[int, ...]) -> np.ndarray:
    """The library's DWT-DCT encoder, as the generators call it (for tests and the benchmark)."""
    codec, _ = library()
    return codec.EmbedMaxDct(list(bits), wmLen=len(bits)).encode(bgr)


def find_watermarks(bgr: np.ndarray) -> list[dict]:
    """Every known payload the image carries, each with how many of its bits decoded right."""
    found = []
    decoded: dict[tuple[str, int], np.ndarray] = {}
    for payload in PAYLOADS:
        expected = np.asarray(payload.bits, dtype=np.uint8)
        for order in payload.orders:
            key = (order, len(payload.bits))
            if key not in decoded:
                decoded[key] = decode_bits(bgr if order == "bgr" else bgr[:, :, ::-1], len(payload.bits))
            matched = int((decoded[key] == expected).sum())
            if len(expected) - matched <= payload.max_errors:
                found.append(
                    {
                        "payload": payload.key,
                        "generator": payload.generator,
                        "bits_matched": matched,
                        "bits": len(expected),
                        "channel_order": order,
                        "source": payload.source,
                    }
                )
                break
    return found


class WatermarkCheck(Check):
    kind = "watermark"
    version = "1"
    media_types = frozenset({"image"})

    def _run(self, media: MediaFile) -> CheckResult:
        try:
            _, version = library()
        except WatermarkLibraryMissing as exc:
            # Not a failure of this media: the deployment lacks the decoder. Said, never guessed.
            return self.result("not_checked", watermarks=[], reason=str(exc))
        method = f"{DISTRIBUTION} {version} dwtDct"
        try:
            with Image.open(media.path) as img:
                width, height = img.size  # read from the header, before any pixel is decoded
                if width * height < MIN_PIXELS:
                    return self.result("too_small", watermarks=[], method=method, size=[width, height])
                if width * height > MAX_PIXELS:
                    return self.result("too_large", watermarks=[], method=method, size=[width, height])
                # No EXIF rotation: the mark sits in the pixel array as the generator saved it.
                rgb = np.asarray(img.convert("RGB"))
        except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
            return self.result("unparseable", watermarks=[], method=method, error=str(exc)[:300])
        watermarks = find_watermarks(np.ascontiguousarray(rgb[:, :, ::-1]))
        return self.result(
            "found" if watermarks else "none",
            watermarks=watermarks,
            method=method,
            size=[width, height],
            checked=[p.generator for p in PAYLOADS],
        )
