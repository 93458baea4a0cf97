"""Video fingerprints: PDQ hashes of keyframes sampled once a second.

Consecutive samples that look alike (PDQ within DEDUPE_DISTANCE bits) are kept once, so a static
shot does not dominate, and flat frames (black, fades) that PDQ cannot hash meaningfully are
dropped. Two videos match when enough of the shorter one's keyframes have a near twin in the other.
"""

from __future__ import annotations

import time
from pathlib import Path

import av
import numpy as np

from . import MAX_DECODE_SECONDS, MAX_VIDEO_PIXELS, MAX_VIDEO_SECONDS, UnparseableMediaError
from .image import MIN_QUALITY, PDQ_BYTES, hamming, pdq_from_pil

SAMPLE_EVERY_SECONDS = 1.0
DEDUPE_DISTANCE = 16
MAX_KEYFRAMES = 4000


def video_keyframe_hashes(path: Path) -> tuple[list[bytes], float]:
    """Return (PDQ hashes of deduplicated keyframes, duration in seconds) for a video file."""
    deadline = time.monotonic() + MAX_DECODE_SECONDS
    hashes: list[bytes] = []
    next_sample = 0.0
    last_time = 0.0
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            if not container.streams.video:
                raise UnparseableMediaError("unparseable: no video stream")
            stream = container.streams.video[0]
            width, height = stream.codec_context.width or 0, stream.codec_context.height or 0
            if width * height > MAX_VIDEO_PIXELS:
                raise UnparseableMediaError(f"unparseable: video frames too large ({width}x{height})")
            stream.thread_type = "AUTO"
            # Frames nothing else refers to (B-frames) are never decoded: about half the decoding
            # work, and a sample then lands on the next reference frame, a few frames later.
            stream.codec_context.skip_frame = "NONREF"
            for frame in container.decode(stream):
                if time.monotonic() > deadline:
                    raise UnparseableMediaError("unparseable: video took too long to decode")
                t = float(frame.time) if frame.time is not None else last_time
                last_time = t
                if t > MAX_VIDEO_SECONDS or len(hashes) >= MAX_KEYFRAMES:
                    break
                if t + 1e-6 < next_sample:
                    continue
                next_sample = t + SAMPLE_EVERY_SECONDS
                if frame.width * frame.height > MAX_VIDEO_PIXELS:
                    raise UnparseableMediaError("unparseable: video frames too large")
                digest, quality = pdq_from_pil(frame.to_image())
                if quality < MIN_QUALITY:
                    continue
                if hashes and hamming(hashes[-1], digest) <= DEDUPE_DISTANCE:
                    continue
                hashes.append(digest)
    except UnparseableMediaError:
        raise
    except (av.FFmpegError, OSError, ValueError, UnicodeDecodeError, IndexError) as exc:
        raise UnparseableMediaError(f"unparseable: video could not be decoded ({exc})") from exc
    if not hashes:
        raise UnparseableMediaError("unparseable: no video frame could be hashed")
    return hashes, last_time


def pack(hashes: list[bytes]) -> bytes:
    """Pack keyframe hashes into a BankedItem fingerprint (32 bytes each, in time order)."""
    return b"".join(hashes)


def unpack(blob: bytes) -> np.ndarray:
    """Return an (n, 32) uint8 array of keyframe hashes."""
    return np.frombuffer(blob, np.uint8).reshape(-1, PDQ_BYTES)
