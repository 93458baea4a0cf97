"""What an image query costs in the bank at 1M banked images, end to end, on real uploads.

Run from the repository root, with Django set up first (the decision is the service's,
image_verify.candidate_hits): `python -m bench.banks.query_at_scale [--images 1000000]`.

The re-upload bench's banked real photos (and halves) are banked as the service banks them, among
--images more banked images: 7 random PDQ hashes and 4 random edge bands each (what a banked image
stores) and 48 vote keypoints each drawn from the banked real photos' keypoints (vote_at_scale's
crowd, without the unrelated photos' keypoints, which are the fresh uploads here). The
three indexes are the service's (HashIndex, HashIndex of bands, DescriptorIndex). Queried:

- fresh uploads that resemble nothing banked: the 19 unrelated real photos as they are, in a phone
  screenshot and in a small dark-mode one (every stage runs and finds nothing);
- re-uploads of the banked photos cropped from every side (no hash comes near: the vote finds them).

Reported per kind, CPU ms median and p95: `image_query` (decode, regions, hashes, once per upload)
and the bank's decision (`candidate_hits`: hash lookups, keypoints, verification, the vote), with
the part of the decision the hash lookups and the vote's searches took; full votes taken; recall
and false matches. Twice, same indexes and queries: as the service decides now, and as it decided
before the sixth pass (HMA's FAISS index for the hashes, no first look before the vote).
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
from triage.evidence.banks.fingerprints import image as image_fp
from triage.evidence.banks.index import DescriptorIndex, HashIndex

from .index_latency import HmaPdqIndex
from .robustness import IMAGE_MAX_DISTANCE, ImageBank, vote_rows
from .vote_at_scale import BANKED_PHOTOS, CROWD_FIRST_OWNER, crowd_descriptors, real_items

HASHES_PER_IMAGE = 7  # its own hash and six crops; the four edge bands go to the band index
BANDS_PER_IMAGE = 4


def _timed(into: list[float], method):
    def timed(*args, **kwargs):
        started = time.process_time()
        try:
            return method(*args, **kwargs)
        finally:
            into.append(time.process_time() - started)

    return timed


def _ms(samples: list[float]) -> list[float]:
    ms = np.array(samples) * 1000
    return [round(float(np.median(ms)), 1), round(float(np.percentile(ms, 95)), 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--images", type=int, default=1_000_000, help="more banked images")
    parser.add_argument("--out", type=Path, default=Path("var/bench-banks-query-at-scale.json"))
    args = parser.parse_args()
    rng = np.random.default_rng(11)
    work = Path(tempfile.mkdtemp(prefix="bench-query-at-scale-"))
    banked, unrelated = real_items(work)
    small = ImageBank.of(banked)
    # The small bank's own rows first, then the crowd's: owners >= CROWD_FIRST_OWNER.
    n = args.images
    crowd_owners = CROWD_FIRST_OWNER + np.arange(n, dtype=np.int64)
    result: dict = {"banked_real": len(banked), "more_banked_images": n}
    started = time.perf_counter()
    hash_rows = (
        np.concatenate([small.hashes.index.reconstruct_n(0, len(small.hashes)), _random(rng, n * 7)]),
        np.concatenate([small.hashes.owners, np.repeat(crowd_owners, HASHES_PER_IMAGE)]),
    )
    band_rows = (
        np.concatenate([small.bands.index.reconstruct_n(0, len(small.bands)), _random(rng, n * 4)]),
        np.concatenate([small.bands.owners, np.repeat(crowd_owners, BANDS_PER_IMAGE)]),
    )
    hashes, bands = HashIndex(*hash_rows), HashIndex(*band_rows)
    result["hash_indexes_build_s"] = round(time.perf_counter() - started, 1)
    voting, owners = vote_rows(small.features)
    crowd, crowd_descriptor_owners = crowd_descriptors(n, rng, BANKED_PHOTOS)
    started = time.perf_counter()
    descriptors = DescriptorIndex(
        np.concatenate([voting, crowd]), np.concatenate([owners, crowd_descriptor_owners])
    )
    del crowd
    result["vote_index_build_s"] = round(time.perf_counter() - started, 1)
    print(json.dumps(result), flush=True)

    hashes_before, bands_before = HmaHashIndex(*hash_rows), HmaHashIndex(*band_rows)
    del hash_rows, band_rows
    lookups: list[float] = []
    searches: list[float] = []
    full_votes: list[int] = []
    for index in (hashes, bands, hashes_before, bands_before):
        index.search = _timed(lookups, index.search)  # type: ignore[method-assign]
    vote = descriptors.votes

    def recorded_vote(queries, *a, probes=None, **kw):
        full_votes.append(probes is None)
        return vote(queries, *a, probes=probes, **kw)

    descriptors.votes = _timed(searches, recorded_vote)  # type: ignore[method-assign]

    kinds = {
        "fresh_photo": [(p, None) for p in unrelated],
        "fresh_screenshot_phone": [
            (media.IMAGE_REUPLOADS["screenshot_phone"](p, work), None) for p in unrelated
        ],
        "fresh_screenshot_phone_dark_small_jpeg": [
            (media.IMAGE_REUPLOADS["screenshot_phone_dark_small_jpeg"](p, work), None) for p in unrelated
        ],
        "banked_cropped_uneven_12_3_3_12": [
            (media.IMAGE_REUPLOADS["crop_uneven_12_3_3_12"](p, work), i) for i, p in enumerate(banked)
        ],
    }
    first_look = image_verify.FIRST_LOOK_PROBES
    designs = {
        "now": (hashes, bands, first_look),
        "before_sixth_pass": (hashes_before, bands_before, 0),
    }
    for design, (hash_index, band_index, image_verify.FIRST_LOOK_PROBES) in designs.items():
        result[design] = {}
        for kind, queries in kinds.items():
            prepare, decide, in_lookups, in_votes, full, found, false = [], [], [], [], 0, 0, 0
            for path, owner in queries:
                started = time.process_time()
                query = image_fp.image_query(path)
                prepare.append(time.process_time() - started)
                lookups.clear(), searches.clear(), full_votes.clear()
                started = time.process_time()
                hits = image_verify.candidate_hits(
                    query,
                    hash_index,
                    lambda owner: IMAGE_MAX_DISTANCE,
                    lambda wanted: {o: small.features[o] for o in wanted if o in small.features},
                    IMAGE_MAX_DISTANCE,
                    band_index,
                    descriptors,
                )
                decide.append(time.process_time() - started)
                in_lookups.append(sum(lookups))
                in_votes.append(sum(searches))
                full += any(full_votes)
                found += owner is not None and any(h.owner == owner for h in hits)
                false += sum(h.owner != owner for h in hits)
            row = {
                "queries": len(queries),
                "image_query_cpu_ms": _ms(prepare),
                "decision_cpu_ms": _ms(decide),
                "of_which_hash_lookups_ms": _ms(in_lookups),
                "of_which_vote_searches_ms": _ms(in_votes),
                "full_votes_taken": f"{full}/{len(queries)}",
                "found": f"{found}/{len(queries)}" if queries[0][1] is not None else None,
                "false_or_wrong_matches": false,
            }
            result[design][kind] = row
            print(design, kind, json.dumps(row), flush=True)
    image_verify.FIRST_LOOK_PROBES = first_look
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


class HmaHashIndex:
    """The hash index before the sixth pass: HMA's PDQ index (FAISS IndexBinaryMultiHash)."""

    def __init__(self, hashes: np.ndarray, owners: np.ndarray) -> None:
        self.pdq, self.owners = HmaPdqIndex(hashes), owners

    def __len__(self) -> int:
        return int(self.pdq.index.ntotal)

    def search(self, queries: np.ndarray, max_distance: int) -> list[tuple[np.ndarray, np.ndarray]]:
        return [(self.owners[rows], d.astype(np.int32)) for rows, d in self.pdq.search(queries, max_distance)]


def _random(rng: np.random.Generator, rows: int) -> np.ndarray:
    return rng.integers(0, 256, size=(rows, 32), dtype=np.uint8)


if __name__ == "__main__":
    main()
