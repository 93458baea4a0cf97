"""Where an audio query's time goes: the stages of AudioIndex.search, with and without the pitch sweep.

Run from the repository root: `python -m bench.banks.audio_stages [--clips 20000] [--queries 4]`.
The bank is built as `index_latency.audio_bench` builds it (synthetic landmarks drawn from real
speech, plus real banked clips); queries are real 30-second MP3s: a banked clip embedded in other
speech, the same 3% faster, pitch-shifted +2 and -1.5 semitones, and unrelated speech. The search is
a copy of AudioIndex.search with a CPU-time stopwatch between stages (keep it in step with index.py).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import numpy as np

from tests.banks import media
from triage.evidence.banks import index as ix
from triage.evidence.banks.fingerprints import audio as audio_fp

from .index_latency import real_speech

STAGES: dict[str, float] = {}


def lap(name: str, since: float) -> float:
    now = time.process_time()
    STAGES[name] = STAGES.get(name, 0.0) + now - since
    return now


def search(index: ix.AudioIndex, peaks: audio_fp.Peaks, min_aligned: int, *, pitch: bool) -> list:
    c = time.process_time()
    bar = min(min_aligned, ix.SHORTLIST_MIN_ALIGNED)
    first = index.vote(audio_fp.landmarks(peaks), bar)
    best = {o: ix.AudioHit(o, n, off, (1.0, 1.0)) for o, (n, off) in first.items() if n >= min_aligned}
    c = lap("stage1", c)
    if best and max(h.aligned for h in best.values()) >= 2 * min_aligned:
        return sorted(best.values(), key=lambda h: -h.aligned)
    scores = {o: n for o, (n, _) in first.items()}
    coarse = [(v, ix.COARSE_BUDGET) for v in audio_fp.COARSE_VARIANTS]
    if pitch:
        share = int(ix.COARSE_BUDGET * audio_fp.PITCH_BUDGET_SHARE)
        coarse += [(v, share) for v in audio_fp.PITCH_COARSE_VARIANTS]
    for variant, budget in coarse:
        marks = audio_fp.landmarks(peaks, freq_scale=variant[0], time_scale=variant[1])
        c = lap("landmarks", c)
        for owner, (aligned, _) in index.vote(marks, bar, budget=budget, exact=False).items():
            scores[owner] = max(aligned, scores.get(owner, 0))
        c = lap("stage2_speed_votes" if variant[1] != 1.0 else "stage2_pitch_votes", c)
    shortlist = sorted(scores, key=lambda o: -scores[o])[: ix.SHORTLIST_SIZE]
    if shortlist:
        small = ix.AudioIndex(*index.owner_landmarks(sorted(shortlist)))
        c = lap("stage3_build", c)
        for variant in audio_fp.SPEED_VARIANTS[1:]:
            if not pitch and variant[1] == 1.0 and variant[0] != 1.0:
                continue
            marks = audio_fp.landmarks(peaks, freq_scale=variant[0], time_scale=variant[1])
            c = lap("landmarks", c)
            for owner, (aligned, offset) in small.vote(marks, min_aligned).items():
                if owner not in best or aligned > best[owner].aligned:
                    best[owner] = ix.AudioHit(owner, aligned, offset, variant)
            c = lap("stage3_votes", c)
    return sorted(best.values(), key=lambda h: -h.aligned)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clips", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=4)
    args = parser.parse_args()
    rng = np.random.default_rng(42)
    work = Path(tempfile.mkdtemp(prefix="bench-audio-stages-"))
    clips = real_speech(work, 2 * args.queries + 16)
    banked, spare = clips[: args.queries], clips[args.queries :]
    real = [audio_fp.audio_fingerprint(p) for p in banked]
    sample = np.concatenate([audio_fp.unpack_landmarks(b) for b, _ in real])
    rate = sample.size / sum(d for _, d in real)
    f1, df, dt = (sample["hash"] >> 13) & 127, (sample["hash"] >> 6) & 127, sample["hash"] & 63
    lengths = rng.uniform(5, 30, size=args.clips)
    sizes = (lengths * rate).astype(np.int64)
    total = int(sizes.sum())
    hashes = (
        (rng.choice(f1, total).astype(np.uint32) << 13)
        | (rng.choice(df, total).astype(np.uint32) << 6)
        | rng.choice(dt, total).astype(np.uint32)
    )
    owners = np.repeat(np.arange(len(banked), len(banked) + args.clips, dtype=np.int32), sizes)
    frames = (lengths / audio_fp.FRAME_SECONDS).astype(np.int64)
    offsets = (rng.random(total) * np.repeat(frames, sizes)).astype(np.int32)
    for i, (blob, _) in enumerate(real):
        marks = audio_fp.unpack_landmarks(blob)
        hashes = np.concatenate([hashes, marks["hash"]])
        owners = np.concatenate([owners, np.full(marks.size, i, np.int32)])
        offsets = np.concatenate([offsets, marks["offset"].astype(np.int32)])
    index = ix.AudioIndex(hashes, owners, offsets)
    del hashes, owners, offsets
    queries: dict[str, list[tuple[int, audio_fp.Peaks]]] = {
        k: [] for k in ("embedded", "faster_3pct", "pitch_+2", "pitch_-1.5", "unrelated")
    }
    for i, src in enumerate(banked):
        other = [spare[(i * 8 + k) % len(spare)] for k in range(8)]
        longer = media.concat(work / f"q{i}.wav", [*other[:2], src, *other[2:]])

        def peaks(path: Path) -> audio_fp.Peaks:
            return audio_fp.spectral_peaks(audio_fp.decode_audio(path))

        queries["embedded"].append(
            (i, peaks(media.ffmpeg(longer, work / f"q{i}.mp3", "-t", "30", "-b:a", "32k")))
        )
        fast = media.ffmpeg(longer, work / f"f{i}.mp3", "-af", "asetrate=16480,aresample=16000", "-t", "30")
        queries["faster_3pct"].append((i, peaks(fast)))
        for semitones, key in ((2, "pitch_+2"), (-1.5, "pitch_-1.5")):
            shifted = media.pitch_shifted(longer, work, semitones)
            queries[key].append((i, peaks(media.ffmpeg(shifted, work / f"p{i}{key}.mp3", "-t", "30"))))
        unrelated = media.concat(work / f"u{i}.wav", [spare[(i * 8 + k + 3) % len(spare)] for k in range(8)])
        queries["unrelated"].append((-1, peaks(media.ffmpeg(unrelated, work / f"u{i}.mp3", "-t", "30"))))
    print(f"{args.clips} clips, {len(index)} landmarks, load {os.getloadavg()}", flush=True)
    count = sum(len(q) for q in queries.values())
    for pitch in (False, True, False, True):
        STAGES.clear()
        row = {}
        for kind, qs in queries.items():
            wall, cpu, found, false = [], [], 0, 0
            for owner, p in qs:
                t, c = time.perf_counter(), time.process_time()
                hits = search(index, p, 20, pitch=pitch)
                wall.append(time.perf_counter() - t)
                cpu.append(time.process_time() - c)
                found += owner >= 0 and bool(hits) and hits[0].owner == owner
                false += len(hits) if owner < 0 else 0
            row[kind] = {
                "wall_ms": round(1000 * float(np.median(wall))),
                "cpu_ms": round(1000 * float(np.median(cpu))),
                "found": found,
                "false": false,
            }
        print(f"pitch sweep {pitch}: {row} load {os.getloadavg()[0]:.1f}", flush=True)
        print("  CPU ms per query by stage:", {k: round(1000 * v / count, 1) for k, v in STAGES.items()})


if __name__ == "__main__":
    main()
