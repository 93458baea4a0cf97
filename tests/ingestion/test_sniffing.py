"""Types come from the bytes: real files made with ffmpeg and Pillow, named misleadingly on purpose."""

import io
import subprocess

import pytest
from PIL import Image

from tests.ingestion.helpers import make_png, make_wav
from triage.intake.sniffing import sniff_bytes, sniff_file

SINE = ["-f", "lavfi", "-i", "sine=frequency=440:duration=0.5"]
COLOR = ["-f", "lavfi", "-i", "testsrc=size=64x48:rate=10:duration=0.5"]

FFMPEG_CASES = {
    "mp3": (SINE + ["-c:a", "libmp3lame"], "out.mp3", "audio/mpeg", "audio"),
    "mp3 without ID3": (
        SINE + ["-c:a", "libmp3lame", "-id3v2_version", "0", "-write_xing", "0"],
        "out.mp3",
        "audio/mpeg",
        "audio",
    ),
    "flac": (SINE + ["-c:a", "flac"], "out.flac", "audio/flac", "audio"),
    "opus": (SINE + ["-c:a", "libopus"], "out.ogg", "audio/ogg; codecs=opus", "audio"),
    "m4a": (SINE + ["-c:a", "aac"], "out.m4a", "audio/mp4", "audio"),
    "audio-only mp4": (SINE + ["-c:a", "aac"], "out.mp4", "audio/mp4", "audio"),
    "mp4 video": (
        COLOR + SINE + ["-c:v", "libx264", "-c:a", "aac", "-shortest"],
        "out.mp4",
        "video/mp4",
        "video",
    ),
    "mp4 faststart": (
        COLOR + ["-c:v", "libx264", "-movflags", "+faststart"],
        "out.mp4",
        "video/mp4",
        "video",
    ),
    "mov": (COLOR + ["-c:v", "mpeg4"], "out.mov", "video/quicktime", "video"),
    "webm video": (COLOR + ["-c:v", "libvpx"], "out.webm", "video/webm", "video"),
    "webm audio": (SINE + ["-c:a", "libopus"], "out.webm", "audio/webm", "audio"),
    "mkv": (COLOR + ["-c:v", "mpeg4"], "out.mkv", "video/x-matroska", "video"),
}


@pytest.fixture(scope="module")
def ffmpeg_files(tmp_path_factory):
    directory = tmp_path_factory.mktemp("sniff")
    made = {}
    for name, (args, filename, _mime, _kind) in FFMPEG_CASES.items():
        path = directory / f"{name.replace(' ', '_')}-{filename}"
        subprocess.run(["ffmpeg", "-v", "error", "-y", *args, str(path)], check=True, timeout=60)
        made[name] = path
    return made


@pytest.mark.parametrize("name", list(FFMPEG_CASES))
def test_media_made_by_ffmpeg_is_recognised(ffmpeg_files, name):
    _args, _filename, mime, kind = FFMPEG_CASES[name]
    with ffmpeg_files[name].open("rb") as f:
        sniffed = sniff_file(f)
    assert (sniffed.mime_type, sniffed.media_type) == (mime, kind)


@pytest.mark.parametrize(
    ("fmt", "mime"), [("JPEG", "image/jpeg"), ("GIF", "image/gif"), ("WEBP", "image/webp")]
)
def test_images_made_by_pillow_are_recognised(fmt, mime):
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (10, 20, 30)).save(buffer, format=fmt)
    sniffed = sniff_bytes(buffer.getvalue())
    assert (sniffed.mime_type, sniffed.media_type) == (mime, "image")


def test_png_and_wav_are_recognised():
    assert sniff_bytes(make_png()).mime_type == "image/png"
    assert sniff_bytes(make_wav()).mime_type == "audio/wav"


@pytest.mark.parametrize(
    "data", [b"", b"<html></html>", b"%PDF-1.7", b"\x00" * 100, b"\xff\xff\xff\xff", b"PK\x03\x04"]
)
def test_anything_else_is_not_media(data):
    assert sniff_bytes(data) is None
    assert sniff_file(io.BytesIO(data)) is None


def test_a_truncated_or_hostile_mp4_box_table_ends_quickly():
    hostile = b"\x00\x00\x00\x18ftypisom" + b"\x00" * 12 + b"\x00\x00\x00\x01free" + b"\x00" * 8
    assert sniff_file(io.BytesIO(hostile)).media_type == "video"


def test_millions_of_tiny_mp4_boxes_are_not_walked_one_by_one():
    hostile = b"\x00\x00\x00\x10ftypisom\x00\x00\x00\x00" + b"\x00\x00\x00\x08free" * 500_000
    assert sniff_file(io.BytesIO(hostile)).media_type == "video"
