"""Local-feature verification of an image match: ORB keypoints and a RANSAC homography (OpenCV).

PDQ says two images look alike overall; it cannot say that the same scene is really there. When a
match comes from anything other than the whole query hashed as it is (a region found in a
screenshot, a mirrored variant, a distance in the loose band above the bank's threshold), the
banked image's stored keypoints are matched against the query's, and the match counts only if
enough of them agree on one plane-to-plane mapping (a homography, found by RANSAC) that is a
plausible re-framing: not degenerate, not folded, not absurdly scaled. Unrelated photos share a
handful of chance descriptor matches, which never agree on one geometry in these numbers.

Storage: a header (HEADER, then the FEATURE_SIZE-pixel image's width and height as uint16; or
PICTURES_HEADER, the same, then the pictures the image shows framed by an interface, when it is a
screenshot), then up to MAX_KEYPOINTS keypoints, 36 bytes each (x, y as uint16 on that image, then
the 32-byte ORB descriptor): ~18 KB per image, in the database only (never in the in-memory index),
read for the few candidates that need verifying. Blobs stored before the header existed are records
only; they cannot start with a header, whose first two bytes read as an x of 21,071, beyond
FEATURE_SIZE.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import NamedTuple

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
HEADER = b"ORB1"  # the frame, then the keypoints
PICTURES_HEADER = b"ORB2"  # the frame, the pictures framed in it, then the keypoints
_FRAME = struct.Struct("<HH")
MAX_BANKED_PICTURES = 4
_PICTURES = struct.Struct("<B" + "HHHH" * MAX_BANKED_PICTURES)  # how many, then (x0, y0, x1, y1) each

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


def extract(img: Image.Image, pictures: list[tuple[int, int, int, int]] | None = None) -> bytes:
    """Return the packed frame, keypoints and descriptors a banked image stores.

    pictures: the boxes (in img's pixels) of the pictures it shows framed by an interface, when it
    is a screenshot; an agreement with a query must not avoid them (_agreeing).
    """
    gray = _gray(img)
    points, descriptors = _orb(gray, spread=True)
    out = np.empty(len(points), _RECORD)
    out["x"] = np.clip(np.rint(points[:, 0]), 0, 65535)
    out["y"] = np.clip(np.rint(points[:, 1]), 0, 65535)
    out["descriptor"] = descriptors
    frame = _FRAME.pack(gray.shape[1], gray.shape[0])
    if not pictures:
        return HEADER + frame + out.tobytes()
    sx, sy = gray.shape[1] / img.width, gray.shape[0] / img.height
    boxes = [
        (round(x0 * sx), round(y0 * sy), round(x1 * sx), round(y1 * sy))
        for x0, y0, x1, y1 in pictures[:MAX_BANKED_PICTURES]
    ]
    fields = [len(boxes)] + [v for box in boxes for v in box] + [0] * 4 * (MAX_BANKED_PICTURES - len(boxes))
    return PICTURES_HEADER + frame + _PICTURES.pack(*fields) + out.tobytes()


def _layout(blob: bytes) -> tuple[tuple[int, int] | None, list[tuple[int, int, int, int]], int]:
    """(frame, pictures, where the keypoints start) of a stored blob (or of its first bytes)."""
    magic = blob[: len(HEADER)]
    if magic not in (HEADER, PICTURES_HEADER):
        return None, [], 0
    width, height = _FRAME.unpack_from(blob, len(HEADER))
    if magic == HEADER:
        return (width, height), [], len(HEADER) + _FRAME.size
    count, *values = _PICTURES.unpack_from(blob, len(HEADER) + _FRAME.size)
    pictures = [
        (values[4 * k], values[4 * k + 1], values[4 * k + 2], values[4 * k + 3])
        for k in range(min(count, MAX_BANKED_PICTURES))
    ]
    return (width, height), pictures, len(HEADER) + _FRAME.size + _PICTURES.size


def banked_frame(blob: bytes) -> tuple[int, int] | None:
    """(width, height) of the banked picture in its keypoints' coordinates; None for an old blob."""
    return _layout(blob)[0]


def banked_pictures(blob: bytes) -> list[tuple[int, int, int, int]]:
    """The pictures a banked screenshot shows framed by its interface, in its keypoints' coordinates."""
    return _layout(blob)[1]


# The bytes of a stored blob that hold its VOTE_KEYPOINTS (what the match index reads per item).
VOTE_PREFIX_BYTES = len(PICTURES_HEADER) + _FRAME.size + _PICTURES.size + VOTE_KEYPOINTS * _RECORD.itemsize


def vote_descriptors(prefix: bytes) -> np.ndarray:
    """The (n, 32) descriptors an item is looked up by, from its blob's first VOTE_PREFIX_BYTES.

    Blobs stored before frames were give none: a voted candidate must show enough of the banked
    picture (verify's shows_banked), which needs its frame."""
    frame, _pictures, start = _layout(prefix)
    if frame is None:
        return np.zeros((0, 32), np.uint8)
    prefix = prefix[start:]
    records = np.frombuffer(prefix[: len(prefix) // _RECORD.itemsize * _RECORD.itemsize], _RECORD)
    return np.ascontiguousarray(records["descriptor"][:VOTE_KEYPOINTS])


def unpack(blob: bytes) -> tuple[np.ndarray, np.ndarray]:
    blob = blob[_layout(blob)[2] :]
    records = np.frombuffer(blob, _RECORD)
    points = np.stack([records["x"], records["y"]], axis=1).astype(np.float32)
    return points, np.ascontiguousarray(records["descriptor"])


class _Banked(NamedTuple):
    """A stored blob read once for one verification: its keypoints, frame and framed pictures."""

    points: np.ndarray
    descriptors: np.ndarray
    frame: tuple[int, int] | None  # None: stored before frames were
    pictures: list[tuple[int, int, int, int]]


def _read(blob: bytes) -> _Banked:
    frame, pictures, _start = _layout(blob)
    return _Banked(*unpack(blob), frame, pictures)


class QueryFeatures:
    """The query's keypoints, per region and mirror, computed lazily once and reused per candidate."""

    def __init__(self, img: Image.Image, pictures: list[tuple[int, int, int, int]] | None = None) -> None:
        self.img = img
        # Boxes of the pictures found framed in the query (a photo in a screenshot), in img's pixels.
        self.pictures = pictures or []
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
    banked = _read(banked_blob)
    if len(banked.points) < MIN_INLIERS:
        return 0
    shape = None
    if crop_of_banked or covers_banked:
        if banked.frame is None and crop_of_banked:
            return 0
        if banked.frame is not None:
            shape = _Shape(query.frame(), banked.frame, inside=crop_of_banked)
    best = 0
    for mirrored in (False, True):
        if len(query.get(box, mirrored=mirrored)[0]) >= MIN_INLIERS:
            best = max(best, _agreeing(query, box, mirrored, banked, shape)[0])
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
    read = _read(banked_blob)
    banked_points, banked = read.points, read.frame
    if banked is None or len(banked_points) < MIN_INLIERS:
        return Agreement(0)
    shape = _Shape(query.frame(box), banked, inside=False)
    for mirrored in (False, True):
        if len(query.get(box, mirrored=mirrored)[0]) < MIN_INLIERS:
            continue
        inliers, homography, agreeing = _agreeing(query, box, mirrored, read, shape)
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


# An agreement must not avoid a picture found in the query: where the query's keypoints (or the
# banked picture's) put PICTURE_MIN_EXPECTED agreeing ones or more inside such a picture, at the
# agreement's overall rate, at least PICTURE_MIN_SHARE of those must be there.
PICTURE_MIN_EXPECTED = 5
PICTURE_MIN_SHARE = 0.2
PICTURE_INSET = 0.05  # of the picture's width and height, on each side
# Pictures shown smaller than this (pixels, in the keypoints' coordinates) are not looked at: a
# screenshot re-shared at 320 pixels shows its picture at under a hundred, where its own details
# no longer agree with the banked screenshot's while its interface's large ones still do.
PICTURE_MIN_SIDE = 96
PICTURE_MAX_SCALE = 1.8  # banked pixels per query pixel beyond which only the query's keypoints count


def _agreeing(
    query: QueryFeatures,
    box: tuple[int, int, int, int] | None,
    mirrored: bool,
    read: _Banked,
    shape: _Shape | None,
) -> tuple[int, np.ndarray | None, np.ndarray | None]:
    """_inliers for the query (or its region box, mirrored or not), rejected when it avoids a picture.

    Two screenshots of one app share their interface: a banked screenshot of one post and a
    screenshot of another agree all over the status bar, the header and the buttons, on a plain
    re-framing, and nowhere on the two posts' pictures, though the query's picture has keypoints
    of its own there (and the banked one, unless it is smooth). A copy agrees on its picture too.
    """
    b_pts, b_desc = read.points, read.descriptors
    points, descriptors = query.get(box, mirrored=mirrored)
    inliers, homography, agreeing, query_agreeing = _inliers(points, descriptors, b_pts, b_desc, shape)
    if homography is None or query_agreeing is None or not (query.pictures or read.pictures):
        return inliers, homography, agreeing
    width, height = query.frame(box)
    inverse = np.linalg.inv(homography)
    # Both pictures' keypoints where the other picture is, in the coordinates of the query's.
    banked = cv2.perspectiveTransform(b_pts.reshape(-1, 1, 2), inverse).reshape(-1, 2)
    banked = banked[_inside(banked, (0, 0, width, height))]
    frame = read.frame or (float(b_pts[:, 0].max()) + 1, float(b_pts[:, 1].max()) + 1)
    on_banked = cv2.perspectiveTransform(points.reshape(-1, 1, 2), homography).reshape(-1, 2)
    own = points[_inside(on_banked, (0, 0, *frame))]
    # A query much smaller than the banked picture keeps its large details (an interface's) and
    # loses its fine ones: the banked picture's keypoints say nothing of what the query should show.
    smaller = float(np.sqrt(abs(np.linalg.det(homography[:2, :2])))) > PICTURE_MAX_SCALE
    # Pictures the banked keypoints say too little about, smallest first (the photo, not the
    # region of everything under an app's header), for the closer look below.
    unclear: list[tuple[float, tuple[int, int, int, int], tuple[float, float, float, float]]] = []
    # The pictures, the query's and the banked screenshot's, in the coordinates of the keypoints
    # matched (cropped to box, scaled, mirrored), each with the query's box of it (None: banked).
    areas: list[tuple[tuple[float, float, float, float], tuple[int, int, int, int] | None]] = []
    for picture in query.pictures:
        if picture == box:
            continue  # the region matched: every agreeing keypoint is in it
        corners = _matched_coordinates(query, box, mirrored, np.float32([picture[:2], picture[2:]]))
        (x0, y0), (x1, y1) = np.clip(corners.min(axis=0), 0, None), corners.max(axis=0)
        areas.append(((float(x0), float(y0), min(float(x1), width), min(float(y1), height)), picture))
    for bx0, by0, bx1, by1 in read.pictures:
        # A banked screenshot says where its picture is: a dark one on a dark screen in the query
        # shows none to find, and the interface around it agrees all the same.
        corners = np.float32([[bx0, by0], [bx1, by0], [bx1, by1], [bx0, by1]]).reshape(-1, 1, 2)
        xs, ys = cv2.perspectiveTransform(corners, inverse).reshape(-1, 2).T
        x0, y0 = max(float(xs.min()), 0.0), max(float(ys.min()), 0.0)
        areas.append(((x0, y0, min(float(xs.max()), width), min(float(ys.max()), height)), None))
    for (x0, y0, x1, y1), picture in areas:
        if x1 <= x0 or y1 <= y0:
            continue
        if min(x1 - x0, y1 - y0) < PICTURE_MIN_SIDE:
            continue  # too small for its keypoints to agree with a larger banked copy's
        # Inside its edges: the corners of a picture's frame are keypoints two screenshots of one
        # app share wherever their pictures sit at the same place.
        inset_x, inset_y = PICTURE_INSET * (x1 - x0), PICTURE_INSET * (y1 - y0)
        area = (x0 + inset_x, y0 + inset_y, x1 - inset_x, y1 - inset_y)
        found = np.count_nonzero(_inside(query_agreeing, area))
        powered = False
        for keypoints in (own,) if smaller else (own, banked):
            expected = inliers * np.count_nonzero(_inside(keypoints, area)) / max(len(keypoints), 1)
            if expected >= PICTURE_MIN_EXPECTED and found < PICTURE_MIN_SHARE * expected:
                return 0, None, None
            powered = powered or expected >= PICTURE_MIN_EXPECTED
        small = (x1 - x0) * (y1 - y0) < PICTURE_MAX_SHARE * width * height
        if picture is not None and not powered and not smaller and small:
            unclear.append(((x1 - x0) * (y1 - y0), picture, area))
    for _size, picture, area in sorted(unclear)[:PICTURES_LOOKED_AT]:
        if not _picture_agrees(query, picture, mirrored, (box, homography), frame, b_pts, b_desc, area):
            return 0, None, None
    return inliers, homography, agreeing


# A picture that few of the keypoints matched fall in (the interface's text holds most of a small
# screenshot's) is looked at with its own: when the banked picture covers it and it has texture,
# at least PICTURE_MIN_AGREEING of its own keypoints must agree with the mapping found. Only for
# pictures under PICTURE_MAX_SHARE of what was matched, at most PICTURES_LOOKED_AT of them.
PICTURE_MIN_AGREEING = 4
PICTURE_MAX_SHARE = 0.7
PICTURES_LOOKED_AT = 6


def _picture_agrees(
    query: QueryFeatures,
    picture: tuple[int, int, int, int],
    mirrored: bool,
    matched: tuple[tuple[int, int, int, int] | None, np.ndarray],
    frame: tuple[float, float],
    b_pts: np.ndarray,
    b_desc: np.ndarray,
    area: tuple[float, float, float, float],
) -> bool:
    """Whether the picture's own keypoints agree with the mapping found (True when they cannot say).

    matched: the box whose keypoints were matched (None: the whole query) and its homography onto
    the banked picture; area: the picture, inset, in that box's keypoint coordinates.
    """
    box, homography = matched
    # Does the banked picture cover it? Its corners, mapped onto the banked frame, lie inside it.
    x0, y0, x1, y1 = area
    corners = np.float32([[x0, y0], [x1, y0], [x1, y1], [x0, y1]]).reshape(-1, 1, 2)
    on_banked = cv2.perspectiveTransform(corners, homography).reshape(-1, 2)
    slack_x, slack_y = CROP_SLACK * frame[0], CROP_SLACK * frame[1]
    if not _inside(on_banked, (-slack_x, -slack_y, frame[0] + slack_x, frame[1] + slack_y)).all():
        return True  # partly beyond the banked picture: no claim about it
    points, descriptors = query.get(picture, mirrored=mirrored)
    if len(points) < MIN_INLIERS:
        return True  # too flat to say anything
    # The picture's keypoints in the query's pixels (its crop was mirrored on its own), then in the
    # coordinates of the keypoints matched.
    pw, ph = query.frame(picture)
    px = points[:, 0] * (picture[2] - picture[0]) / max(pw, 1)
    xs = picture[2] - px if mirrored else picture[0] + px
    ys = picture[1] + points[:, 1] * (picture[3] - picture[1]) / max(ph, 1)
    mapped = _matched_coordinates(query, box, mirrored, np.stack([xs, ys], axis=1))
    keep = _inside(mapped, area)
    if np.count_nonzero(keep) < MIN_INLIERS:
        return True
    pairs = cv2.BFMatcher(cv2.NORM_HAMMING).knnMatch(descriptors[keep], b_desc, k=2)
    good = [p[0] for p in pairs if len(p) == 2 and p[0].distance < RATIO * p[1].distance]
    if len(good) < PICTURE_MIN_AGREEING:
        return False
    src = mapped[keep][[m.queryIdx for m in good]].reshape(-1, 1, 2)
    projected = cv2.perspectiveTransform(src, homography).reshape(-1, 2)
    errors = np.linalg.norm(projected - b_pts[[m.trainIdx for m in good]], axis=1)
    return int(np.count_nonzero(errors <= 2 * REPROJECTION_PIXELS)) >= PICTURE_MIN_AGREEING


def _matched_coordinates(
    query: QueryFeatures, box: tuple[int, int, int, int] | None, mirrored: bool, pixels: np.ndarray
) -> np.ndarray:
    """Points in the query's pixels, in the coordinates of the keypoints of box (cropped, scaled
    as QueryFeatures.get scales it, and mirrored)."""
    width, height = query.frame(box)
    left, top, right, bottom = box or (0, 0, query.img.width, query.img.height)
    xs = (pixels[:, 0] - left) * width / max(right - left, 1)
    ys = (pixels[:, 1] - top) * height / max(bottom - top, 1)
    return np.stack([width - xs if mirrored else xs, ys], axis=1).astype(np.float32)


def _inside(points: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
    x0, y0, x1, y1 = box
    return (points[:, 0] >= x0) & (points[:, 0] < x1) & (points[:, 1] >= y0) & (points[:, 1] < y1)


def _inliers(
    q_pts: np.ndarray, q_desc: np.ndarray, b_pts: np.ndarray, b_desc: np.ndarray, shape: _Shape | None
) -> tuple[int, np.ndarray | None, np.ndarray | None, np.ndarray | None]:
    """(keypoints agreeing on one plausible homography, that query-to-banked homography, where they
    are on the banked picture, where they are on the query), or (0, None, None, None)."""
    matcher = cv2.BFMatcher(cv2.NORM_HAMMING)
    pairs = matcher.knnMatch(q_desc, b_desc, k=2)
    good = [p[0] for p in pairs if len(p) == 2 and p[0].distance < RATIO * p[1].distance]
    if len(good) < MIN_INLIERS:
        return 0, None, None, None
    src = np.float32([q_pts[m.queryIdx] for m in good]).reshape(-1, 1, 2)
    dst = np.float32([b_pts[m.trainIdx] for m in good]).reshape(-1, 1, 2)
    homography, mask = cv2.findHomography(src, dst, cv2.RANSAC, REPROJECTION_PIXELS, maxIters=2000)
    if homography is None or mask is None or not _plausible(homography):
        return 0, None, None, None
    if shape is not None and not shape.holds(homography):
        return 0, None, None, None
    inliers = mask.ravel().astype(bool)
    # Inliers piled on one spot are a repeated texture, not the same picture: ask for spread.
    spread = dst.reshape(-1, 2)[inliers]
    if len(spread) < MIN_INLIERS or float(np.ptp(spread[:, 0])) < 40 or float(np.ptp(spread[:, 1])) < 40:
        return 0, None, None, None
    return int(inliers.sum()), homography, spread, src.reshape(-1, 2)[inliers]


def _plausible(homography: np.ndarray) -> bool:
    """A re-framing scales, shifts, mirrors or rotates by right angles; it does not fold or tilt wildly."""
    h = homography / homography[2, 2] if abs(homography[2, 2]) > 1e-9 else homography
    det = float(np.linalg.det(h[:2, :2]))
    if not 1 / 64 <= abs(det) <= 64:
        return False
    # Perspective terms stay small for a flat screenshot or crop.
    if abs(h[2, 0]) >= 2e-3 or abs(h[2, 1]) >= 2e-3:
        return False
    # No shear, no rotation but by right angles (a few degrees allowed), no stretch beyond
    # MAX_STRETCH: two screenshots of one app agree on their interface through a sheared mapping
    # that no re-upload makes.
    (a, b), (c, d) = np.abs(h[:2, :2])
    on_axis, off_axis = (a + d, b + c) if a + d >= b + c else (b + c, a + d)
    if off_axis > MAX_OFF_AXIS * on_axis:
        return False
    columns = np.linalg.norm(h[:2, :2], axis=0)
    return float(columns.max()) <= MAX_STRETCH * float(columns.min())


# A re-framing's mapping: off-axis terms at most this share of the on-axis ones (~6 degrees of
# rotation or shear), and one axis scaled at most this many times the other.
MAX_OFF_AXIS = 0.1
MAX_STRETCH = 1.5
