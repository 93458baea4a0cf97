"""Local-feature verification of an image match: ORB keypoints and a RANSAC homography (OpenCV).

PDQ says two images look alike overall; it cannot say that the same scene is really there. When a
match comes from anything other than the whole query hashed as it is (a region found in a
screenshot, a mirrored variant, a distance in the loose band above the bank's threshold), the
banked image's stored keypoints are matched against the query's, and the match counts only if
enough of them agree on one plane-to-plane mapping (a homography, found by RANSAC) that is a
plausible re-framing: not degenerate, not folded, not absurdly scaled. Unrelated photos share a
handful of chance descriptor matches, which never agree on one geometry in these numbers.

Storage: up to MAX_KEYPOINTS keypoints per banked image, 36 bytes each (x, y as uint16 on the
FEATURE_SIZE-pixel image, then the 32-byte ORB descriptor): ~18 KB per image, in the database
only (never in the in-memory index), read for the few candidates that need verifying.
"""

from __future__ import annotations

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
    """Return the packed keypoints and descriptors a banked image stores."""
    points, descriptors = _orb(_gray(img))
    out = np.empty(len(points), _RECORD)
    out["x"] = np.clip(np.rint(points[:, 0]), 0, 65535)
    out["y"] = np.clip(np.rint(points[:, 1]), 0, 65535)
    out["descriptor"] = descriptors
    return out.tobytes()


def unpack(blob: bytes) -> tuple[np.ndarray, np.ndarray]:
    records = np.frombuffer(blob, _RECORD)
    points = np.stack([records["x"], records["y"]], axis=1).astype(np.float32)
    return points, np.ascontiguousarray(records["descriptor"])


class QueryFeatures:
    """The query's keypoints, per region and mirror, computed lazily once and reused per candidate."""

    def __init__(self, img: Image.Image) -> None:
        self.img = img
        self._cache: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}

    def get(self, box: tuple[int, int, int, int] | None = None, *, mirrored: bool = False):
        key = (box, mirrored)
        if key not in self._cache:
            img = self.img if box is None else self.img.crop(box)
            if mirrored:
                img = img.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
            self._cache[key] = _orb(_gray(img))
        return self._cache[key]


def verify(query: QueryFeatures, banked_blob: bytes, box: tuple[int, int, int, int] | None = None) -> int:
    """Return how many keypoints agree on one plausible homography (0 when there is none).

    box limits the query to the candidate region (a screenshot's interface has keypoints of its
    own). ORB descriptors are not mirror-invariant, so a mirrored copy is tried mirrored back too.
    """
    banked_points, banked_desc = unpack(banked_blob)
    if len(banked_points) < MIN_INLIERS:
        return 0
    best = 0
    for mirrored in (False, True):
        points, descriptors = query.get(box, mirrored=mirrored)
        if len(points) >= MIN_INLIERS:
            best = max(best, _inliers(points, descriptors, banked_points, banked_desc))
        if best >= MIN_INLIERS:
            break
    return best


def _inliers(q_pts: np.ndarray, q_desc: np.ndarray, b_pts: np.ndarray, b_desc: np.ndarray) -> int:
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
