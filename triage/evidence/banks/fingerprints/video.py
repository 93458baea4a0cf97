"""Video fingerprints: PDQ hashes of frames, dense when banking, keyframes only when querying.

Banking decodes the whole video and hashes a frame every SAMPLE_EVERY_SECONDS. A query decodes only
the keyframes (I-frames), which the decoder can produce without decoding anything else: on a 720p
H.264 upload that is ~30x less decoding work, and what keeps `inspect_media` on a 10 MB video
near a second instead of several (docs/benchmarks.md). A copy's keyframes fall wherever its
encoder put them, unrelated to the original's; the dense banked samples mean each of them has a
banked frame at most SAMPLE_EVERY_SECONDS / 2 away in time, close enough for PDQ on most footage.
A query whose keyframes are too sparse to say much (a long GOP with few scene cuts) is sampled
densely instead, like a banked video.

Consecutive samples that look alike (PDQ within DEDUPE_DISTANCE bits) are kept once, so a static
shot does not dominate, and flat frames (black, fades) that PDQ cannot hash meaningfully are
dropped. Two videos match when enough of the shorter one's hashes have a near twin in the other.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from pathlib import Path

import av
import numpy as np

from . import MAX_DECODE_SECONDS, MAX_VIDEO_PIXELS, MAX_VIDEO_SECONDS, UnparseableMediaError
from .image import MIN_QUALITY, PDQ_BYTES, hamming, pdq_from_array

SAMPLE_EVERY_SECONDS = 0.5
# A query needs fewer samples than a bank: each of its frames only has to find one banked twin.
QUERY_SAMPLE_EVERY_SECONDS = 1.0
DEDUPE_DISTANCE = 16
MAX_KEYFRAMES = 4000
# Frames up to 4K UHD are decoded with frame threading; larger ones one frame at a time.
FRAME_THREADS_MAX_PIXELS = 3840 * 2160
# PDQ reduces every frame to 64x64 through a 512-pixel version: let the decoder's scaler shrink the
# frame that far instead of converting it to RGB at full size first.
HASH_SIZE = 512
# A keyframes-only query needs at least this many keyframes, and one per QUERY_MAX_KEYFRAME_GAP
# seconds on average; otherwise the query is sampled densely.
QUERY_MIN_KEYFRAMES = 3
QUERY_MAX_KEYFRAME_GAP = 10.0


def video_keyframe_hashes(path: Path, *, keyframes_only: bool = False) -> tuple[list[bytes], float]:
    """Return (PDQ hashes of deduplicated sampled frames, duration in seconds) for a video file.

    keyframes_only hashes only the keyframes (fast; for queries, not for banking), falling back to
    dense sampling when they are too sparse.
    """
    deadline = time.monotonic() + MAX_DECODE_SECONDS
    if keyframes_only:
        hashes, duration, decoded = _sample(path, deadline, keyframes_only=True)
        if hashes and decoded >= max(QUERY_MIN_KEYFRAMES, duration / QUERY_MAX_KEYFRAME_GAP):
            return hashes, duration
    hashes, duration, _ = _sample(path, deadline, keyframes_only=False)
    return hashes, duration


def _sample(path: Path, deadline: float, *, keyframes_only: bool) -> tuple[list[bytes], float, int]:
    """Return (hashes, duration in seconds, frames sampled before quality and dedupe filters)."""
    hashes: list[bytes] = []
    next_sample = 0.0
    last_time = 0.0
    sampled = 0
    try:
        # Opening a file probes its streams by decoding their first frames, before any cap is
        # checked: an 8192x8192 frame cost 158 MB there. The container's headers say the frame
        # size; nothing is decoded until the sampler below sets what it wants decoded.
        with av.open(str(path), metadata_errors="ignore", options={"skip_frame": "all"}) as container:
            if not container.streams.video:
                raise UnparseableMediaError("unparseable: no video stream")
            stream = container.streams.video[0]
            width, height = stream.codec_context.width or 0, stream.codec_context.height or 0
            if width * height > MAX_VIDEO_PIXELS:
                raise UnparseableMediaError(f"unparseable: video frames too large ({width}x{height})")
            # Frame threading keeps a decoded frame in flight per thread: on a frame of 8192x8192
            # (100 MB in YUV) that multiplied the peak past 600 MB. Above 4K, slice threading only,
            # which decodes one frame at a time.
            stream.thread_type = "AUTO" if width * height <= FRAME_THREADS_MAX_PIXELS else "SLICE"
            every = QUERY_SAMPLE_EVERY_SECONDS if keyframes_only else SAMPLE_EVERY_SECONDS
            frames = (
                _keyframes(container, stream, every, deadline)
                if keyframes_only
                else _reference_frames(container, stream)
            )
            for frame in frames:
                if time.monotonic() > deadline:
                    raise UnparseableMediaError("unparseable: video took too long to decode")
                t = _frame_seconds(frame, stream, last_time)
                last_time = t
                if t > MAX_VIDEO_SECONDS or len(hashes) >= MAX_KEYFRAMES:
                    break
                if t + 1e-6 < next_sample:
                    continue
                next_sample = t + every
                if frame.width * frame.height > MAX_VIDEO_PIXELS:
                    raise UnparseableMediaError("unparseable: video frames too large")
                sampled += 1
                digest, quality = pdq_from_array(_small_rgb(frame))
                if quality < MIN_QUALITY:
                    continue
                if hashes and hamming(hashes[-1], digest) <= DEDUPE_DISTANCE:
                    continue
                hashes.append(digest)
            duration = _duration(container, stream, last_time)
    except UnparseableMediaError:
        raise
    except (av.FFmpegError, OSError, ValueError, UnicodeDecodeError, IndexError) as exc:
        raise UnparseableMediaError(f"unparseable: video could not be decoded ({exc})") from exc
    if not hashes:
        raise UnparseableMediaError("unparseable: no video frame could be hashed")
    return hashes, duration, sampled


def _reference_frames(container, stream) -> Iterator[av.VideoFrame]:
    # Frames nothing else refers to (B-frames) are never decoded: a sample then lands on the next
    # reference frame, a few frames later.
    stream.codec_context.skip_frame = "NONREF"
    yield from container.decode(stream)


def _keyframes(container, stream, every: float, deadline: float) -> Iterator[av.VideoFrame]:
    # Only keyframe packets reach the decoder, and only one per `every` seconds: each decodes on
    # its own, so everything in between is skipped unread by the codec. NONKEY makes the decoder
    # drop anything else a container mislabels as a keyframe.
    stream.codec_context.skip_frame = "NONKEY"
    next_sample = 0.0
    for packet in container.demux(stream):
        if time.monotonic() > deadline:  # a file of nothing but undecodable packets
            raise UnparseableMediaError("unparseable: video took too long to decode")
        if packet.size == 0 or not packet.is_keyframe:
            continue
        if packet.pts is not None and packet.time_base is not None:
            t = float(packet.pts * packet.time_base)
            if t + 1e-6 < next_sample:
                continue
            next_sample = t + every
        yield from stream.decode(packet)
    yield from stream.decode(None)  # frames still inside a threaded decoder


def _frame_seconds(frame: av.VideoFrame, stream, previous: float) -> float:
    # Frames flushed out of a threaded decoder carry a pts but no time base of their own.
    time_base = frame.time_base or stream.time_base
    if frame.pts is None or time_base is None:
        return previous
    seconds = float(frame.pts * time_base)
    return seconds if math.isfinite(seconds) else previous


def _small_rgb(frame: av.VideoFrame) -> np.ndarray:
    scale = min(1.0, HASH_SIZE / max(frame.width, frame.height, 1))
    width, height = max(1, round(frame.width * scale)), max(1, round(frame.height * scale))
    # Area averaging: what PDQ's own downsampling approximates, and half the cost of the default.
    return frame.to_ndarray(width=width, height=height, format="rgb24", interpolation="AREA")


def _duration(container, stream, last_time: float) -> float:
    # Keyframes stop short of the end: prefer the declared duration, but never trust an absurd one.
    declared = 0.0
    if stream.duration is not None and stream.time_base is not None:
        declared = float(stream.duration * stream.time_base)
    elif container.duration is not None:
        declared = container.duration / av.time_base
    return declared if last_time <= declared <= MAX_VIDEO_SECONDS else last_time


def pack(hashes: list[bytes]) -> bytes:
    """Pack frame hashes into a BankedItem fingerprint (32 bytes each, in time order)."""
    return b"".join(hashes)


def unpack(blob: bytes) -> np.ndarray:
    """Return an (n, 32) uint8 array of frame hashes."""
    return np.frombuffer(blob, np.uint8).reshape(-1, PDQ_BYTES)
