"""Robustness table: recall per transformation at zero false matches against unrelated media.

Run from the repository root: `python -m bench.banks.robustness [--clips 40] [--photos 200]`
(`--only reupload` for the table of real photos re-shared as screenshots, captions, mirrors, crops).
Needs espeak-ng and ffmpeg (benchmark only). Uses the same fingerprint and index code as the
service, without the database: the matching decision is exactly the service's default threshold
(PDQ distance <= 31 bits; audio >= 20 aligned landmark hashes; video >= 50% of keyframes).
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tests.banks import media
from triage.evidence.banks.fingerprints import audio as audio_fp
from triage.evidence.banks.fingerprints import image as image_fp
from triage.evidence.banks.fingerprints import local_features
from triage.evidence.banks.fingerprints import video as video_fp
from triage.evidence.banks.index import AudioIndex, DescriptorIndex, HashIndex, stacked

AUDIO_MIN_HASHES = 20
IMAGE_MAX_DISTANCE = 31
VIDEO_MIN_FRACTION = 0.5


def speech_corpus(work: Path, n: int, rng: random.Random) -> list[Path]:
    """One sentence per clip, each with its own voice, pitch and rate."""
    sentences = media.SENTENCES + media.MORE_SENTENCES
    assert n <= len(sentences), f"at most {len(sentences)} distinct clips"
    clips = []
    for i, text in enumerate(sentences[:n]):
        wav = work / f"s{i}.wav"
        media.run(
            "espeak-ng",
            "-v",
            rng.choice(media.VOICES),
            "-p",
            str(rng.randint(30, 70)),
            "-s",
            str(rng.randint(140, 180)),
            "-w",
            str(wav),
            text,
        )
        clips.append(media.ffmpeg(wav, work / f"clip{i}.wav", "-ar", "16000", "-ac", "1"))
    return clips


def audio_table(work: Path, n_clips: int) -> dict:
    rng = random.Random(7)
    clips = speech_corpus(work, n_clips, rng)
    n_banked = (n_clips * 3) // 5
    banked, unrelated = clips[:n_banked], clips[n_banked:]
    index = AudioIndex.from_fingerprints(
        [(i, audio_fp.audio_fingerprint(p)[0]) for i, p in enumerate(banked)]
    )

    def query(path: Path) -> list:
        return index.search(audio_fp.spectral_peaks(audio_fp.decode_audio(path)), AUDIO_MIN_HASHES)

    transforms = dict(media.AUDIO_TRANSFORMS)
    transforms["identity"] = lambda src, w: src

    def embed(src: Path, w: Path) -> Path:
        others = [u for u in unrelated if u != src]
        return media.embedded(src, w, before=rng.choice(others), after=rng.choice(others))

    transforms["embedded_in_other_speech"] = embed
    rows, true_scores, unrelated_max = {}, {}, 0
    for name, fn in transforms.items():
        hits = wrong = false = 0
        scores = []
        for i, src in enumerate(banked):
            peaks = audio_fp.spectral_peaks(audio_fp.decode_audio(fn(src, work)))
            result = index.search(peaks, AUDIO_MIN_HASHES)  # the service's decision
            hits += bool(result) and result[0].owner == i
            wrong += sum(1 for h in result if h.owner != i)
            # The score alone (a low bar), to find the operating point with zero false matches.
            found = index.search(peaks, 4, exhaustive=True)
            scores.append(max([h.aligned for h in found if h.owner == i] + [0]))
        max_unrelated = 0
        for src in unrelated:
            peaks = audio_fp.spectral_peaks(audio_fp.decode_audio(fn(src, work)))
            false += len(index.search(peaks, AUDIO_MIN_HASHES))
            found = index.search(peaks, 4, exhaustive=True)
            max_unrelated = max([max_unrelated] + [h.aligned for h in found])
        unrelated_max = max(unrelated_max, max_unrelated)
        true_scores[name] = scores
        rows[name] = {
            "recall_at_default_threshold": hits / len(banked),
            "queries": len(banked),
            "wrong_item_matches": wrong,
            "false_matches_unrelated": false,
            "unrelated_queries": len(unrelated),
            "max_unrelated_aligned": max_unrelated,
            "min_true_aligned": min(scores),
        }
        print("audio", name, rows[name], flush=True)
    # Zero false matches: the bar just above the best chance alignment over every transformation.
    bar = unrelated_max + 1
    for name, scores in true_scores.items():
        rows[name]["recall_at_zero_false_matches"] = sum(sc >= bar for sc in scores) / len(scores)
    return {"zero_false_match_bar_aligned": bar, "default_bar_aligned": AUDIO_MIN_HASHES, "rows": rows}


def image_table(work: Path, n_photos: int) -> dict:
    photos = [media.photo(work / f"p{i}.png", seed=i) for i in range(n_photos)]
    n_banked = n_photos // 2
    banked, unrelated = photos[:n_banked], photos[n_banked:]
    hashes, owners = [], []
    for i, p in enumerate(banked):
        for h in image_fp.image_bank_hashes(p)[0]:
            hashes.append(np.frombuffer(h, np.uint8))
            owners.append(i)
    index = HashIndex(np.stack(hashes), np.array(owners))

    def query(path: Path) -> tuple[set, dict[int, int]]:
        digest = np.frombuffer(image_fp.image_fingerprint(path)[0], np.uint8)[None, :]
        found, distances = index.search(digest, 256)[0]
        nearest: dict[int, int] = {}
        for owner, distance in zip(found.tolist(), distances.tolist(), strict=True):
            nearest[owner] = min(distance, nearest.get(owner, 256))
        return {o for o, d in nearest.items() if d <= IMAGE_MAX_DISTANCE}, nearest

    transforms = {"identity": lambda src, w: src, **media.IMAGE_TRANSFORMS, **media.IMAGE_TRANSFORMS_HARD}
    rows, true_distances, unrelated_min = {}, {}, 256
    for name, fn in transforms.items():
        hits = wrong = false = 0
        min_unrelated = 256
        distances = []
        for i, src in enumerate(banked):
            found, nearest = query(fn(src, work))
            hits += i in found
            wrong += len(found - {i})
            distances.append(nearest.get(i, 256))
        for src in unrelated:
            found, nearest = query(fn(src, work))
            false += len(found)
            min_unrelated = min([min_unrelated, *nearest.values()])
        unrelated_min = min(unrelated_min, min_unrelated)
        true_distances[name] = distances
        rows[name] = {
            "recall_at_default_threshold": hits / len(banked),
            "queries": len(banked),
            "wrong_item_matches": wrong,
            "false_matches_unrelated": false,
            "unrelated_queries": len(unrelated),
            "min_unrelated_distance": min_unrelated,
            "max_true_distance": max(distances),
        }
        print("image", name, rows[name], flush=True)
    bar = unrelated_min - 1
    for name, distances in true_distances.items():
        rows[name]["recall_at_zero_false_matches"] = sum(d <= bar for d in distances) / len(distances)
    return {"zero_false_match_bar_bits": bar, "default_bar_bits": IMAGE_MAX_DISTANCE, "rows": rows}


def vote_rows(features: dict[int, bytes]) -> tuple[np.ndarray, np.ndarray]:
    """(descriptors, owners): the vote keypoints of each banked item, as selectors reads them."""
    head = local_features.VOTE_PREFIX_BYTES
    return stacked(
        [(owner, local_features.vote_descriptors(blob[:head])) for owner, blob in features.items()]
    )


@dataclass
class ImageBank:
    """Banked images indexed as the service indexes them (selectors._build), decided as it decides."""

    hashes: HashIndex
    bands: HashIndex  # edge bands, in an index of their own
    descriptors: DescriptorIndex  # the keypoints each image is looked up by when no hash comes near
    features: dict[int, bytes]

    @classmethod
    def of(cls, paths: list[Path]) -> ImageBank:
        hashes, owners, band_hashes, band_owners, features = [], [], [], [], {}
        for i, p in enumerate(paths):
            img = image_fp.load_image(p)
            for position, h in enumerate(image_fp.bank_hashes(img)[0]):
                band = position >= image_fp.BANK_BANDS_FROM
                (band_hashes if band else hashes).append(np.frombuffer(h, np.uint8))
                (band_owners if band else owners).append(i)
            features[i] = image_fp.bank_keypoints(img)
        return cls(
            HashIndex(np.stack(hashes), np.array(owners)),
            HashIndex(np.stack(band_hashes), np.array(band_owners)),
            DescriptorIndex(*vote_rows(features)),
            features,
        )

    def match(self, path: Path) -> list:
        """The service's decision (image_verify.candidate_hits) at the default threshold."""
        # Imported here: image_verify needs Django set up, which the other tables do not.
        from triage.evidence.banks.image_verify import candidate_hits

        return candidate_hits(
            image_fp.image_query(path),
            self.hashes,
            lambda owner: IMAGE_MAX_DISTANCE,
            lambda wanted: {o: self.features[o] for o in wanted},
            IMAGE_MAX_DISTANCE,
            self.bands,
            self.descriptors,
        )


def reupload_table(work: Path, n_distractors: int) -> dict:
    """Real photos re-shared as people do it, decided exactly as the service decides (image_verify).

    Every other bundled photo (and its halves) is banked; the rest are queried as unrelated media.
    n_distractors generated images are banked too, so every query searches a crowded bank.
    """
    from triage.evidence.banks.image_verify import KEYPOINTS_REGION as KEYPOINTS

    items: list[tuple[Path, bool]] = []
    for k, name in enumerate(media.REAL_PHOTOS):
        for part in media.real_photo_parts(name, work / f"r{k}"):
            items.append((part, k % 2 == 0))
    banked = [p for p, b in items if b]
    unrelated = [p for p, b in items if not b]
    distractors = [media.photo(work / f"d{i}.png", seed=20_000 + i) for i in range(n_distractors)]
    bank = ImageBank.of(banked + distractors)

    def query(path: Path) -> tuple[list, float, float]:
        started = time.perf_counter()
        digest = np.frombuffer(image_fp.image_fingerprint(path)[0], np.uint8)[None, :]
        bank.hashes.search(digest, IMAGE_MAX_DISTANCE)  # the plain lookup, as before candidates
        plain_seconds = time.perf_counter() - started
        started = time.perf_counter()
        hits = bank.match(path)
        return hits, plain_seconds, time.perf_counter() - started

    transforms = {"identity": lambda src, w: src, **media.IMAGE_REUPLOADS}
    rows, plain_times, full_times = {}, [], []
    for name, fn in transforms.items():
        hits = wrong = false = verified = voted = 0
        for i, src in enumerate(banked):
            found, plain_s, full_s = query(fn(src, work))
            plain_times.append(plain_s)
            full_times.append(full_s)
            hits += any(h.owner == i for h in found)
            verified += any(h.owner == i and h.candidate is not None for h in found)
            voted += any(h.owner == i and h.candidate and h.candidate.region == KEYPOINTS for h in found)
            wrong += sum(1 for h in found if h.owner != i)
        for src in unrelated:
            found, plain_s, full_s = query(fn(src, work))
            plain_times.append(plain_s)
            full_times.append(full_s)
            false += len(found)
        rows[name] = {
            "recall": hits / len(banked),
            "queries": len(banked),
            "matched_through_verified_candidate": verified,
            "of_which_found_by_keypoint_vote": voted,
            "wrong_item_matches": wrong,
            "false_matches_unrelated": false,
            "unrelated_queries": len(unrelated),
        }
        print("reupload", name, rows[name], flush=True)
    return {
        "banked_screenshots": banked_screenshot_table(work, banked, unrelated),
        "banked_real": len(banked),
        "banked_generated_distractors": len(distractors),
        "unrelated_real": len(unrelated),
        "query_ms_median_plain_pdq": round(1000 * float(np.median(plain_times)), 1),
        "query_ms_median_with_candidates": round(1000 * float(np.median(full_times)), 1),
        "query_ms_p95_with_candidates": round(1000 * float(np.percentile(full_times, 95)), 1),
        "rows": rows,
    }


SCREENS = ("screenshot_phone", "screenshot_phone_dark_small_jpeg", "screenshot_desktop_browser")


def banked_screenshot_table(work: Path, banked: list[Path], unrelated: list[Path]) -> dict:
    """Screenshots banked as they circulated, against screenshots of other posts in the same app.

    Per app screen: a screenshot of each banked photo is banked (one bank per screen); queried are
    screenshots of the unrelated photos in that screen (any match is false: only the interface is
    shared) and each banked screenshot re-shared at 320 px as a JPEG (a match of its own is recall).
    """
    rows = {}
    for screen in SCREENS:
        shot = media.IMAGE_REUPLOADS[screen]
        shots = [shot(p, work) for p in banked]
        bank = ImageBank.of(shots)
        false = sum(len(bank.match(shot(p, work))) for p in unrelated)
        found = wrong = 0
        for i, p in enumerate(shots):
            hits = bank.match(media.IMAGE_REUPLOADS["resize_320px_jpeg_q75"](p, work))
            found += any(h.owner == i for h in hits)
            wrong += sum(1 for h in hits if h.owner != i)
        rows[screen] = {
            "banked_screenshots": len(shots),
            "reshared_recall": found / len(shots),
            "wrong_item_matches": wrong,
            "other_posts_queried": len(unrelated),
            "false_matches_other_posts": false,
        }
        print("banked screenshots", screen, rows[screen], flush=True)
    return rows


VIDEO_TRANSFORMS = {
    "identity": (),
    "h264_crf35": ("-c:v", "libx264", "-crf", "35"),
    "downscale_320x240": ("-vf", "scale=320:240", "-c:v", "libx264"),
    "mpeg4_25fps": ("-c:v", "mpeg4", "-q:v", "8", "-r", "25"),
    "trim_first_2s": ("-ss", "2", "-c:v", "libx264"),
    # Keyframes every 1.3 s at times unrelated to the original's (no scene-cut keyframes).
    "h264_gop13_no_scenecut_trim_0.7s": ("-ss", "0.7", "-c:v", "libx264", "-g", "13", "-sc_threshold", "0"),
}


def video_table(work: Path, n_videos: int) -> dict:
    """Slideshow videos of four generated photos each; half banked, half unrelated."""
    videos = []
    for v in range(n_videos):
        stills = [media.photo(work / f"v{v}-{k}.png", seed=5000 + 4 * v + k) for k in range(4)]
        videos.append(media.video_from_images(work / f"v{v}.mp4", stills))
    n_banked = n_videos // 2
    banked, unrelated = videos[:n_banked], videos[n_banked:]
    frames, owners = [], []
    for i, path in enumerate(banked):
        hashes, _ = video_fp.video_keyframe_hashes(path)
        frames += [np.frombuffer(h, np.uint8) for h in hashes]
        owners += [i] * len(hashes)
    sizes = np.bincount(owners)
    index = HashIndex(np.stack(frames), np.array(owners))

    def query(path: Path) -> dict[int, float]:
        # As bank_match_file queries: keyframes only, against the densely sampled banked videos.
        hashes, _ = video_fp.video_keyframe_hashes(path, keyframes_only=True)
        found: dict[int, set] = {}
        for qi, (hit_owners, distances) in enumerate(
            index.search(np.stack([np.frombuffer(h, np.uint8) for h in hashes]), IMAGE_MAX_DISTANCE)
        ):
            for owner in hit_owners[distances <= IMAGE_MAX_DISTANCE].tolist():
                found.setdefault(owner, set()).add(qi)
        return {o: len(q) / min(len(hashes), sizes[o]) for o, q in found.items()}

    rows = {}
    for name, args in VIDEO_TRANSFORMS.items():
        hits = wrong = false = 0
        for i, src in enumerate(banked):
            copy = media.ffmpeg(src, work / f"{src.stem}-{name}.mp4", *args) if args else src
            score = query(copy)
            hits += score.get(i, 0) >= VIDEO_MIN_FRACTION
            wrong += sum(1 for o, f in score.items() if o != i and f >= VIDEO_MIN_FRACTION)
        for src in unrelated:
            copy = media.ffmpeg(src, work / f"{src.stem}-{name}.mp4", *args) if args else src
            false += sum(1 for f in query(copy).values() if f >= VIDEO_MIN_FRACTION)
        rows[name] = {
            "recall_at_default_threshold": hits / len(banked),
            "queries": len(banked),
            "wrong_item_matches": wrong,
            "false_matches_unrelated": false,
            "unrelated_queries": len(unrelated),
        }
        print("video", name, rows[name], flush=True)
    return {
        "default_bar": f"{VIDEO_MIN_FRACTION:.0%} of keyframes within {IMAGE_MAX_DISTANCE} bits",
        "rows": rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clips", type=int, default=64)
    parser.add_argument("--photos", type=int, default=400)
    parser.add_argument("--videos", type=int, default=24)
    parser.add_argument("--distractors", type=int, default=200, help="generated images banked too")
    parser.add_argument("--only", choices=["audio", "image", "reupload", "video"], help="run one table")
    parser.add_argument("--out", type=Path, default=Path("var/bench-banks-robustness.json"))
    args = parser.parse_args()
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        tables = {"audio": (audio_table, args.clips), "image": (image_table, args.photos)}
        tables["video"] = (video_table, args.videos)
        tables["reupload"] = (reupload_table, args.distractors)
        result = {}
        for name, (table, size) in tables.items():
            if args.only in (None, name):
                (work / name).mkdir()
                result[name] = table(work / name, size)
    result["seconds"] = round(time.monotonic() - started, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if args.out.exists() and args.only:  # refresh one table, keep the others
        result = {**json.loads(args.out.read_text()), **result}
    args.out.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
