"""The keypoint vote's recall among many banked images: real re-uploads voting in a crowded index.

Run from the repository root, with Django set up first (the decision is the service's,
image_verify.candidate_hits): `python -m bench.banks.vote_at_scale [--crowd 100000]`.

The re-upload bench's banked real photos (and halves) are banked as the service banks them; the vote's
index also holds --crowd more images' 48 descriptors each, drawn from the same real photos' keypoints
with 1/8 of their bits flipped: a pessimistic crowd (real banks' other images are not copies of the
banked ones), large enough for an inverted file of 4,096 lists. Queried: the transformations that
reach the vote (no hash comes near) of the banked photos, and of 19 unrelated real photos (any match
is false): at 4 probed lists with the first look (image_verify.FIRST_LOOK_PROBES, the service) and
without it, and at 8 and 2 without. Per row also the CPU time the vote's searches took per query,
how many unrelated queries the first look let through to the full vote, and how many votes each
banked photo's re-upload gave its own item in the first look.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np

from tests.banks import media
from triage.evidence.banks import image_verify
from triage.evidence.banks.fingerprints import local_features
from triage.evidence.banks.index import DESCRIPTOR_PROBES, DescriptorIndex

from .index_latency import _sparse_noise
from .robustness import ImageBank, vote_rows

TRANSFORMS = ("crop_uneven_12_3_3_12", "screenshot_phone_dark_small_jpeg", "mirrored_cropped_4pct")


# Owner ids of the crowd's images, apart from the bank's own items (numbered from 0).
CROWD_FIRST_OWNER = 1_000_000


def crowd_descriptors(
    images: int, rng: np.random.Generator, photos: tuple[str, ...] = media.REAL_PHOTOS
) -> tuple[np.ndarray, np.ndarray]:
    """(descriptors, owners) of that many images' vote keypoints, drawn from those real photos' own
    keypoints with 1/8 of their bits flipped: the same clumps and generic spots real ones have."""
    pool = np.concatenate(
        [local_features.unpack(local_features.extract(media.real_photo(n)))[1] for n in photos]
    )
    total = images * local_features.VOTE_KEYPOINTS
    out = np.empty((total, 32), np.uint8)
    for start in range(0, total, 1 << 22):  # in steps: the noise takes a few copies' memory
        rows = min(1 << 22, total - start)
        out[start : start + rows] = pool[rng.integers(0, len(pool), rows)] ^ _sparse_noise(rng, (rows, 32), 3)
    owners = CROWD_FIRST_OWNER + np.repeat(np.arange(images, dtype=np.int64), local_features.VOTE_KEYPOINTS)
    return out, owners


# The re-upload bench banks every other real photo (and its halves); the rest are unrelated.
BANKED_PHOTOS = media.REAL_PHOTOS[0::2]


def real_items(work: Path) -> tuple[list[Path], list[Path]]:
    """The re-upload bench's real photos and halves: (banked, unrelated)."""
    items = []
    for k, name in enumerate(media.REAL_PHOTOS):
        items += [(part, name in BANKED_PHOTOS) for part in media.real_photo_parts(name, work / f"r{k}")]
    return [p for p, b in items if b], [p for p, b in items if not b]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--crowd", type=int, default=100_000, help="more images in the vote's index")
    args = parser.parse_args()
    rng = np.random.default_rng(5)
    work = Path(tempfile.mkdtemp(prefix="bench-vote-at-scale-"))
    banked, unrelated = real_items(work)
    bank = ImageBank.of(banked)
    voting, owners = vote_rows(bank.features)
    crowd, crowd_owners = crowd_descriptors(args.crowd, rng)
    bank.descriptors = DescriptorIndex(
        np.concatenate([voting, crowd]), np.concatenate([owners, crowd_owners])
    )
    queries = {t: [media.IMAGE_REUPLOADS[t](p, work) for p in banked] for t in TRANSFORMS}
    others = {t: [media.IMAGE_REUPLOADS[t](p, work) for p in unrelated] for t in TRANSFORMS}
    result: dict = {"banked_real": len(banked), "crowd_images": args.crowd, "rows": {}}
    # Every search the vote makes: (probes asked, CPU seconds, the votes).
    searches: list[tuple[int | None, float, dict[int, int]]] = []
    index = bank.descriptors
    search = index.votes

    def recorded(queries, *args, probes=None, **kwargs):
        started = time.process_time()
        out = search(queries, *args, probes=probes, **kwargs)
        searches.append((probes, time.process_time() - started, out))
        return out

    index.votes = recorded  # type: ignore[method-assign]
    configurations = (
        (f"probes_{DESCRIPTOR_PROBES}_first_look", DESCRIPTOR_PROBES, image_verify.FIRST_LOOK_PROBES),
        (f"probes_{DESCRIPTOR_PROBES}_no_first_look", DESCRIPTOR_PROBES, 0),
        ("probes_8_no_first_look", 8, 0),
        ("probes_2_no_first_look", 2, 0),
    )
    for name, probes, first_look in configurations:
        if index.inverted:  # a crowd too small gets an exact scan
            index.index.nprobe = probes
        image_verify.FIRST_LOOK_PROBES = first_look
        row = {}
        for t in TRANSFORMS:
            found, own_first_look, cpu, other_cpu, full = [], [], [], [], 0
            for i, q in enumerate(queries[t]):
                searches.clear()
                found.append(bank.match(q))
                cpu.append(sum(s[1] for s in searches))
                own_first_look.append(max((s[2].get(i, 0) for s in searches if s[0] is not None), default=0))
            false = 0
            for q in others[t]:
                searches.clear()
                false += len(bank.match(q))
                other_cpu.append(sum(s[1] for s in searches))
                full += any(s[0] is None for s in searches)
            row[t] = {
                "recall": sum(any(h.owner == i for h in hits) for i, hits in enumerate(found)) / len(found),
                "wrong_item_matches": sum(h.owner != i for i, hits in enumerate(found) for h in hits),
                "false_matches_unrelated": false,
                "vote_cpu_ms_median_banked_unrelated": [
                    round(float(np.median(cpu)) * 1000, 1),
                    round(float(np.median(other_cpu)) * 1000, 1),
                ],
                "unrelated_given_the_full_vote": f"{full}/{len(others[t])}",
                "own_votes_in_first_look_min_median": (
                    [int(min(own_first_look)), float(np.median(own_first_look))] if first_look else None
                ),
            }
        result["rows"][name] = row
        print(name, json.dumps(row), flush=True)
    image_verify.FIRST_LOOK_PROBES = configurations[0][2]
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
