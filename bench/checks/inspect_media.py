"""inspect_media on 10 MB files: how long do the offline checks take?

Run from the repository root with the database configured (the metadata check reads its
signatures, the fingerprint check the banks):

    DJANGO_SETTINGS_MODULE=config.settings python -m bench.checks.inspect_media [--repeat 5]

Files (made here, ~10 MB each): a C2PA-signed JPEG (4000x3000, quality 97), the same JPEG
unsigned with an XMP packet, a PNG with generator text chunks, a C2PA-signed WAV of speech-like
audio, an MP3 (128 kbit/s, ~11 minutes) and an M4A (AAC 128 kbit/s) of the same, an H.264 MP4
(60 s, 1280x720, 30 fps, a keyframe every 2 s, twelve 5-second panning shots with film grain, AAC
speech-like soundtrack); and two hostile files: a PNG whose zTXt chunk inflates to 1 GB behind a
60000x60000 IHDR, and 10 MB of random bytes behind a JPEG header. For each it times every
offline check and the whole command (`call_command`, as an analyst runs it, including the
verdict), reporting the median of `--repeat` runs. The banks hold one image, one audio clip and
one video, so the fingerprint time is hashing plus a trivial lookup (bank
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

import av  # noqa: E402
import numpy as np  # noqa: E402
from django.core.management import call_command  # noqa: E402
from PIL import Image  # noqa: E402

from integrations.provenance.c2pa_reader import read_in_process  # noqa: E402
from tests.checks import media  # noqa: E402
from triage.evidence.base import MediaFile  # noqa: E402
from triage.evidence.registry import checks_for_media_type  # noqa: E402

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


def big_video(
    *, seconds: int = 60, fps: int = 30, size: tuple[int, int] = (1280, 720), first_scene: int = 100
) -> bytes:
    """A ~10 MB 720p H.264 MP4: panning shots of generated scenes with grain, and a soundtrack."""
    width, height = size
    rng = np.random.default_rng(4)
    grain = [rng.normal(0, 6, (height, width, 3)).astype(np.int16) for _ in range(5)]
    rate = 44100
    out = io.BytesIO()
    with av.open(out, "w", format="mp4") as container:
        video = container.add_stream("libx264", rate=fps)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        video.bit_rate = 1_250_000
        video.gop_size = 2 * fps  # a keyframe every 2 s, as platforms re-encode uploads
        video.options = {"preset": "veryfast"}
        audio = container.add_stream("aac", rate=rate)
        audio.layout = "mono"
        audio.bit_rate = 96_000
        shot_frames = 5 * fps
        for shot in range(seconds * fps // shot_frames):
            scene = np.asarray(media._scene((width + 400, height + 200), first_scene + shot), dtype=np.int16)
            for k in range(shot_frames):
                x, y = 400 * k // shot_frames, 200 * k // shot_frames  # a pan across the scene
                pixels = np.clip(scene[y : y + height, x : x + width] + grain[k % 5], 0, 255)
                frame = av.VideoFrame.from_ndarray(pixels.astype(np.uint8), format="rgb24")
                for packet in video.encode(frame):
                    container.mux(packet)
        for packet in video.encode(None):
            container.mux(packet)
        pcm = media.speechlike_pcm(seconds=seconds, rate=rate).reshape(1, -1)
        sound = av.AudioFrame.from_ndarray(pcm, format="s16", layout="mono")
        sound.sample_rate = rate
        for packet in [*audio.encode(sound), *audio.encode(None)]:
            container.mux(packet)
    return out.getvalue()


def big_audio(ext: str, *, seconds: float) -> bytes:
    """A speech-like MP3 or M4A at 128 kbit/s (mono, 44.1 kHz)."""
    fmt, codec, _ = media.AUDIO_FORMATS[ext]
    pcm = media.speechlike_pcm(seconds=seconds, rate=44100).reshape(1, -1)
    out = io.BytesIO()
    with av.open(out, "w", format=fmt) as container:
        stream = container.add_stream(codec, rate=44100)
        stream.layout = "mono"
        stream.bit_rate = 128_000
        frame = av.AudioFrame.from_ndarray(pcm, format="s16", layout="mono")
        frame.sample_rate = 44100
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            container.mux(packet)
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
    parser.add_argument("--only", nargs="*", help="time only these files (names as in the report)")
    args = parser.parse_args()
    from triage.evidence.banks.services import bank_add_file, bank_get_or_create
    from triage.evidence.models import GeneratorSignature

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
            # 128 kbit/s is 16 kB a second: 10 MB is about 11 minutes of audio.
            "speech.mp3": lambda: big_audio("mp3", seconds=TARGET_BYTES / 16000),
            "speech.m4a": lambda: big_audio("m4a", seconds=TARGET_BYTES / 16000),
            "video-720p.mp4": big_video,
        }
        banked_image = tmp / "banked.jpg"
        banked_image.write_bytes(media.jpeg_bytes(size=(640, 480), seed=3))
        banked_audio = tmp / "banked.wav"
        banked_audio.write_bytes(media.audio_bytes("wav", seconds=10))
        banked_video = tmp / "banked.mp4"
        banked_video.write_bytes(big_video(seconds=10, size=(640, 360), first_scene=900))
        bank = bank_get_or_create(name="bench-inspect-media", purpose="synthetic")
        try:
            bank_add_file(bank=bank, path=banked_image)
            bank_add_file(bank=bank, path=banked_audio)
            bank_add_file(bank=bank, path=banked_video)
            report = {}
            for name, data in files.items():
                if args.only and name not in args.only:
                    continue
                data = data() if callable(data) else data  # the big ones are made only when timed
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
