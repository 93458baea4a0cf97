"""The metadata walkers spend one bounded budget per file, whatever the container, in a bounded child.

An attack review took a worker to 1.2 GB with a 1 MB PNG of many compressed XMP chunks (each was
capped, their number and total were not). The peak memory is measured in the process that parsed
the file: a child interpreter reports its own ru_maxrss before and after the walk.
"""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
import time
import zlib

import pytest
from mutagen.id3 import ID3, PRIV

from integrations.provenance.metadata import (
    MAX_KEPT_BLOCKS,
    MAX_KEPT_BYTES,
    XMP_JPEG_HEADER,
    extract_metadata,
)
from integrations.provenance.metadata_check import MetadataCheck
from integrations.provenance.metadata_reader import read_metadata
from triage.evidence.base import MediaFile

from . import media

MB = 1024 * 1024
XMP = media.xmp_packet(digital_source_type="trainedAlgorithmicMedia")


def _png_chunk(ctype: bytes, body: bytes) -> bytes:
    return (
        struct.pack(">I", len(body)) + ctype + body + struct.pack(">I", zlib.crc32(ctype + body) & 0xFFFFFFFF)
    )


def png_of_compressed_xmp_chunks(count: int, *, inflated: int = MB) -> bytes:
    """A small PNG: `count` iTXt XMP chunks and as many zTXt chunks, each inflating to `inflated` bytes."""
    packet = zlib.compress(b" " * inflated, 9)
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    chunks = [_png_chunk(b"IHDR", ihdr)]
    for n in range(count):
        chunks.append(_png_chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x01\x00\x00\x00" + packet))
        chunks.append(_png_chunk(b"zTXt", f"Comment{n}".encode() + b"\x00\x00" + packet))
    chunks.append(_png_chunk(b"IDAT", zlib.compress(b"\x00\x00")))
    chunks.append(_png_chunk(b"IEND", b""))
    return b"\x89PNG\r\n\x1a\n" + b"".join(chunks)


def jpeg_of_xmp_segments(count: int) -> bytes:
    segment = XMP_JPEG_HEADER + b" " * (65000 - len(XMP_JPEG_HEADER))
    app1 = b"\xff\xe1" + struct.pack(">H", len(segment) + 2) + segment
    return b"\xff\xd8" + app1 * count + b"\xff\xda\x00\x02" + b"\xff\xd9"


def riff_of_xmp_chunks(form: bytes, chunk_type: bytes, count: int, size: int = 60000) -> bytes:
    chunk = chunk_type + struct.pack("<I", size) + b" " * size
    body = form + chunk * count
    return b"RIFF" + struct.pack("<I", len(body)) + body


def mp4_of_xmp_boxes(count: int, size: int = 60000) -> bytes:
    box = struct.pack(">I", 8 + size) + b"XMP_" + b" " * size
    ftyp = struct.pack(">I", 16) + b"ftypisom" + b"\x00\x00\x02\x00"
    moov_body = box * count
    return ftyp + struct.pack(">I", 8 + len(moov_body)) + b"moov" + moov_body


# The child's peak resident memory: VmHWM, the high-water mark of this interpreter's own address
# space. (ru_maxrss would do, but Linux carries it over from the forking parent across exec, so a
# child of a big pytest process reads the parent's peak.)
_MEASURE = """
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (1536 * 1024 * 1024,) * 2)  # before the fix: fail, not thrash
def peak_kb():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
from integrations.provenance.metadata import extract_metadata
before = peak_kb()
started = time.monotonic()
found = extract_metadata(sys.argv[1], sys.argv[2])
print(json.dumps({
    "grew_kb": peak_kb() - before,
    "peak_kb": peak_kb(),
    "seconds": time.monotonic() - started,
    "blocks": len(found.xmp_packets) + len(found.text_chunks) + len(found.id3_frames),
    "errors": found.errors,
}))
"""


def parse_in_a_child(path, mime_type: str) -> dict:
    """Walk the file in a fresh interpreter; return how much its peak memory grew, and the time."""
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", _MEASURE, str(path), mime_type], capture_output=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    return json.loads(done.stdout)


def test_a_png_of_a_thousand_compressed_xmp_chunks_costs_a_few_megabytes(tmp_path):
    path = tmp_path / "bomb.png"
    path.write_bytes(png_of_compressed_xmp_chunks(1000))  # ~2 MB on disk, 2 GB inflated
    assert path.stat().st_size < 3 * MB

    measured = parse_in_a_child(path, "image/png")

    assert measured["grew_kb"] < 48 * 1024, f"peak memory grew by {measured['grew_kb'] // 1024} MB"
    assert measured["seconds"] < 5
    assert measured["blocks"] <= MAX_KEPT_BLOCKS
    assert any("budget" in e or "not read" in e for e in measured["errors"])


@pytest.mark.parametrize(
    ("name", "mime_type", "make"),
    [
        ("flood.jpg", "image/jpeg", lambda: jpeg_of_xmp_segments(600)),
        ("flood.webp", "image/webp", lambda: riff_of_xmp_chunks(b"WEBP", b"XMP ", 600)),
        ("flood.wav", "audio/wav", lambda: riff_of_xmp_chunks(b"WAVE", b"_PMX", 600)),
        ("flood.mp4", "video/mp4", lambda: mp4_of_xmp_boxes(600)),
    ],
)
def test_every_container_keeps_a_bounded_number_and_size_of_blocks(tmp_path, name, mime_type, make):
    path = tmp_path / name
    path.write_bytes(make())  # ~36 MB of XMP blocks

    measured = parse_in_a_child(path, mime_type)

    assert measured["blocks"] <= MAX_KEPT_BLOCKS
    assert measured["grew_kb"] < (path.stat().st_size + 2 * MAX_KEPT_BYTES) // 1024 + 16 * 1024
    assert measured["seconds"] < 5
    assert measured["errors"], "the result says the rest was not read"


def test_an_id3_tag_of_many_xmp_frames_keeps_a_bounded_number(tmp_path):
    tag = ID3()
    for n in range(300):
        tag.add(PRIV(owner=f"XMP{n}", data=b"<x:xmpmeta>" + b" " * 500))
    buffer = io.BytesIO()
    tag.save(buffer, v2_version=4)
    path = tmp_path / "frames.mp3"
    path.write_bytes(buffer.getvalue() + b"\xff\xfb\x90\x00" * 10)

    found = extract_metadata(path, "audio/mpeg")

    assert len(found.xmp_packets) <= MAX_KEPT_BLOCKS
    assert any("not read" in e for e in found.errors)


def test_a_real_ai_declaration_is_still_found_within_the_budget(tmp_path):
    path = tmp_path / "declared.jpg"
    path.write_bytes(media.jpeg_with_xmp(XMP))
    assert "trainedAlgorithmicMedia" in extract_metadata(path, "image/jpeg").xmp_digital_source_types


def test_the_metadata_check_runs_the_walk_in_a_bounded_child(tmp_path):
    path = tmp_path / "bomb.png"
    path.write_bytes(png_of_compressed_xmp_chunks(1000))
    started = time.monotonic()
    result = MetadataCheck(signatures=[]).run(MediaFile.from_path(path))
    assert time.monotonic() - started < 10
    assert result.label == "none"
    assert any("not read" in e for e in result.evidence["errors"])


def test_a_walk_over_its_memory_allowance_is_reported_unparseable(tmp_path):
    path = tmp_path / "declared.jpg"
    path.write_bytes(media.jpeg_with_xmp(XMP))
    found = read_metadata(path, mime_type="image/jpeg", memory_limit=8 * MB)
    assert found.unparseable
    assert "resource limit" in found.errors[0]


def test_a_walk_over_its_time_is_stopped_and_reported_unparseable(tmp_path):
    path = tmp_path / "declared.jpg"
    path.write_bytes(media.jpeg_with_xmp(XMP))
    started = time.monotonic()
    found = read_metadata(path, mime_type="image/jpeg", timeout=0.001)
    assert found.unparseable and "longer than" in found.errors[0]
    assert time.monotonic() - started < 5


def test_what_the_child_reads_is_what_the_walk_reads(tmp_path):
    path = tmp_path / "declared.jpg"
    path.write_bytes(media.jpeg_with_xmp(XMP))
    assert read_metadata(path, mime_type="image/jpeg") == extract_metadata(path, "image/jpeg")
