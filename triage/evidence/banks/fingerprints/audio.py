"""Landmark (constellation) fingerprints for audio, after Wang 2003 ("Shazam").

The recording is decoded to mono 8 kHz and analysed only between 300 and 3400 Hz, the telephone
band, so a copy played down a phone line still matches. Peaks of the log spectrogram are paired
into landmarks hashed as (f1, f2 - f1, dt); a copy matches when many of its landmarks agree on a
single time offset against a banked recording. That vote over offsets is what survives trimming,
embedding in a longer recording, added noise and volume changes (peaks are local maxima, so a
gain change moves none of them). A speed change of a few percent moves peaks in frequency and
time; the query is re-hashed with its peak coordinates scaled over a small grid of speeds instead
(see `SPEED_VARIANTS`).

Units: a landmark hash is a 20-bit integer; offsets are in spectrogram frames of HOP/SR seconds.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

# MAX_AUDIO_SECONDS is read at call time (a test may lower it with monkeypatch).
from . import MAX_AUDIO_SECONDS, MAX_DECODE_SECONDS, UnparseableMediaError

SR = 8000
N_FFT = 512
HOP = 128  # 16 ms frames
FRAME_SECONDS = HOP / SR
LO_BIN = int(np.ceil(300 * N_FFT / SR))  # 300 Hz
HI_BIN = int(3400 * N_FFT / SR)  # 3400 Hz
PEAK_TIME_RADIUS = 6  # frames either side for a local maximum
PEAK_FREQ_RADIUS = 10  # bins either side
PEAKS_PER_SECOND = 30
BLOCK_FRAMES = 4096  # spectrogram frames analysed at once (~65 s)
FAN_OUT = 5  # targets per anchor: more finds more, but the index grows and queries slow
MAX_DT = 40  # frames (0.64 s) from anchor to target
MAX_DF = 60  # bins
F_QUANT = 2  # bins per hash step
# (frequency scale, time scale) applied to query peaks. A speed change s that moves pitch and tempo
# (a re-clocked sample rate, asetrate) is undone by (1/s, s); a time-stretch that keeps the pitch
# (atempo) by (1, s). COARSE_SPEEDS are tried against the whole bank, the fine grid only against a
# shortlist (see index.AudioIndex.search). A time-stretch of up to ~4% already matches at speed 1.
COARSE_SPEEDS = (0.98, 1.02, 0.96, 1.04)
SPEEDS = (0.97, 0.98, 0.99, 1.01, 1.02, 1.03, 0.96, 1.04, 0.95, 1.05)
# A voice changer shifts pitch by a semitone or two and keeps the tempo: peaks move in frequency only,
# undone by (2 ** (-semitones / 12), 1). Half-semitone steps are voted over the whole bank with a
# smaller budget (PITCH_BUDGET_SHARE of a speed vote's), ~1% steps only against the shortlist. At 100k
# banked clips a 30 s query's landmarks have ~400k postings: 0.4 of a speed vote's budget counted too
# few of them to shortlist one of eight shifted copies; 0.6 shortlisted all (docs/benchmarks.md).
PITCH_COARSE_SEMITONES = (-2.0, 2.0, -1.5, 1.5, -1.0, 1.0, -0.5, 0.5)
PITCH_FINE_SEMITONES = tuple(round(k / 6, 3) for k in range(-13, 14) if abs(k) >= 2)  # 1/6 semitone ~ 1%
PITCH_BUDGET_SHARE = 0.6
COARSE_VARIANTS = tuple((1 / s, s) for s in COARSE_SPEEDS)
PITCH_COARSE_VARIANTS = tuple((2 ** (-t / 12), 1.0) for t in PITCH_COARSE_SEMITONES)
SPEED_VARIANTS = tuple(
    [(1.0, 1.0)]
    + [(1 / s, s) for s in SPEEDS]
    + [(1.0, s) for s in SPEEDS]
    + [(2 ** (-t / 12), 1.0) for t in PITCH_FINE_SEMITONES]
)

HASH_BITS = 21  # f1: 8 bits, f2 - f1: 7 bits, dt: 6 bits
LANDMARK_DTYPE = np.dtype([("hash", "<u4"), ("offset", "<u4")])


@dataclass(frozen=True)
class Peaks:
    """Spectral peaks: frame indices and frequency bins (relative to LO_BIN), in time order."""

    times: np.ndarray
    freqs: np.ndarray
    duration_seconds: float
    truncated: str | None = None  # what was not decoded (a recording longer than MAX_AUDIO_SECONDS)


def decode_audio(path: Path, *, max_seconds: float | None = None) -> np.ndarray:
    """Decode any audio (or a video's first audio track) to mono float32 at 8 kHz."""
    return decode_audio_noted(path, max_seconds=max_seconds)[0]


def audio_peaks(path: Path, *, max_seconds: float | None = None) -> Peaks:
    """Decode (at most `max_seconds` of) a recording and return its peaks, noting what was left out."""
    samples, truncated = decode_audio_noted(path, max_seconds=max_seconds)
    peaks = spectral_peaks(samples)
    del samples
    return Peaks(peaks.times, peaks.freqs, peaks.duration_seconds, truncated)


def _minutes(seconds: float) -> str:
    return f"{seconds / 3600:.1f} h" if seconds >= 3600 else f"{seconds / 60:.0f} min"


def decode_audio_noted(path: Path, *, max_seconds: float | None = None) -> tuple[np.ndarray, str | None]:
    """Return (the first `max_seconds` as mono float32 at 8 kHz, a note of what was not decoded).

    The declared duration is read before decoding, and decoding stops at the cap, so a long file
    costs what its first `max_seconds` cost, not what its length would.
    """
    deadline = time.monotonic() + MAX_DECODE_SECONDS
    max_seconds = MAX_AUDIO_SECONDS if max_seconds is None else max_seconds
    declared = 0.0
    stopped_at_cap = out_of_time = False
    max_samples = int(max_seconds * SR)
    # Decoded straight into one buffer: its pages become resident only as they are written, and no
    # list of chunks is joined into a second copy at the end.
    buffer = np.empty(max_samples, np.float32)
    total = 0

    def put(out) -> None:
        nonlocal total
        chunk = out.to_ndarray().reshape(-1)[: max_samples - total]
        buffer[total : total + chunk.size] = chunk
        total += chunk.size

    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise UnparseableMediaError("unparseable: no audio stream")
            stream = container.streams.audio[0]
            declared = _declared_seconds(container, stream)
            # Out in ~1 s frames rather than one per codec frame (1152 samples for MP3): an 11-minute
            # MP3 is 25,000 codec frames, and per-frame conversion to numpy was a third of its decode.
            resampler = av.AudioResampler(format="flt", layout="mono", rate=SR, frame_size=SR)
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    put(out)
                if total >= max_samples:
                    stopped_at_cap = True
                    break
                if time.monotonic() > deadline:
                    if not total:
                        raise UnparseableMediaError("unparseable: audio took too long to decode")
                    out_of_time = True  # a slow machine or a slow codec: keep what was decoded
                    break
            if not (stopped_at_cap or out_of_time):
                for out in resampler.resample(None):
                    put(out)
    except UnparseableMediaError:
        raise
    except (av.FFmpegError, OSError, ValueError, UnicodeDecodeError, IndexError) as exc:
        raise UnparseableMediaError(f"unparseable: audio could not be decoded ({exc})") from exc
    if not total:
        raise UnparseableMediaError("unparseable: no audio samples")
    samples = buffer[:total]
    if not np.isfinite(samples).all():
        raise UnparseableMediaError("unparseable: audio samples are not finite")
    note = None
    of = f" of {_minutes(declared)}" if declared > total / SR + 1 else ""
    if stopped_at_cap:
        note = f"fingerprinted the first {_minutes(max_seconds)}{of}; the rest was not decoded"
    elif out_of_time:
        note = (
            f"fingerprinted the first {_minutes(total / SR)}{of}; decoding stopped at its "
            f"{MAX_DECODE_SECONDS:g} s time budget"
        )
    return samples, note


def _declared_seconds(container, stream) -> float:
    """The duration the container declares (0 when it declares none or nonsense)."""
    try:
        if stream.duration is not None and stream.time_base is not None:
            return max(0.0, float(stream.duration * stream.time_base))
        if container.duration is not None:
            return max(0.0, container.duration / av.time_base)
    except (TypeError, ValueError, OverflowError):
        pass
    return 0.0


def spectral_peaks(samples: np.ndarray) -> Peaks:
    """Return the strongest local maxima of the telephone-band log spectrogram."""
    duration = samples.size / SR
    if samples.size < N_FFT * 2:
        return Peaks(np.zeros(0, np.int32), np.zeros(0, np.int32), duration)
    frames = sliding_window_view(samples, N_FFT)[::HOP]
    window = np.hanning(N_FFT).astype(np.float32)
    found_t, found_f, found_s = [], [], []
    # Blocks of ~65 s keep memory flat for long recordings (a whole hour at once would need
    # gigabytes); each block is analysed with PEAK_TIME_RADIUS frames of context on both sides.
    for start in range(0, frames.shape[0], BLOCK_FRAMES):
        lo = max(0, start - PEAK_TIME_RADIUS)
        hi = min(frames.shape[0], start + BLOCK_FRAMES + PEAK_TIME_RADIUS)
        spectrum = np.abs(np.fft.rfft(frames[lo:hi] * window, axis=1))
        # Log magnitude: a volume change only shifts every value by a constant.
        logmag = np.log(spectrum[:, LO_BIN : HI_BIN + 1] + 1e-6).astype(np.float32)
        local_max = _max_filter(logmag, PEAK_TIME_RADIUS, PEAK_FREQ_RADIUS)
        # A peak must stand out of silence: above the block's median level by a margin.
        floor = np.median(logmag) + 1.0
        is_peak = (logmag == local_max) & (logmag > floor)
        is_peak[: start - lo] = False  # context frames belong to the neighbouring blocks
        is_peak[start - lo + BLOCK_FRAMES :] = False
        times, freqs = np.nonzero(is_peak)
        found_t.append(times + lo)
        found_f.append(freqs)
        found_s.append(logmag[times, freqs])
    times, freqs, strengths = np.concatenate(found_t), np.concatenate(found_f), np.concatenate(found_s)
    # Keep the strongest peaks per second so density does not depend on the material.
    budget = max(1, int(PEAKS_PER_SECOND * duration))
    if times.size > budget:
        seconds = times // int(1 / FRAME_SECONDS)
        order = np.lexsort((-strengths, seconds))
        rank = np.empty_like(order)
        sorted_seconds = seconds[order]
        starts = np.searchsorted(sorted_seconds, sorted_seconds, side="left")
        rank[order] = np.arange(order.size) - starts
        keep = rank < PEAKS_PER_SECOND
        times, freqs = times[keep], freqs[keep]
    order = np.lexsort((freqs, times))
    return Peaks(times[order].astype(np.int32), freqs[order].astype(np.int32), duration)


def _max_filter(values: np.ndarray, time_radius: int, freq_radius: int) -> np.ndarray:
    """Max over a (2 * time_radius + 1) x (2 * freq_radius + 1) window, -inf beyond the edges."""
    return _window_max(_window_max(values, freq_radius, axis=1), time_radius, axis=0)


def _window_max(values: np.ndarray, radius: int, *, axis: int) -> np.ndarray:
    # Exact, by doubling: after k passes out[i] is the max of 2**k values from i, then one more pass
    # closes the gap to the window's width. A handful of whole-array maximums instead of a strided
    # reduction over every window (4-5x faster on a 65 s block).
    pad = [(0, 0)] * values.ndim
    pad[axis] = (radius, radius)
    out = np.pad(values, pad, constant_values=-np.inf)
    width, span = 2 * radius + 1, 1
    while span < width:
        step = min(span, width - span)
        head, tail = [slice(None)] * out.ndim, [slice(None)] * out.ndim
        head[axis], tail[axis] = slice(0, out.shape[axis] - step), slice(step, None)
        out = np.maximum(out[tuple(head)], out[tuple(tail)])
        span += step
    return out


def landmarks(peaks: Peaks, *, freq_scale: float = 1.0, time_scale: float = 1.0) -> np.ndarray:
    """Pair peaks into landmark hashes; return a LANDMARK_DTYPE array of (hash, anchor offset)."""
    t = peaks.times.astype(np.float64) * time_scale
    # Scale absolute frequencies (a speed change multiplies them), then hash from the band's bottom.
    f = np.rint((peaks.freqs + LO_BIN) * freq_scale).astype(np.int64) - LO_BIN
    n = t.size
    if n < 2:
        return np.zeros(0, LANDMARK_DTYPE)
    anchors: list[np.ndarray] = []
    targets: list[np.ndarray] = []
    idx = np.arange(n)
    # Peaks are sorted by time, so the k-th following peak is the k-th nearest in time ahead.
    for k in range(1, FAN_OUT * 2 + 1):
        a, b = idx[:-k], idx[k:]
        dt = np.rint(t[b] - t[a]).astype(np.int64)
        ok = (dt >= 1) & (dt <= MAX_DT) & (np.abs(f[b] - f[a]) <= MAX_DF)
        anchors.append(a[ok])
        targets.append(b[ok])
    a = np.concatenate(anchors)
    b = np.concatenate(targets)
    # Cap the fan-out per anchor at FAN_OUT, nearest targets first (the k loop ran in that order).
    order = np.argsort(a, kind="stable")
    a, b = a[order], b[order]
    first = np.searchsorted(a, a, side="left")
    keep = (np.arange(a.size) - first) < FAN_OUT
    a, b = a[keep], b[keep]
    f1 = f[a] // F_QUANT
    df = (f[b] - f[a]) // F_QUANT + (MAX_DF // F_QUANT + 1)
    dt = np.rint(t[b] - t[a]).astype(np.int64)
    hashes = (np.clip(f1, 0, 255) << 13) | (np.clip(df, 0, 127) << 6) | np.clip(dt, 0, 63)
    out = np.empty(a.size, LANDMARK_DTYPE)
    out["hash"] = hashes.astype(np.uint32)
    out["offset"] = np.rint(t[a]).astype(np.uint32)
    return out


def audio_fingerprint(path: Path) -> tuple[bytes, float]:
    """Return (packed landmarks, duration in seconds) for an audio file."""
    peaks = audio_peaks(path)
    marks = landmarks(peaks)
    if marks.size == 0:
        raise UnparseableMediaError("unparseable: no audible content to fingerprint")
    return marks.tobytes(), peaks.duration_seconds


def unpack_landmarks(blob: bytes) -> np.ndarray:
    """Return the LANDMARK_DTYPE array stored in a BankedItem's fingerprint."""
    return np.frombuffer(blob, dtype=LANDMARK_DTYPE)
