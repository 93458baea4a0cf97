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


def _orb(gray: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return (points as (n, 2) float32, descriptors as (n, 32) uint8)."""
    if min(gray.shape[:2]) < MIN_SIDE:  # too small for ORB's pyramid and 31-pixel patches
        return np.zeros((0, 2), np.float32), np.zeros((0, 32), np.uint8)
    orb = cv2.ORB_create(nfeatures=MAX_KEYPOINTS, scaleFactor=1.2, nlevels=8, fastThreshold=10)
    keypoints, descriptors = orb.detectAndCompute(gray, None)
    if descriptors is None or not keypoints:
        return np.zeros((0, 2), np.float32), np.zeros((0, 32), np.uint8)
    return np.array([k.pt for k in keypoints], np.float32), descriptors


def extract(img: Image.Image) -> bytes:
    """Return the packed frame, keypoints and descriptors a banked image stores."""
    gray = _gray(img)
    points, descriptors = _orb(gray)
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
        self._frame: tuple[int, int] | None = None

    def frame(self) -> tuple[int, int]:
        """(width, height) of the whole query in the coordinates its keypoints are given in."""
        if self._frame is None:
            self.get(None)
        assert self._frame is not None
        return self._frame

    def get(self, box: tuple[int, int, int, int] | None = None, *, mirrored: bool = False):
        key = (box, mirrored)
        if key not in self._cache:
            img = self.img if box is None else self.img.crop(box)
            if mirrored:
                img = img.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
            gray = _gray(img)
            if box is None:
                self._frame = (gray.shape[1], gray.shape[0])
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
            best = max(best, _inliers(points, descriptors, banked_points, banked_desc, shape))
        if best >= MIN_INLIERS:
            break
    return best


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
        width, height = self.query
        corners = np.float32([[0, 0], [width, 0], [width, height], [0, height]]).reshape(-1, 1, 2)
        xs, ys = cv2.perspectiveTransform(corners, homography).reshape(-1, 2).T
        bw, bh = self.banked
        if self.inside:
            sx, sy = CROP_SLACK * bw, CROP_SLACK * bh
            if xs.min() < -sx or xs.max() > bw + sx or ys.min() < -sy or ys.max() > bh + sy:
                return False
        xs, ys = np.clip(xs, 0, bw), np.clip(ys, 0, bh)  # only the part over the banked picture counts
        area = 0.5 * abs(float(np.dot(xs, np.roll(ys, 1)) - np.dot(ys, np.roll(xs, 1))))  # shoelace
        return area >= CROP_MIN_COVER * bw * bh


def _inliers(
    q_pts: np.ndarray, q_desc: np.ndarray, b_pts: np.ndarray, b_desc: np.ndarray, shape: _Shape | None
) -> int:
    matcher = cv2.BFMatcher(cv2.NORM_HAMMING)
    pairs = matcher.knnMatch(q_desc, b_desc, k=2)
    good = [p[0] for p in pairs if len(p) == 2 and p[0].distance < RATIO * p[1].distance]
    if len(good) < MIN_INLIERS:
        return 0
    src = np.float32([q_pts[m.queryIdx] for m in good]).reshape(-1, 1, 2)
    dst = np.float32([b_pts[m.trainIdx] for m in good]).reshape(-1, 1, 2)
    homography, mask = cv2.findHomography(src, dst, cv2.RANSAC, REPROJECTION_PIXELS, maxIters=2000)
    if homography is None or mask is None or not _plausible(homography):
        return 0
    if shape is not None and not shape.holds(homography):
        return 0
    inliers = mask.ravel().astype(bool)
    # Inliers piled on one spot are a repeated texture, not the same picture: ask for spread.
    spread = dst.reshape(-1, 2)[inliers]
    if len(spread) < MIN_INLIERS or float(np.ptp(spread[:, 0])) < 40 or float(np.ptp(spread[:, 1])) < 40:
        return 0
    return int(inliers.sum())


def _plausible(homography: np.ndarray) -> bool:
    """A re-framing scales, shifts, mirrors or rotates by right angles; it does not fold or tilt wildly."""
    h = homography / homography[2, 2] if abs(homography[2, 2]) > 1e-9 else homography
    det = float(np.linalg.det(h[:2, :2]))
    if not 1 / 64 <= abs(det) <= 64:
        return False
    # Perspective terms stay small for a flat screenshot or crop.
    return abs(h[2, 0]) < 2e-3 and abs(h[2, 1]) < 2e-3
