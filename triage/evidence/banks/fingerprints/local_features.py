"""Local-feature verification of an image match: ORB keypoints and a RANSAC homography (OpenCV).

PDQ says two images look alike overall; it cannot say that the same scene is really there. When a
match comes from anything other than the whole query hashed as it is (a region found in a
screenshot, a mirrored variant, a distance in the loose band above the bank's threshold), the
banked image's stored keypoints are matched against the query's, and the match counts only if
enough of them agree on one plane-to-plane mapping (a homography, found by RANSAC) that is a
plausible re-framing: not degenerate, not folded, not absurdly scaled. Unrelated photos share a
handful of chance descriptor matches, which never agree on one geometry in these numbers.

Storage: a header (HEADER, then the FEATURE_SIZE-pixel image's width and height as uint16), then up
to MAX_KEYPOINTS keypoints, 36 bytes each (x, y as uint16 on that image, then the 32-byte ORB
descriptor): ~18 KB per image, in the database only (never in the in-memory index), read for the
few candidates that need verifying. Blobs stored before the header existed are records only; they
cannot start with HEADER, whose first two bytes read as an x of 21,071, beyond FEATURE_SIZE.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

FEATURE_SIZE = 640  # keypoints are found on a copy this long on its longer side
MAX_KEYPOINTS = 500
MIN_SIDE = 64
MIN_INLIERS = 15  # keypoints agreeing on one homography for a match
RATIO = 0.8  # Lowe's ratio test on Hamming distances
REPROJECTION_PIXELS = 6.0
_RECORD = np.dtype([("x", "<u2"), ("y", "<u2"), ("descriptor", "u1", (32,))])
HEADER = b"ORB1"
_FRAME = struct.Struct("<HH")

# cv2.setNumThreads(1): matching runs in web and Celery workers that are already one per core.
cv2.setNumThreads(1)


def _gray(img: Image.Image) -> np.ndarray:
    img = img.convert("L")
    img.thumbnail((FEATURE_SIZE, FEATURE_SIZE), Image.Resampling.BILINEAR)
    return np.asarray(img)


def _orb(gray: np.ndarray, *, spread: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Return (points as (n, 2) float32, descriptors as (n, 32) uint8).

    spread: order them as a banked image stores them (_spread_order), so that its first
    VOTE_KEYPOINTS are the ones it is looked up by.
    """
    if min(gray.shape[:2]) < MIN_SIDE:  # too small for ORB's pyramid and 31-pixel patches
        return np.zeros((0, 2), np.float32), np.zeros((0, 32), np.uint8)
    orb = cv2.ORB_create(nfeatures=MAX_KEYPOINTS, scaleFactor=1.2, nlevels=8, fastThreshold=10)
    keypoints, descriptors = orb.detectAndCompute(gray, None)
    if descriptors is None or not keypoints:
        return np.zeros((0, 2), np.float32), np.zeros((0, 32), np.uint8)
    points = np.array([k.pt for k in keypoints], np.float32)
    if spread:
        order = _spread_order(points, np.array([k.response for k in keypoints]), gray.shape)
        return points[order], descriptors[order]
    return points, descriptors


# A banked image is looked up by its first VOTE_KEYPOINTS stored keypoints when no hash of the query
# comes near it (index.DescriptorIndex): the strongest of each cell of a VOTE_GRID x VOTE_GRID grid
# first, then the second strongest of each, and so on, so that a crop from any side, or a detail
# hidden under a screenshot's interface, leaves most of them in the copy.
VOTE_KEYPOINTS = 48
VOTE_GRID = 4


def _spread_order(points: np.ndarray, responses: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    height, width = shape[:2]
    cells = (np.minimum(points[:, 1] * VOTE_GRID // height, VOTE_GRID - 1) * VOTE_GRID) + np.minimum(
        points[:, 0] * VOTE_GRID // width, VOTE_GRID - 1
    )
    strongest = np.lexsort((-responses, cells))  # by cell, strongest first within each
    rank = np.empty(len(points), np.int64)
    sorted_cells = cells[strongest]
    starts = np.searchsorted(sorted_cells, sorted_cells, side="left")
    rank[strongest] = np.arange(len(points)) - starts  # 0 for each cell's strongest, then 1, ...
    return np.lexsort((-responses, rank))


def extract(img: Image.Image) -> bytes:
    """Return the packed frame, keypoints and descriptors a banked image stores."""
    gray = _gray(img)
    points, descriptors = _orb(gray, spread=True)
    out = np.empty(len(points), _RECORD)
    out["x"] = np.clip(np.rint(points[:, 0]), 0, 65535)
    out["y"] = np.clip(np.rint(points[:, 1]), 0, 65535)
    out["descriptor"] = descriptors
    return HEADER + _FRAME.pack(gray.shape[1], gray.shape[0]) + out.tobytes()


def banked_frame(blob: bytes) -> tuple[int, int] | None:
    """(width, height) of the banked picture in its keypoints' coordinates; None for an old blob."""
    if blob[: len(HEADER)] != HEADER:
        return None
    return _FRAME.unpack_from(blob, len(HEADER))


# The bytes of a stored blob that hold its VOTE_KEYPOINTS (what the match index reads per item).
VOTE_PREFIX_BYTES = len(HEADER) + _FRAME.size + VOTE_KEYPOINTS * _RECORD.itemsize


def vote_descriptors(prefix: bytes) -> np.ndarray:
    """The (n, 32) descriptors an item is looked up by, from its blob's first VOTE_PREFIX_BYTES.

    Blobs stored before frames were give none: a voted candidate must show enough of the banked
    picture (verify's shows_banked), which needs its frame."""
    if prefix[: len(HEADER)] != HEADER:
        return np.zeros((0, 32), np.uint8)
    prefix = prefix[len(HEADER) + _FRAME.size :]
    records = np.frombuffer(prefix[: len(prefix) // _RECORD.itemsize * _RECORD.itemsize], _RECORD)
    return np.ascontiguousarray(records["descriptor"][:VOTE_KEYPOINTS])


def unpack(blob: bytes) -> tuple[np.ndarray, np.ndarray]:
    if blob[: len(HEADER)] == HEADER:
        blob = blob[len(HEADER) + _FRAME.size :]
    records = np.frombuffer(blob, _RECORD)
    points = np.stack([records["x"], records["y"]], axis=1).astype(np.float32)
    return points, np.ascontiguousarray(records["descriptor"])


class QueryFeatures:
    """The query's keypoints, per region and mirror, computed lazily once and reused per candidate."""

    def __init__(self, img: Image.Image) -> None:
        self.img = img
        self._cache: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
        self._frames: dict[tuple[int, int, int, int] | None, tuple[int, int]] = {}

    def frame(self, box: tuple[int, int, int, int] | None = None) -> tuple[int, int]:
        """(width, height) of the whole query, or of a region of it, in its keypoints' coordinates."""
        if box not in self._frames:
            self.get(box)
        return self._frames[box]

    def get(self, box: tuple[int, int, int, int] | None = None, *, mirrored: bool = False):
        key = (box, mirrored)
        if key not in self._cache:
            img = self.img if box is None else self.img.crop(box)
            if mirrored:
                img = img.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
            gray = _gray(img)
            self._frames[box] = (gray.shape[1], gray.shape[0])
            self._cache[key] = _orb(gray)
        return self._cache[key]


def verify(
    query: QueryFeatures,
    banked_blob: bytes,
    box: tuple[int, int, int, int] | None = None,
    *,
    crop_of_banked: bool = False,
    covers_banked: bool = False,
) -> int:
    """Return how many keypoints agree on one plausible homography (0 when there is none).

    box limits the query to the candidate region (a screenshot's interface has keypoints of its
    own). ORB descriptors are not mirror-invariant, so a mirrored copy is tried mirrored back too.

    What the whole query must be of the banked picture, mapped into it by that homography:
    covers_banked: most of it (CROP_MIN_COVER), not a detail or one half of it, which is another
    picture to a bank. crop_of_banked: that, and inside it: a crop of it (what an edge band hit
    claims). Blobs stored before frames were: covers_banked is not checked, crop_of_banked fails.
    """
    banked_points, banked_desc = unpack(banked_blob)
    if len(banked_points) < MIN_INLIERS:
        return 0
    shape = None
    if crop_of_banked or covers_banked:
        banked = banked_frame(banked_blob)
        if banked is None and crop_of_banked:
            return 0
        if banked is not None:
            shape = _Shape(query.frame(), banked, inside=crop_of_banked)
    best = 0
    for mirrored in (False, True):
        points, descriptors = query.get(box, mirrored=mirrored)
        if len(points) >= MIN_INLIERS:
            best = max(best, _inliers(points, descriptors, banked_points, banked_desc, shape)[0])
        if best >= MIN_INLIERS:
            break
    return best


@dataclass(frozen=True)
class Agreement:
    """How a query agrees with a banked picture, beyond how many keypoints agree."""

    inliers: int
    # Cells of an AGREEMENT_GRID over the banked picture that the homography puts in the query's
    # frame (with AGREEMENT_CELL_POINTS keypoints or more there), and those holding agreeing ones.
    cells_in_view: int = 0
    cells_agreeing: int = 0
    # The share of the query (or of its region matched) that the banked picture's frame covers.
    covered: float = 0.0

    @property
    def shown(self) -> float:
        """The share of the banked picture in view whose content agrees (0-1)."""
        return self.cells_agreeing / max(self.cells_in_view, 1)

    @property
    def score(self) -> float:
        """How well the banked picture explains the query, to choose between pictures that both agree.

        Agreeing keypoints, discounted (squared, so that it outweighs a denser picture's count) by
        the share of the banked picture in view that agrees and by the share of the query it covers.
        A copy of a whole picture beats a banked part of it: the part agrees with fewer keypoints
        or, where the rest of the picture has too little texture to agree (a retina's smooth side),
        covers only part of the query. A screenshot of the part beats the whole, whose other part
        lies over the interface, in view and agreeing nowhere.
        """
        return self.inliers * self.shown**2 * self.covered**2


AGREEMENT_GRID = 4
AGREEMENT_CELL_POINTS = 3


def agreement(
    query: QueryFeatures, banked_blob: bytes, box: tuple[int, int, int, int] | None = None
) -> Agreement:
    """verify(covers_banked=True), with how much of the banked picture in view agrees.

    box: the region of the query taken as the picture (a photo found in a screenshot); its own
    keypoints are matched, and it must cover most of the banked picture.

    That share, and the share of the query the banked frame covers, tell a picture from a part of
    it that is banked too (Agreement.score). A screenshot of one half of a banked photo maps the
    photo's frame over the screenshot's interface: the half of it over the interface is in view but
    agrees nowhere. A copy of the whole photo agrees all over the photo and all over a banked half
    of it, and then agrees with more keypoints of the photo, or is covered only half by the half.
    Blobs stored before frames were agree with nothing here.
    """
    banked_points, banked_desc = unpack(banked_blob)
    banked = banked_frame(banked_blob)
    if banked is None or len(banked_points) < MIN_INLIERS:
        return Agreement(0)
    shape = _Shape(query.frame(box), banked, inside=False)
    for mirrored in (False, True):
        points, descriptors = query.get(box, mirrored=mirrored)
        if len(points) < MIN_INLIERS:
            continue
        inliers, homography, agreeing = _inliers(points, descriptors, banked_points, banked_desc, shape)
        if inliers >= MIN_INLIERS and homography is not None:
            width, height = query.frame(box)
            mapped = cv2.perspectiveTransform(banked_points.reshape(-1, 1, 2), np.linalg.inv(homography))
            xs, ys = mapped.reshape(-1, 2).T
            in_view = (xs >= 0) & (xs < width) & (ys >= 0) & (ys < height)
            cells = AGREEMENT_GRID * AGREEMENT_GRID
            per_cell = np.bincount(_cells(banked_points[in_view], banked), minlength=cells)
            agreeing_cells = np.zeros(cells, bool)
            agreeing_cells[_cells(agreeing, banked)] = True
            seen = per_cell >= AGREEMENT_CELL_POINTS
            # The other way round: the banked frame mapped onto the query's (or its region's).
            covered = _Shape(banked, (width, height), inside=False).covered(np.linalg.inv(homography))
            return Agreement(inliers, int(seen.sum()), int((seen & agreeing_cells).sum()), covered)
    return Agreement(0)


def _cells(points: np.ndarray, frame: tuple[int, int]) -> np.ndarray:
    width, height = frame
    column = np.clip((points[:, 0] * AGREEMENT_GRID // max(width, 1)).astype(np.int64), 0, AGREEMENT_GRID - 1)
    row = np.clip((points[:, 1] * AGREEMENT_GRID // max(height, 1)).astype(np.int64), 0, AGREEMENT_GRID - 1)
    return row * AGREEMENT_GRID + column


# The whole query covers at least this share of the banked picture: a re-framing or a crop of up to
# ~30% from one side (what edge bands are for), not a detail or one half of it ...
CROP_MIN_COVER = 0.65
# ... and, for a crop, its corners land inside it, or at most this share of its size outside (a
# homography fitted to keypoints wobbles at the corners).
CROP_SLACK = 0.05


@dataclass(frozen=True)
class _Shape:
    query: tuple[int, int]  # the whole query's (width, height), in its keypoints' coordinates
    banked: tuple[int, int]  # the banked picture's, in its keypoints' coordinates
    inside: bool

    def holds(self, homography: np.ndarray) -> bool:
        if self.inside:
            width, height = self.query
            corners = np.float32([[0, 0], [width, 0], [width, height], [0, height]]).reshape(-1, 1, 2)
            xs, ys = cv2.perspectiveTransform(corners, homography).reshape(-1, 2).T
            bw, bh = self.banked
            sx, sy = CROP_SLACK * bw, CROP_SLACK * bh
            if xs.min() < -sx or xs.max() > bw + sx or ys.min() < -sy or ys.max() > bh + sy:
                return False
        return self.covered(homography) >= CROP_MIN_COVER

    def covered(self, homography: np.ndarray) -> float:
        """The share of the banked picture that the query's frame, mapped by homography, covers."""
        width, height = self.query
        corners = np.float32([[0, 0], [width, 0], [width, height], [0, height]]).reshape(-1, 1, 2)
        xs, ys = cv2.perspectiveTransform(corners, homography).reshape(-1, 2).T
        bw, bh = self.banked
        xs, ys = np.clip(xs, 0, bw), np.clip(ys, 0, bh)  # only the part over the banked picture counts
        area = 0.5 * abs(float(np.dot(xs, np.roll(ys, 1)) - np.dot(ys, np.roll(xs, 1))))  # shoelace
        return area / max(bw * bh, 1)


def _inliers(
    q_pts: np.ndarray, q_desc: np.ndarray, b_pts: np.ndarray, b_desc: np.ndarray, shape: _Shape | None
) -> tuple[int, np.ndarray | None, np.ndarray | None]:
    """(keypoints agreeing on one plausible homography, that query-to-banked homography, where they
    are on the banked picture), or (0, None, None)."""
    matcher = cv2.BFMatcher(cv2.NORM_HAMMING)
    pairs = matcher.knnMatch(q_desc, b_desc, k=2)
    good = [p[0] for p in pairs if len(p) == 2 and p[0].distance < RATIO * p[1].distance]
    if len(good) < MIN_INLIERS:
        return 0, None, None
    src = np.float32([q_pts[m.queryIdx] for m in good]).reshape(-1, 1, 2)
    dst = np.float32([b_pts[m.trainIdx] for m in good]).reshape(-1, 1, 2)
    homography, mask = cv2.findHomography(src, dst, cv2.RANSAC, REPROJECTION_PIXELS, maxIters=2000)
    if homography is None or mask is None or not _plausible(homography):
        return 0, None, None
    if shape is not None and not shape.holds(homography):
        return 0, None, None
    inliers = mask.ravel().astype(bool)
    # Inliers piled on one spot are a repeated texture, not the same picture: ask for spread.
    spread = dst.reshape(-1, 2)[inliers]
    if len(spread) < MIN_INLIERS or float(np.ptp(spread[:, 0])) < 40 or float(np.ptp(spread[:, 1])) < 40:
        return 0, None, None
    return int(inliers.sum()), homography, spread


def _plausible(homography: np.ndarray) -> bool:
    """A re-framing scales, shifts, mirrors or rotates by right angles; it does not fold or tilt wildly."""
    h = homography / homography[2, 2] if abs(homography[2, 2]) > 1e-9 else homography
    det = float(np.linalg.det(h[:2, :2]))
    if not 1 / 64 <= abs(det) <= 64:
        return False
    # Perspective terms stay small for a flat screenshot or crop.
    return abs(h[2, 0]) < 2e-3 and abs(h[2, 1]) < 2e-3
