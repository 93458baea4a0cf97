"""Query-time candidates for an image: the photo inside a larger frame, and its mirrored copies.

An image rarely travels as the file that was banked. It is screenshotted inside an app (a status
bar, a header, buttons and text around it), given a caption band, letterboxed, or mirrored. PDQ
hashes the whole frame, so each of those moves the hash far from the banked one. At query time we
therefore hash a few candidate regions as well as the whole image:

- the image with uniform borders trimmed (letterboxing, margins);
- rectangles bounded by long, straight, axis-aligned edges: a photo shown inside an interface, or
  above or below a caption band, meets its surroundings along such lines, while photo content
  rarely has a pixel-straight edge across a third of the frame;

- bands along each edge (EDGE_BAND_DEPTH deep): a copy cropped on one side only keeps the band
  along the opposite edge pixel for pixel, and the banked image stores the same four bands;

and the whole image in all eight dihedral variants (PDQ computes them from one DCT), each region as
it is and mirrored, so a mirrored or rotated copy lands on the banked hash. Every candidate other
than the plain image must be confirmed by local features (`local_features.verify`) before it counts
as a match, because more hashes per query means more chances of a chance near-miss.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pdqhash
from PIL import Image

# Regions are found on a copy this many pixels on its longer side (lines are long, so this is plenty).
DETECT_SIZE = 512
# A boundary: the colour changes by more than this (0-255, any channel) across two pixels ...
EDGE_STEP = 24.0
# ... over a run covering at least this share of the frame's width (height for vertical lines) ...
MIN_LINE_SHARE = 0.3
# ... where gaps of up to this share are bridged (a photo edge touching a same-coloured UI element),
# as long as the run stays this dense (a line of text beside the photo is a sparse row of edges).
LINE_GAP_SHARE = 0.01
LINE_DENSITY = 0.85
# A candidate region covers at least this share of the frame, with an aspect ratio within 1:4..4:1.
MIN_AREA_SHARE = 0.12
# A pixel unlike the interface's background differs from it by more than this in some channel;
# a picture's rows have at least CONTENT_ROW_SHARE such pixels (_off_background_rows).
BACKGROUND_TOLERANCE = 24.0
CONTENT_ROW_SHARE = 0.5
EDGE_SNAP_SHARE = 0.02  # an edge this close to the frame's (share of its size) may be moved onto it
MAX_ASPECT = 4.0
MAX_LINES = 8  # strongest lines per direction
MAX_REGIONS = 6  # regions hashed besides the whole image
MAX_SHORTENED = 2  # ... and at most this many of them cut to their rows off the background
# The whole image is looked up in all eight dihedral variants; a region found inside a frame only as
# it is and mirrored (a screenshot of a rotated photo is rare): each lookup costs ~2 ms at 1M images.
REGION_TRANSFORMS = ("original", "mirror")
# Rows or columns this flat (standard deviation, 0-255) at the borders are trimmed as letterboxing.
FLAT_STD = 6.0
# PDQ's quality score below which a region is too flat to hash meaningfully (as image.MIN_QUALITY).
MIN_QUALITY = 20
# Edge bands: a band along each edge, as deep as this share of the edge's length. A crop from one
# side leaves the opposite band whole and unmoved (its depth follows the uncropped side's length), so
# its hash is the banked band's. 0.4 keeps a band inside the copy for crops of up to ~29% of a 16:9
# frame's long side. Banked images store the same four bands (image.bank_hashes).
EDGE_BAND_DEPTH = 0.4
HASH_SIZE = 512  # PDQ works on a 64x64 average of a 512-pixel version
# pdqhash.compute_dihedral's order of the eight variants (its "flip x" mirrors about the x axis, i.e.
# upside down; "flip y" is the left-right mirror people make; rotations are counter-clockwise).
DIHEDRAL = (
    "original", "rotate_90", "rotate_180", "rotate_270", "upside_down", "mirror", "transpose", "transverse",
)  # fmt: skip


# The regions that are a picture found inside the query (the others are the whole query and its bands).
PICTURE_REGIONS = ("trimmed", "frame")


@dataclass(frozen=True)
class Candidate:
    """One hash to look up: which region of the query, under which dihedral transform."""

    digest: bytes
    region: str  # "whole", "trimmed", "frame" or an edge band ("band_left", "band_top", ...)
    box: tuple[int, int, int, int]  # (left, top, right, bottom) in the query's pixels
    transform: str  # one of DIHEDRAL

    @property
    def plain(self) -> bool:
        """The whole image as it is: what PDQ matching did before candidates."""
        return self.region == "whole" and self.transform == "original"


def query_candidates(img: Image.Image) -> list[Candidate]:
    """Return the plain hash first, then the dihedral variants of the whole image and of each region."""
    rgb = np.asarray(img.convert("RGB"))
    boxes = [("whole", (0, 0, rgb.shape[1], rgb.shape[0]))]
    seen = [boxes[0][1]]
    for name, box in content_boxes(rgb):
        if all(iou(box, other) < 0.92 for other in seen):
            boxes.append((name, box))
            seen.append(box)
    out: list[Candidate] = []
    for name, (left, top, right, bottom) in boxes:
        pixels = _hash_pixels(rgb[top:bottom, left:right])
        hashes, quality = pdqhash.compute_dihedral(pixels)
        if quality < MIN_QUALITY and name != "whole":
            continue
        # The dihedral hashes come from one DCT of PDQ's downsampled image, whose filter is not
        # symmetric: a mirror derived that way lands ~14 bits from the mirror's own hash. Mirrors are
        # the common case, so that one is hashed from the mirrored pixels.
        hashes = list(hashes)
        hashes[DIHEDRAL.index("mirror")] = pdqhash.compute(np.ascontiguousarray(pixels[:, ::-1]))[0]
        for transform, bits in zip(DIHEDRAL, hashes, strict=True):
            if name != "whole" and transform not in REGION_TRANSFORMS:
                continue
            out.append(Candidate(_packed(bits), name, (left, top, right, bottom), transform))
    for name, (left, top, right, bottom) in edge_bands(rgb.shape[1], rgb.shape[0]):
        bits, quality = pdqhash.compute(_hash_pixels(rgb[top:bottom, left:right]))
        if quality >= MIN_QUALITY:
            out.append(Candidate(_packed(bits), name, (left, top, right, bottom), "original"))
    return out


def _hash_pixels(rgb: np.ndarray) -> np.ndarray:
    """A region of the query as PDQ is given it: at most HASH_SIZE pixels a side, contiguous."""
    region = Image.fromarray(rgb)
    region.thumbnail((HASH_SIZE, HASH_SIZE), Image.Resampling.BILINEAR)
    return np.ascontiguousarray(np.asarray(region))


def _packed(bits: np.ndarray) -> bytes:
    """pdqhash's 256 bits as the 32-byte digest the index holds."""
    return np.packbits(np.asarray(bits, dtype=np.uint8)).tobytes()


def edge_bands(width: int, height: int) -> list[tuple[str, tuple[int, int, int, int]]]:
    """The four edge bands of a width x height image, as (name, (left, top, right, bottom)).

    A band along the left or right edge is the image's full height and EDGE_BAND_DEPTH x its height
    wide; along the top or bottom, full width and EDGE_BAND_DEPTH x its width deep. A band that
    would not fit (a very elongated image) is left out.
    """
    out = []
    across = round(EDGE_BAND_DEPTH * height)
    if 16 <= across < width:
        out += [("band_left", (0, 0, across, height)), ("band_right", (width - across, 0, width, height))]
    down = round(EDGE_BAND_DEPTH * width)
    if 16 <= down < height:
        out += [("band_top", (0, 0, width, down)), ("band_bottom", (0, height - down, width, height))]
    return out


def content_boxes(rgb: np.ndarray) -> list[tuple[str, tuple[int, int, int, int]]]:
    """Return plausible content rectangles (largest first) in the pixel coordinates of rgb."""
    height, width = rgb.shape[:2]
    scale = min(1.0, DETECT_SIZE / max(height, width))
    small = rgb
    if scale < 1.0:
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        small = np.asarray(Image.fromarray(rgb).resize(size, Image.Resampling.BILINEAR))
    small = small.astype(np.float32)
    h, w = small.shape[:2]
    if h < 32 or w < 32:
        return []
    found: list[tuple[str, tuple[int, int, int, int]]] = []
    trimmed = _trim_flat_borders(small)
    if trimmed != (0, 0, w, h):
        found.append(("trimmed", trimmed))
    rows = _lines(small, axis=0)  # horizontal boundaries: (y, x0, x1, strength)
    cols = _lines(small.transpose(1, 0, 2), axis=0)  # vertical boundaries: (x, y0, y1, strength)
    rows += [(0, 0, w, 0.0), (h, 0, w, 0.0)]  # the frame's own edges bound regions too
    cols += [(0, 0, h, 0.0), (w, 0, h, 0.0)]
    boxes = set()
    for i, (top, tx0, tx1, _) in enumerate(rows):
        for bottom, bx0, bx1, _ in rows[i + 1 :]:
            if abs(bottom - top) < 8:
                continue
            top_, bottom_ = min(top, bottom), max(top, bottom)
            # The region spans the part of its width both boundaries share ...
            left, right = max(tx0, bx0), min(tx1, bx1)
            boxes.add((left, top_, right, bottom_))
            # ... or is cut at the sides by vertical boundaries within that span.
            inner = sorted({c[0] for c in cols if left <= c[0] <= right and _covers(c, top_, bottom_)})
            if len(inner) >= 2:
                boxes.add((inner[0], top_, inner[-1], bottom_))
    for i, (left, ly0, ly1, _) in enumerate(cols):
        for right, ry0, ry1, _ in cols[i + 1 :]:
            if abs(right - left) >= 8:
                boxes.add((min(left, right), max(ly0, ry0), max(left, right), min(ly1, ry1)))
    plausible = []
    for left, top, right, bottom in boxes:
        bw, bh = right - left, bottom - top
        if bw <= 0 or bh <= 0 or (bw, bh) == (w, h):
            continue
        if bw * bh < MIN_AREA_SHARE * w * h or max(bw / bh, bh / bw) > MAX_ASPECT:
            continue
        # A photo is busy inside: prefer textured regions over a band of flat interface.
        patch = small[top:bottom, left:right]
        texture = float(np.mean(np.abs(np.diff(patch, axis=1)) > 4.0))
        plausible.append((texture * np.sqrt(bw * bh), (left, top, right, bottom)))
    plausible.sort(key=lambda p: -p[0])
    shortened = 0
    for _, box in plausible[:MAX_REGIONS]:
        found.append(("frame", box))
        # A dark picture on a dark interface: the boundary below (or above) it shows no colour
        # step, so the region runs to the frame's edge. Also try it ending where its rows stop
        # being mostly unlike the interface's background (for the most photo-like few).
        shorter = _off_background_rows(small, box) if shortened < MAX_SHORTENED else None
        if shorter is not None:
            found.append(("frame", shorter))
            shortened += 1
    # Back to the caller's pixels, each edge moved onto the strongest step nearby at full resolution:
    # PDQ moves ~24 bits per 1% of misplaced edge, and a detection pixel is several real ones.
    inv = 1.0 / scale
    full = rgb.astype(np.int16)
    out = []
    for name, (left, top, right, bottom) in found:
        box = [round(left * inv), round(top * inv), round(right * inv), round(bottom * inv)]
        box = _refine(full, box, round(inv) + 2)
        if name != "trimmed":  # a trimmed box's edges are where flat borders end: right by definition
            box = _to_frame_edges(full, box)
        if box[2] - box[0] >= 16 and box[3] - box[1] >= 16:
            out.append((name, tuple(box)))
    return out


def _refine(full: np.ndarray, box: list[int], radius: int) -> list[int]:
    """Snap each inner edge of box to the strongest colour step within radius pixels."""
    height, width = full.shape[:2]
    left, top, right, bottom = box
    span_x = slice(max(0, left), min(width, right))
    span_y = slice(max(0, top), min(height, bottom))
    for k, (pos, limit) in enumerate(((left, width), (top, height), (right, width), (bottom, height))):
        if pos <= 0 or pos >= limit:
            continue
        lo, hi = max(1, pos - radius), min(limit - 1, pos + radius)
        if k % 2 == 0:  # a vertical edge: steps between columns c-1 and c, over the box's rows
            strip = full[span_y, lo - 1 : hi + 1]
            steps = np.abs(np.diff(strip, axis=1)).max(axis=2).mean(axis=0)
        else:
            strip = full[lo - 1 : hi + 1, span_x]
            steps = np.abs(np.diff(strip, axis=0)).max(axis=2).mean(axis=1)
        if steps.size:
            box[k] = lo + int(np.argmax(steps))
    return [max(0, box[0]), max(0, box[1]), min(width, box[2]), min(height, box[3])]


def _off_background_rows(img: np.ndarray, box: tuple[int, int, int, int]) -> tuple[int, int, int, int] | None:
    """box cut to the rows that are mostly not the interface's background colour, when it runs
    to the top or bottom of the frame (see content_boxes); None when that changes nothing."""
    h, w = img.shape[:2]
    left, top, right, bottom = box
    if top > 0 and bottom < h:
        return None
    background = _background(img)
    if background is None:
        return None
    off = np.abs(img[top:bottom, left:right] - background).max(axis=2) > BACKGROUND_TOLERANCE
    start, end = _longest_run(off.mean(axis=1) >= CONTENT_ROW_SHARE, max(1, int(0.005 * h)))
    cut = (left, top + start, right, top + end)
    if end - start < MIN_AREA_SHARE * h or cut == box:
        return None
    return cut


# A picture is framed by an interface when, along one of its sides at least, a strip this deep (a
# share of the frame's size) just outside it is flat and the interface's background colour, the
# frame's edge being mostly that colour. A region bounded by lines inside a photo (a horizon, a
# brick wall's courses) has more of the photo around it.
FRAMED_STRIP_SHARE = 0.006
FRAMED_SIZE = 512  # the check looks at a copy this long on its longer side


@dataclass(frozen=True)
class Interface:
    """The query seen as an app's screen: a small copy of it, and the colour of its background."""

    pixels: np.ndarray  # a copy at most FRAMED_SIZE long on its longer side, float32 RGB
    background: np.ndarray  # the colour of most of the frame's outer edge


def interface(img: Image.Image) -> Interface | None:
    """The query as an app's screen, when its outer edge is mostly one colour; None otherwise."""
    small = img.convert("RGB")
    small.thumbnail((FRAMED_SIZE, FRAMED_SIZE), Image.Resampling.BILINEAR)
    pixels = np.asarray(small).astype(np.float32)
    if min(pixels.shape[:2]) < 8:
        return None
    background = _background(pixels)
    return None if background is None else Interface(pixels, background)


def _background(pixels: np.ndarray) -> np.ndarray | None:
    """The colour of most of the frame's outer edge (black in a dark-mode app), when most of the
    edge is that colour; None when it is not (a photo's edge)."""
    edge = np.concatenate([pixels[0], pixels[-1], pixels[:, 0], pixels[:, -1]])
    background = np.median(edge, axis=0)
    if float(np.mean(np.abs(edge - background).max(axis=1) <= BACKGROUND_TOLERANCE)) < 0.5:
        return None
    return background


def framed(
    screen: Interface | None, size: tuple[int, int], boxes: list[tuple[int, int, int, int]]
) -> list[tuple[int, int, int, int]]:
    """The boxes (in an image of this size) that are a picture shown inside the interface."""
    if screen is None or not boxes:
        return []
    pixels, background = screen.pixels, screen.background
    h, w = pixels.shape[:2]
    depth_x, depth_y = max(2, round(FRAMED_STRIP_SHARE * w)), max(2, round(FRAMED_STRIP_SHARE * h))
    sx, sy = w / size[0], h / size[1]

    def plain(strip: np.ndarray) -> bool:
        return bool(strip.size) and (
            float(strip.reshape(-1, 3).std(axis=0).max()) < FLAT_STD
            and float(np.abs(strip.reshape(-1, 3).mean(axis=0) - background).max()) <= BACKGROUND_TOLERANCE
        )

    out = []
    for box in boxes:
        left, top = round(box[0] * sx), round(box[1] * sy)
        right, bottom = round(box[2] * sx), round(box[3] * sy)
        # One pixel off the box's edge, which resizing blends with the picture.
        strips = [
            pixels[max(0, top - 1 - depth_y) : max(0, top - 1), left:right],
            pixels[bottom + 1 : bottom + 1 + depth_y, left:right],
            pixels[top:bottom, max(0, left - 1 - depth_x) : max(0, left - 1)],
            pixels[top:bottom, right + 1 : right + 1 + depth_x],
        ]
        if any(plain(strip) for strip in strips):
            out.append(box)
    return out


def _to_frame_edges(full: np.ndarray, box: list[int]) -> list[int]:
    """Move an edge a few pixels short of the frame's edge onto it when the strip between is picture.

    A photo shown edge to edge (a phone feed) has no boundary at the screen's side, and the line
    runs found at the top and bottom stop a few pixels short of it (the two-pixel step, JPEG): 4
    pixels of 320 are ~30 bits of PDQ. A strip that is flat (a margin) stays outside.
    """
    height, width = full.shape[:2]
    left, top, right, bottom = box
    near_x, near_y = max(2, round(EDGE_SNAP_SHARE * width)), max(2, round(EDGE_SNAP_SHARE * height))
    rows, cols = slice(top, bottom), slice(left, right)

    def picture(strip: np.ndarray) -> bool:
        # Not flat: neither a margin nor a bar (a strip and the frame's outermost two lines).
        return bool(strip.size) and float(strip.std(axis=(0, 1)).max()) >= FLAT_STD

    if 0 < left <= near_x and picture(full[rows, :left]) and picture(full[rows, :2]):
        left = 0
    if width - near_x <= right < width and picture(full[rows, right:]) and picture(full[rows, -2:]):
        right = width
    if 0 < top <= near_y and picture(full[:top, cols]) and picture(full[:2, cols]):
        top = 0
    if height - near_y <= bottom < height and picture(full[bottom:, cols]) and picture(full[-2:, cols]):
        bottom = height
    return [left, top, right, bottom]


def _covers(line: tuple, start: int, end: int) -> bool:
    _, a, b, _ = line
    return a <= start + 0.1 * (end - start) and b >= end - 0.1 * (end - start)


def _lines(img: np.ndarray, *, axis: int) -> list[tuple[int, int, int, float]]:
    """Horizontal boundaries of img: (row between two bands, run start, run end, run share)."""
    h, w = img.shape[:2]
    # Change across two pixels, so a boundary blurred by resizing or JPEG still shows as one step.
    step = np.abs(img[2:] - img[:-2]).max(axis=2) > EDGE_STEP  # row i+1 lies between rows i and i+2
    gap = max(2, int(LINE_GAP_SHARE * w))
    best: list[tuple[int, int, int, float]] = []
    # Only rows whose total edge count could reach the minimum run are examined in detail.
    for i in np.nonzero(step.sum(axis=1) >= MIN_LINE_SHARE * w)[0].tolist():
        start, end = _longest_run(step[i], gap)
        share = (end - start) / w
        if share >= MIN_LINE_SHARE and step[i, start:end].mean() >= LINE_DENSITY:
            best.append((i + 1, start, end, share))
    # One line per boundary: keep the strongest row within a few rows of each other.
    best.sort(key=lambda line: -line[3])
    kept: list[tuple[int, int, int, float]] = []
    for line in best:
        if all(abs(line[0] - k[0]) > 3 for k in kept):
            kept.append(line)
        if len(kept) >= MAX_LINES:
            break
    return sorted(kept)


def _longest_run(mask: np.ndarray, gap: int) -> tuple[int, int]:
    """Return [start, end) of the longest run of True in mask, bridging gaps of up to gap False."""
    idx = np.nonzero(mask)[0]
    if idx.size == 0:
        return 0, 0
    breaks = np.nonzero(np.diff(idx) > gap + 1)[0]
    starts = np.concatenate(([idx[0]], idx[breaks + 1]))
    ends = np.concatenate((idx[breaks], [idx[-1]])) + 1
    k = int(np.argmax(ends - starts))
    return int(starts[k]), int(ends[k])


def _trim_flat_borders(img: np.ndarray) -> tuple[int, int, int, int]:
    """Return the box left after removing flat rows and columns at the edges (letterboxing, margins)."""
    h, w = img.shape[:2]
    row_flat = img.std(axis=1).max(axis=1) < FLAT_STD
    col_flat = img.std(axis=0).max(axis=1) < FLAT_STD
    top = int(np.argmin(row_flat)) if not row_flat.all() else 0
    bottom = h - int(np.argmin(row_flat[::-1])) if not row_flat.all() else h
    left = int(np.argmin(col_flat)) if not col_flat.all() else 0
    right = w - int(np.argmin(col_flat[::-1])) if not col_flat.all() else w
    return left, top, right, bottom


def iou(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    """Intersection over union of two (left, top, right, bottom) boxes."""
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union else 0.0
