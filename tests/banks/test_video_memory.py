"""Hostile video is fingerprinted within a memory budget, like hostile images and audio
(tests/banks/test_large_media.py): the largest legal frame, a frame over the cap, ten hours.

The peak memory is measured in the process that decoded the file: a fresh interpreter reports its
own high-water mark (VmHWM). The files are real H.264 in MP4, made by ffmpeg.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from triage.evidence.banks.fingerprints import MAX_DECODE_SECONDS, MAX_VIDEO_PIXELS, MAX_VIDEO_SECONDS

MB = 1024


def _ffmpeg(*args: str, timeout: float = 300) -> None:
    if shutil.which("ffmpeg") is None:
        pytest.fail("these tests need ffmpeg (bin/system-packages)")
    subprocess.run(["ffmpeg", "-v", "error", "-y", *args], check=True, timeout=timeout)  # noqa: S603


@pytest.fixture(scope="session")
def largest_legal_video(tmp_path_factory):
    """Two 8192x8192 frames (the pixel cap), a test pattern: ~300 KB on disk, 100 MB a decoded frame."""
    path = tmp_path_factory.mktemp("video") / "8192.mp4"
    _ffmpeg("-f", "lavfi", "-i", "testsrc=s=8192x8192:r=1", "-frames:v", "2", "-c:v", "libx264",
            "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(path))  # fmt: skip
    return path


@pytest.fixture(scope="session")
def ten_hours_of_video(tmp_path_factory):
    """Ten hours of a 64x64 test pattern at one frame a second: small, quick to make, long to decode."""
    path = tmp_path_factory.mktemp("video") / "10h.mp4"
    _ffmpeg("-f", "lavfi", "-i", "testsrc=s=64x64:r=1", "-t", "36000", "-c:v", "libx264", "-preset",
            "ultrafast", "-g", "600", "-pix_fmt", "yuv420p", str(path))  # fmt: skip
    return path


_MEASURE = """
import json, sys, time
from pathlib import Path
def peak_kb():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
from triage.evidence.banks.fingerprints import UnparseableMediaError, video as video_fp
if len(sys.argv) > 3:
    video_fp.MAX_VIDEO_PIXELS = int(sys.argv[3])
before, started = peak_kb(), time.monotonic()
out = {}
try:
    query = sys.argv[2] == "query"
    hashes, out["duration"] = video_fp.video_keyframe_hashes(Path(sys.argv[1]), keyframes_only=query)
    out["hashes"] = len(hashes)
except UnparseableMediaError as exc:
    out["error"] = str(exc)
out.update(grew_kb=peak_kb() - before, seconds=time.monotonic() - started)
print(json.dumps(out))
"""


def decode_in_a_child(path, mode: str, *extra: str) -> dict:
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", _MEASURE, str(path), mode, *extra],
        capture_output=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    return json.loads(done.stdout)


@pytest.mark.parametrize("mode", ["bank", "query"])
def test_the_largest_legal_frame_is_decoded_one_frame_at_a_time(largest_legal_video, mode):
    measured = decode_in_a_child(largest_legal_video, mode)
    assert measured["hashes"] >= 1
    # A decoded 8192x8192 frame is 100 MB in YUV; the decoder holds it, its reference and the one
    # being output. With a frame in flight per decoding thread it was ~620 MB (2 cores).
    assert measured["grew_kb"] < 400 * MB, f"grew {measured['grew_kb'] // MB} MiB"


def test_a_frame_over_the_pixel_cap_is_refused_before_decoding(largest_legal_video):
    # The cap lowered below the file's frame, rather than a file over the real cap (8192x8192 is
    # also about where encoders stop): what is under test is that nothing is decoded.
    measured = decode_in_a_child(largest_legal_video, "bank", str(4096 * 4096))
    assert measured["error"] == "unparseable: video frames too large (8192x8192)"
    assert measured["grew_kb"] < 20 * MB, f"grew {measured['grew_kb'] // MB} MiB"
    assert MAX_VIDEO_PIXELS == 8192 * 8192  # the real cap is the file's frame size


@pytest.mark.parametrize("mode", ["bank", "query"])
def test_ten_hours_of_video_are_decoded_only_as_far_as_the_caps(ten_hours_of_video, mode):
    measured = decode_in_a_child(ten_hours_of_video, mode)
    # Either the duration cap or the decoding deadline ends it, with what was hashed so far ...
    assert "error" not in measured, measured
    assert measured["hashes"] >= 1
    assert measured["duration"] <= MAX_VIDEO_SECONDS + 1
    # ... in bounded time (the deadline plus the interpreter's start) and memory.
    assert measured["seconds"] < MAX_DECODE_SECONDS + 10
    assert measured["grew_kb"] < 60 * MB, f"grew {measured['grew_kb'] // MB} MiB"
