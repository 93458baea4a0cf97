"""inspect_media on 10 MB files: how long do the offline checks take?

Run from the repository root with the database configured (the metadata check reads its
signatures, the fingerprint check the banks):

    DJANGO_SETTINGS_MODULE=config.settings python -m bench.checks.inspect_media [--repeat 5]

Files (made here, ~10 MB each): a C2PA-signed JPEG (4000x3000, quality 97), the same JPEG
unsigned with an XMP packet, a PNG with generator text chunks, a C2PA-signed WAV of speech-like
audio; and two hostile files: a PNG whose zTXt chunk inflates to 1 GB behind a 60000x60000 IHDR,
and 10 MB of random bytes behind a JPEG header. For each it times every offline check and the
whole command (`call_command`, as an analyst runs it, including the verdict), reporting the
median of `--repeat` runs. The banks hold
one image and one audio clip, so the fingerprint time is hashing plus a trivial lookup (bank
query latency at scale is bench/banks/index_latency.py).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

import numpy as np  # noqa: E402
from django.core.management import call_command  # noqa: E402
from PIL import Image  # noqa: E402

from integrations.provenance.c2pa_reader import read_in_process  # noqa: E402
from tests.checks import media  # noqa: E402
from triage.checks.base import MediaFile  # noqa: E402
from triage.checks.registry import checks_for_media_type  # noqa: E402

TARGET_BYTES = 10 * 1024 * 1024
HOSTILE = {"zip-bomb.png", "random-after-jpeg-header.jpg"}


def big_jpeg() -> bytes:
    """A ~10 MB photo-like JPEG: a detailed scene plus sensor-like noise, quality 97."""
    rng = np.random.default_rng(1)
    scene = np.asarray(media._scene((4000, 3000), 7), dtype=np.int16)
    noisy = np.clip(scene + rng.normal(0, 20, scene.shape), 0, 255).astype(np.uint8)
    out = io.BytesIO()
    Image.fromarray(noisy).save(out, "JPEG", quality=97)
    return out.getvalue()


def big_png() -> bytes:
    rng = np.random.default_rng(2)
    pixels = rng.integers(0, 255, size=(1900, 1900, 3), dtype=np.uint8)
    info = media.PngImagePlugin.PngInfo()
    info.add_text("parameters", "a crowd at a rally\nSteps: 30, Sampler: DPM++ 2M Karras, CFG scale: 7")
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, "PNG", pnginfo=info, compress_level=1)
    return out.getvalue()


def time_checks(path: Path, repeat: int, *, hostile: bool) -> dict:
    described = MediaFile.from_path(path)
    timings: dict[str, list[float]] = {}
    for _ in range(repeat):
        # Baselines: reading and hashing the file (the floor for any check), and the C2PA parse
        # in this process without the child-process watchdog (what the bound costs). The
        # in-process parse is skipped for hostile files: that is the point of the watchdog.
        started = time.perf_counter()
        hashlib.sha256(path.read_bytes()).hexdigest()
        timings.setdefault("baseline: read + sha256", []).append(time.perf_counter() - started)
        if not hostile:
            started = time.perf_counter()
            read_in_process(str(path), described.mime_type, None)
            timings.setdefault("baseline: c2pa in-process", []).append(time.perf_counter() - started)
        for check in checks_for_media_type(described.media_type, offline_only=True):
            started = time.perf_counter()
            check.run(described)
            timings.setdefault(check.kind, []).append(time.perf_counter() - started)
        started = time.perf_counter()
        call_command("inspect_media", str(path), "--json", stdout=io.StringIO())
        timings.setdefault("inspect_media total", []).append(time.perf_counter() - started)
    return {kind: round(statistics.median(values) * 1000, 1) for kind, values in timings.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from integrations.banks.services import bank_add_file, bank_get_or_create
    from triage.checks.models import GeneratorSignature

    if not GeneratorSignature.objects.exists():
        raise SystemExit("run `manage.py migrate` first: the generator signatures are missing")
    ca = media.make_ca()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        jpeg = big_jpeg()
        files = {
            "signed.jpg": media.c2pa_sign(jpeg, "image/jpeg", ca),
            "xmp.jpg": _with_xmp(jpeg),
            "parameters.png": big_png(),
            "zip-bomb.png": media.png_zip_bomb(inflated_mb=1024),
            "random-after-jpeg-header.jpg": media.random_with_jpeg_header(TARGET_BYTES),
            "speech.wav": media.c2pa_sign(
                media.audio_bytes("wav", seconds=TARGET_BYTES / 88200, rate=44100), "audio/wav", ca
            ),
        }
        banked_image = tmp / "banked.jpg"
        banked_image.write_bytes(media.jpeg_bytes(size=(640, 480), seed=3))
        banked_audio = tmp / "banked.wav"
        banked_audio.write_bytes(media.audio_bytes("wav", seconds=10))
        bank = bank_get_or_create(name="bench-inspect-media", purpose="synthetic")
        try:
            bank_add_file(bank=bank, path=banked_image)
            bank_add_file(bank=bank, path=banked_audio)
            report = {}
            for name, data in files.items():
                path = tmp / name
                path.write_bytes(data)
                report[name] = {
                    "size_mb": round(len(data) / 1024 / 1024, 1),
                    **time_checks(path, args.repeat, hostile=name in HOSTILE),
                }
        finally:
            bank.delete()  # leave the database as we found it
    print(json.dumps(report, indent=2))


def _with_xmp(jpeg: bytes) -> bytes:
    packet = media.xmp_packet(digital_source_type="trainedAlgorithmicMedia", creator_tool="Adobe Firefly")
    payload = b"http://ns.adobe.com/xap/1.0/\x00" + packet
    segment = b"\xff\xe1" + (len(payload) + 2).to_bytes(2, "big") + payload
    return jpeg[:2] + segment + jpeg[2:]


if __name__ == "__main__":
    main()
