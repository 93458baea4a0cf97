"""A ready-to-play copy of audio with the spoken disclosure before it (and, for long audio, again at
a set interval), for platforms that would rather play a file than mix one in.

Made by a worker with PyAV: the disclosure and the recording are decoded, resampled to one format
(the recording's rate, mono or stereo as it is), joined with a short pause, and encoded as MP3.
The copy is stored once per (recording, disclosure audio, interval) under
disclosed/<2 hex>/<sha256>.mp3. Audio only: a video copy would need its picture re-encoded around
the inserted speech, which this does not do.
"""

from __future__ import annotations

import hashlib
import io

import av
import numpy as np
from celery import shared_task
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

PAUSE_SECONDS = 0.4
MAX_INPUT_SECONDS = 4 * 3600  # bounded work whatever is sent


class DisclosedCopyError(Exception):
    """The recording could not be read as audio."""


def disclosed_copy_path(key: str) -> str:
    return f"disclosed/{key[:2]}/{key}.mp3"


def _decode(data: bytes, *, rate: int | None, layout: str | None) -> tuple[np.ndarray, int, str]:
    """Decode the first audio stream as planar s16 at `rate`/`layout` (default: its own)."""
    try:
        container = av.open(io.BytesIO(data))
    except (av.error.FFmpegError, ValueError) as exc:
        raise DisclosedCopyError(f"unreadable media: {exc}") from None
    with container:
        if not container.streams.audio:
            raise DisclosedCopyError("the media has no audio stream")
        stream = container.streams.audio[0]
        rate = rate or stream.rate or 44100
        layout = layout or ("stereo" if (stream.channels or 1) > 1 else "mono")
        resampler = av.AudioResampler(format="s16p", layout=layout, rate=rate)
        chunks = []
        total = 0
        for frame in container.decode(stream):
            for out in resampler.resample(frame):
                chunk = out.to_ndarray()
                chunks.append(chunk)
                total += chunk.shape[1]
            if total > MAX_INPUT_SECONDS * rate:
                raise DisclosedCopyError("the media is too long")
        for out in resampler.resample(None):
            chunks.append(out.to_ndarray())
    channels = 2 if layout == "stereo" else 1
    samples = np.concatenate(chunks, axis=1) if chunks else np.zeros((channels, 0), dtype=np.int16)
    return samples, rate, layout


def _encode_mp3(samples: np.ndarray, *, rate: int, layout: str) -> bytes:
    out = io.BytesIO()
    with av.open(out, "w", format="mp3") as container:
        stream = container.add_stream("libmp3lame", rate=rate, layout=layout)
        step = 1152 * 8
        for start in range(0, samples.shape[1], step):
            chunk = np.ascontiguousarray(samples[:, start : start + step])
            frame = av.AudioFrame.from_ndarray(chunk, format="s16p", layout=layout)
            frame.sample_rate = rate
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return out.getvalue()


def media_with_disclosure(
    *, media: bytes, disclosure: bytes, repeat_every_seconds: int | None = None
) -> bytes:
    """Return MP3 bytes: the disclosure, a pause, the recording (with the disclosure again every N s)."""
    recording, rate, layout = _decode(media, rate=None, layout=None)
    spoken, _, _ = _decode(disclosure, rate=rate, layout=layout)
    pause = np.zeros((recording.shape[0], int(PAUSE_SECONDS * rate)), dtype=np.int16)
    parts = [spoken, pause]
    every = int(repeat_every_seconds * rate) if repeat_every_seconds else 0
    position = 0
    while position < recording.shape[1]:
        end = recording.shape[1] if not every else min(recording.shape[1], position + every)
        parts.append(recording[:, position:end])
        position = end
        if every and position < recording.shape[1]:
            parts.extend([pause, spoken, pause])
    return _encode_mp3(np.concatenate(parts, axis=1), rate=rate, layout=layout)


def disclosed_copy_store(
    *, media_name: str, speech_name: str, repeat_every_seconds: int | None = None
) -> str:
    """Make (once) and store the disclosed copy of a stored recording; return its storage name."""
    with default_storage.open(media_name, "rb") as handle:
        media = handle.read()
    with default_storage.open(speech_name, "rb") as handle:
        disclosure = handle.read()
    key = hashlib.sha256(
        b"\x00".join(
            [
                hashlib.sha256(media).hexdigest().encode(),
                hashlib.sha256(disclosure).hexdigest().encode(),
                str(repeat_every_seconds or 0).encode(),
            ]
        )
    ).hexdigest()
    name = disclosed_copy_path(key)
    if default_storage.exists(name):
        return name
    data = media_with_disclosure(
        media=media, disclosure=disclosure, repeat_every_seconds=repeat_every_seconds
    )
    saved = default_storage.save(name, ContentFile(data))
    if saved != name:  # another worker made the same copy meanwhile
        default_storage.delete(saved)
    return name


@shared_task(name="moratorium.labels.disclosed_copy")
def disclosed_copy_task(media_name: str, speech_name: str, repeat_every_seconds: int | None = None) -> str:
    """The worker's entry point: content-addressed, so a redelivered task finds the copy and returns."""
    return disclosed_copy_store(
        media_name=media_name, speech_name=speech_name, repeat_every_seconds=repeat_every_seconds
    )
