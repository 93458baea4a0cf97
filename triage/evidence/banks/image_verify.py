"""Image matching with query-time candidates and local-feature verification.

The plain PDQ hash of the whole query, within a bank's `image_max_distance`, is a match exactly as
before. Everything looser is only a *candidate*: a region found inside the query (a screenshot's
photo, the picture above a caption band), a mirrored or rotated variant, or a distance in the loose
band up to IMAGE_VERIFY_FACTOR times the bank's threshold. A candidate becomes a match only when
the banked image's stored ORB keypoints agree with the query's on one plausible geometry
(`fingerprints.local_features.verify`). Items banked without keypoints (before verification existed,
or clustering's reference bank) match through the plain hash only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .fingerprints import image as image_fp
from .fingerprints import image_candidates, local_features
from .index import DescriptorIndex, HashIndex
from .models import BankedItem

if TYPE_CHECKING:  # the decision core stays importable without Django (bench/banks uses it)
    from .models import FingerprintBank

# Loose band: candidates up to this factor times a bank's threshold are verified (46 bits for the
# default 31). Proportional, so a bank an operator set to exact twins (0) stays exact.
IMAGE_VERIFY_FACTOR = 1.5


def loose_limit(threshold: int) -> int:
    """The farthest verified candidate a bank with this PDQ threshold accepts."""
    return int(threshold * IMAGE_VERIFY_FACTOR)


# Banked items verified per query, nearest first: bounds the cost of a query that resembles many.
MAX_VERIFIED = 8
# A query showing a picture framed by an interface (a screenshot) matches plainly without
# verification only this close: a copy of the same screenshot, re-encoded or shown smaller. In the
# re-upload benchmark, screenshots of other posts in the same app were never nearer than 32 bits
# (three app screens, 21 x 19 pairs each), banked screenshots re-shared at 320 px came within 0-50,
# and a few of the small ones no longer verify (their pictures' details are gone): 8 lost 2 of 21
# desktop re-shares, 16 loses 1.
SCREENSHOT_PLAIN_EXACT = 16


def plain_matches(digest: bytes, banks: dict[int, FingerprintBank], index, make: Callable) -> list:
    """Match one PDQ hash within each bank's threshold (what PDQ matching always did)."""
    radius = max(b.image_max_distance for b in banks.values())
    owners, distances = index.hashes.search(np.frombuffer(digest, np.uint8)[None, :], radius)[0]
    closest: dict[int, int] = {}  # an item stores several hashes (its crops): keep the nearest
    for owner, distance in zip(owners.tolist(), distances.tolist(), strict=True):
        closest[owner] = min(distance, closest.get(owner, 256))
    out = []
    for owner, distance in closest.items():
        meta = index.items[owner]
        bank = banks.get(meta.bank_id)
        if bank is not None and distance <= bank.image_max_distance:
            out.append(make(bank, owner, meta, "image", int(distance), score=int(distance)))
    return out


@dataclass(frozen=True)
class ImageHit:
    """A banked item an image query matches: plainly (candidate None) or through a verified candidate."""

    owner: int
    distance: int
    candidate: Any = None  # image_candidates.Candidate that was verified
    inliers: int = 0


def candidate_hits(
    query: image_fp.ImageQuery,
    hashes: HashIndex,
    threshold_of: Callable[[int], int | None],
    features_of: Callable[[list[int]], dict[int, bytes]],
    max_threshold: int,
    bands: HashIndex | None = None,
    descriptors: DescriptorIndex | None = None,
) -> list[ImageHit]:
    """Decide an ImageQuery against a hash index (the service and the benchmark share this).

    threshold_of(owner) gives the owner's bank threshold (None: not searched); features_of(owners)
    returns the stored keypoints of those owners that have any. bands: the banked edge bands, which
    the query's bands are looked up in (and nothing else); None: everything is in hashes.
    descriptors: the banked keypoints' index, asked when no hash found anything (_voted_hits).
    """
    is_band = [c.region.startswith("band_") for c in query.candidates]
    searched = [(hashes, [k for k, band in enumerate(is_band) if not band or bands is None])]
    if bands is not None:
        searched.append((bands, [k for k, band in enumerate(is_band) if band]))
    plain: dict[int, int] = {}
    # owner -> (distance, candidate index), nearest over the candidates of each kind: an edge band
    # claims more (the whole query is a crop of the banked picture) than a region or a variant, so
    # an owner whose nearest band fails that check still gets its nearest other candidate verified.
    nearest: dict[int, tuple[int, int]] = {}
    nearest_band: dict[int, tuple[int, int]] = {}
    for index, ks in searched:
        if not ks or not len(index):
            continue
        digests = np.stack([np.frombuffer(query.candidates[k].digest, np.uint8) for k in ks])
        for k, (owners, distances) in zip(ks, index.search(digests, loose_limit(max_threshold)), strict=True):
            into = nearest_band if is_band[k] else nearest
            for owner, distance in zip(owners.tolist(), distances.tolist(), strict=True):
                if k == 0:
                    plain[owner] = min(distance, plain.get(owner, 256))
                if distance < into.get(owner, (257, 0))[0]:
                    into[owner] = (distance, k)
    hits: list[ImageHit] = []
    to_verify: list[tuple[int, list[tuple[int, int]]]] = []  # owner, its candidates nearest first
    screenshots: set[int] = set()  # owners whose plain match waits for verification
    for owner in sorted(
        nearest.keys() | nearest_band.keys(), key=lambda o: _closest(o, nearest, nearest_band)
    ):
        threshold = threshold_of(owner)
        if threshold is None:
            continue
        if plain.get(owner, 256) <= threshold:
            if query.features.pictures and plain[owner] > SCREENSHOT_PLAIN_EXACT:
                # A screenshot's hash is mostly its app's interface: two posts' screenshots come
                # within the threshold of each other. Its plain match must agree on its picture.
                screenshots.add(owner)
                to_verify.append((owner, [(plain[owner], 0)]))
            else:
                hits.append(ImageHit(owner, plain[owner]))
            continue
        tries = [
            t for t in (nearest.get(owner), nearest_band.get(owner)) if t and t[0] <= loose_limit(threshold)
        ]
        if tries:
            to_verify.append((owner, sorted(tries)))
    to_verify = to_verify[:MAX_VERIFIED]
    features = features_of([owner for owner, _ in to_verify]) if to_verify else {}
    for owner, tries in to_verify:
        blob = features.get(owner)
        if not blob:
            if owner in screenshots:  # banked without keypoints: the plain match stands, as before
                hits.append(ImageHit(owner, tries[0][0]))
            continue
        for distance, k in tries:
            candidate = query.candidates[k]
            inliers = _verified_inliers(query, candidate, blob)
            if inliers >= local_features.MIN_INLIERS:
                hits.append(ImageHit(owner, distance, candidate, inliers))
                break
    if not hits and descriptors is not None and len(descriptors):
        hits = _voted_hits(query, descriptors, threshold_of, features_of)
    return hits


# An item needs this many of the query's keypoints to vote for it to be verified ...
VOTE_MIN = 6
# ... and at most this many, most voted first, are verified per query.
VOTE_VERIFIED = 6
# A first look before the vote, in an inverted file: each descriptor probes FIRST_LOOK_PROBES list
# instead of DESCRIPTOR_PROBES, a third to a quarter of the cost (the whole vote: 0.15-0.33 s of CPU
# at 1M banked images, paid by every query no hash matched: most fresh uploads). Only when some item gets
# FIRST_LOOK_MIN votes in it is the full vote taken. A copy's own item keeps most of its votes in
# one list (the nearest list holds most near neighbours), an unrelated image rarely gives any item
# that many (bench/banks/vote_at_scale.py).
# Below FIRST_LOOK_MIN_DESCRIPTORS (~20,000 images) the lists are short and choosing them is most
# of a search's cost, so a first look would cost about what it saves.
FIRST_LOOK_PROBES = 1  # 0: no first look (the benchmark's comparison)
FIRST_LOOK_MIN = 3
FIRST_LOOK_MIN_DESCRIPTORS = 1_000_000


def _voted_hits(
    query: image_fp.ImageQuery,
    descriptors: DescriptorIndex,
    threshold_of: Callable[[int], int | None],
    features_of: Callable[[list[int]], dict[int, bytes]],
) -> list[ImageHit]:
    """The banked image the query's keypoints point at, when none of its hashes came near one.

    What a crop from every side, a screenshot whose photo region was not found exactly, or a
    mirrored crop comes to. The keypoints of the whole query (as it is and mirrored: ORB is not
    mirror-invariant) and of the regions found in it (_vote_sources) vote for items; the most voted
    are verified like any candidate, against the source that voted for them, which must show most
    of the banked picture (local_features.CROP_MIN_COVER). Only the best verified item is a hit
    (local_features.Agreement.score): a banked part of a picture (its half, say) is mostly in a copy
    of the whole picture too, and the whole picture's frame is over most of a screenshot of its part.
    Banks with a threshold of 0 (exact twins only) are not searched this way.
    """
    # A region votes as it is shown: a mirrored picture is left to the whole query's mirrored vote
    # and the region's mirrored hash (each vote costs ~0.1 s of CPU at 1M banked images).
    sources = [
        (box, query.features.get(box, mirrored=mirrored)[1])
        for box in _vote_sources(query)
        for mirrored in ((False, True) if box is None else (False,))
    ]
    if not _worth_a_vote(descriptors, sources):
        return []
    # owner -> votes from each source that gave it at least VOTE_MIN
    votes: dict[int, dict[tuple[int, int, int, int] | None, int]] = {}
    for box, query_descriptors in sources:
        for owner, n in descriptors.votes(query_descriptors).items():
            if n >= VOTE_MIN:
                by_source = votes.setdefault(owner, {})
                by_source[box] = max(n, by_source.get(box, 0))
    ranked = [
        owner
        for owner, _n in sorted(
            ((o, max(v.values())) for o, v in votes.items()), key=lambda item: (-item[1], item[0])
        )
        if loose_limit(threshold_of(owner) or 0) > 0
    ][:VOTE_VERIFIED]
    if not ranked:
        return []
    features = features_of(ranked)
    best: tuple[float, int, local_features.Agreement, tuple[int, int, int, int] | None] | None = None
    for owner in ranked:
        blob = features.get(owner)
        if not blob:
            continue
        for box in sorted(votes[owner], key=lambda b: -votes[owner][b]):
            agreed = local_features.agreement(query.features, blob, box)
            score = agreed.score  # a picture against a banked part of it (local_features.Agreement)
            if agreed.inliers >= local_features.MIN_INLIERS and (best is None or score > best[0]):
                best = (score, owner, agreed, box)
    if best is None:
        return []
    _score, owner, agreed, box = best
    whole = query.candidates[0]
    candidate = image_candidates.Candidate(whole.digest, KEYPOINTS_REGION, box or whole.box, "original")
    # No hash of the query came within the loose band: say so rather than invent a distance.
    return [ImageHit(owner, loose_limit(threshold_of(owner) or 0) + 1, candidate, agreed.inliers)]


def _worth_a_vote(descriptors: DescriptorIndex, sources: list[tuple[Any, np.ndarray]]) -> bool:
    """Whether some item gets FIRST_LOOK_MIN votes from some source in a first look (an inverted file)."""
    if not descriptors.inverted or not FIRST_LOOK_PROBES or len(descriptors) < FIRST_LOOK_MIN_DESCRIPTORS:
        return True  # a small index: the first look would cost about what the vote does
    return any(
        n >= FIRST_LOOK_MIN
        for _box, query_descriptors in sources
        for n in descriptors.votes(query_descriptors, probes=FIRST_LOOK_PROBES).values()
    )


# Besides the whole query, this many of the regions found in it vote with their own keypoints (most
# plausible first): in a screenshot, the interface's text and icons hold most of the whole query's
# keypoints, and a dark picture on a dark interface leaves a region a few rows off, which its hash
# does not forgive but its keypoints do. A region that is most of the query (everything under an
# app's header, say) would vote much as the whole query does, and is skipped.
VOTE_REGIONS = 2
VOTE_REGION_MAX_IOU = 0.7


def _vote_sources(query: image_fp.ImageQuery) -> list[tuple[int, int, int, int] | None]:
    sources: list[tuple[int, int, int, int] | None] = [None]
    whole = query.candidates[0].box
    for candidate in query.candidates:
        if len(sources) > VOTE_REGIONS:
            break
        if (
            candidate.region in image_candidates.PICTURE_REGIONS
            and candidate.box not in sources
            and image_candidates.iou(candidate.box, whole) < VOTE_REGION_MAX_IOU
        ):
            sources.append(candidate.box)
    return sources


# The region a keypoint-voted match reports (a match's `region` in its extra fields).
KEYPOINTS_REGION = "keypoints"


def _closest(owner: int, *nearest: dict[int, tuple[int, int]]) -> int:
    return min(n[owner][0] for n in nearest if owner in n)


def _verified_inliers(query: image_fp.ImageQuery, candidate: Any, blob: bytes) -> int:
    if candidate.region.startswith("band_"):
        # An edge band says the query is the banked picture cropped from one side: the whole
        # query must map inside it and cover most of it (local_features.verify).
        return local_features.verify(query.features, blob, None, crop_of_banked=True)
    if candidate.region == "whole":
        # The whole query in the loose band or transformed: it must cover most of the banked
        # picture, not be a detail of it that resembles one of its stored crops or bands.
        return local_features.verify(query.features, blob, None, covers_banked=True)
    return local_features.verify(query.features, blob, candidate.box)


def candidate_matches(
    query: image_fp.ImageQuery, banks: dict[int, FingerprintBank], index, make: Callable
) -> list:
    """Match the plain hash as before, then verify the nearest other candidates by local features."""

    def threshold_of(owner: int) -> int | None:
        bank = banks.get(index.items[owner].bank_id)
        return None if bank is None else bank.image_max_distance

    def features_of(owners: list[int]) -> dict[int, bytes]:

        rows = BankedItem.objects.filter(pk__in=owners).exclude(local_features=b"")
        return {pk: bytes(blob) for pk, blob in rows.values_list("pk", "local_features")}

    out = []
    max_threshold = max(b.image_max_distance for b in banks.values())
    for hit in candidate_hits(
        query, index.hashes, threshold_of, features_of, max_threshold, index.bands, index.descriptors
    ):
        meta = index.items[hit.owner]
        extra: dict[str, Any] = {}
        if hit.candidate is not None:
            extra = {
                "region": hit.candidate.region,
                "transform": hit.candidate.transform,
                "verified_inliers": hit.inliers,
            }
        bank = banks[meta.bank_id]
        out.append(make(bank, hit.owner, meta, "image", hit.distance, score=hit.distance, extra=extra))
    return out
