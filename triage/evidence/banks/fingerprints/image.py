"""PDQ for images: a 256-bit perceptual hash, compared by Hamming distance.

PDQ (Meta's photo hash, the one HMA and StopNCII use) survives re-encoding, resizing, small crops
and brightness changes. Distances are bits out of 256; HMA's default match threshold is 31.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pdqhash
from PIL import Image, ImageOps, UnidentifiedImageError

from . import MAX_IMAGE_PIXELS, UnparseableMediaError, image_candidates, local_features

PDQ_BYTES = 32
# PDQ alone tolerates only ~1-2% of cropping. A banked image also stores the hashes of centre crops
# of these fractions per edge, so a copy cropped by up to ~8% per edge lands near one of them.
BANK_CROP_FRACTIONS = (0.03, 0.06)
# And of crops that take more from one side than the others (left, top, right, bottom fractions): a
# lopsided crop of up to ~15% from one side lands near one of these (measured in bench/banks).
BANK_SIDE_CROPS = ((0.1, 0, 0, 0), (0, 0.1, 0, 0), (0, 0, 0.1, 0), (0, 0, 0, 0.1))
# A banked image's hashes from this position on are its edge bands (image_candidates.edge_bands):
# they go to an index of their own, searched by the query's bands only (selectors._build).
BANK_BANDS_FROM = 1 + len(BANK_CROP_FRACTIONS) + len(BANK_SIDE_CROPS)
QUERY_SIZE = 1024
# PDQ's own quality score (0-100): below this the image is too flat to hash meaningfully.
MIN_QUALITY = 20


def pdq_from_array(rgb: np.ndarray) -> tuple[bytes, int]:
    """Return (32-byte PDQ hash, quality) for an RGB uint8 array."""
    bits, quality = pdqhash.compute(np.ascontiguousarray(rgb, dtype=np.uint8))
    return np.packbits(bits.astype(np.uint8)).tobytes(), int(quality)


def pdq_from_pil(img: Image.Image) -> tuple[bytes, int]:
    """Return (PDQ hash, quality) for a Pillow image, downscaled first as PDQ does internally."""
    img = ImageOps.exif_transpose(img)
    if img.mode != "RGB":
        img = img.convert("RGB")
    # PDQ works on a 64x64 average of a 512-pixel version; shrinking first is faster and equivalent.
    img.thumbnail((512, 512), Image.Resampling.BILINEAR)
    return pdq_from_array(np.asarray(img))


WORKING_SIZE = 1024  # pixels on the long side, after decoding, before any other work


def _shrunk(img: Image.Image, size: int) -> Image.Image:
    """Return the image at most about `size` pixels a side, upright, without a full-size copy."""
    if max(img.size) <= size:
        return ImageOps.exif_transpose(img)  # small: exactly as before
    orientation = img.getexif().get(0x0112)  # the shrunk copy carries no EXIF: read it first
    if img.mode in ("1", "P", "PA") or img.mode.startswith("I;16"):
        # Modes Pillow cannot box-reduce: to luminance, one byte a pixel (PDQ hashes luminance).
        img = img.convert("L")
    factor = max(img.size) // size
    if factor >= 2:
        img = img.reduce(factor)  # a box average at C speed, into a new, small image
    if max(img.size) > size:
        img.thumbnail((size, size), Image.Resampling.BILINEAR)
    method = _EXIF_TRANSPOSE.get(orientation)
    return img.transpose(method) if method is not None else img


_EXIF_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def image_fingerprint(path: Path) -> tuple[bytes, int]:
    """Return (PDQ hash, quality) of an image file, or raise UnparseableMediaError."""
    hashes, quality = image_bank_hashes(path, crops=())
    return hashes[0], quality


def image_bank_hashes(
    path: Path, *, crops: tuple[float, ...] = BANK_CROP_FRACTIONS
) -> tuple[list[bytes], int]:
    """Return (PDQ of the image then of each centre crop, quality), or raise UnparseableMediaError."""
    img = load_image(path)
    return bank_hashes(img, crops=crops)


def bank_hashes(
    img: Image.Image, *, crops: tuple[float, ...] = BANK_CROP_FRACTIONS
) -> tuple[list[bytes], int]:
    """Return (PDQ of the image, of each centre crop, of each one-side crop, of each edge band; quality)."""
    digest, quality = pdq_from_pil(img)
    hashes = [digest]
    for fraction in crops:
        dx, dy = round(img.width * fraction), round(img.height * fraction)
        hashes.append(pdq_from_pil(img.crop((dx, dy, img.width - dx, img.height - dy)))[0])
    if crops:
        for left, top, right, bottom in BANK_SIDE_CROPS:
            box = (
                round(img.width * left),
                round(img.height * top),
                img.width - round(img.width * right),
                img.height - round(img.height * bottom),
            )
            hashes.append(pdq_from_pil(img.crop(box))[0])
        # The four edge bands a query hashes too: a copy cropped from one side, by any amount up
        # to ~30%, keeps the opposite band as it was banked (image_candidates.edge_bands).
        for _, box in image_candidates.edge_bands(img.width, img.height):
            hashes.append(pdq_from_pil(img.crop(box))[0])
    return hashes, quality


def load_image(path: Path) -> Image.Image:
    """Decode an image as RGB (EXIF orientation applied), or raise UnparseableMediaError."""
    try:
        with Image.open(path) as img:
            width, height = img.size
            if width * height > MAX_IMAGE_PIXELS:
                raise UnparseableMediaError(f"unparseable: image too large ({width}x{height} pixels)")
            img.draft("RGB", (1024, 1024))  # JPEG: decode at reduced scale, much faster
            img.load()
            # Shrink the decoded frame before anything copies it: PDQ, its crops and the keypoints
            # only need ~1024 pixels a side, and each full-size copy (transpose, RGB conversion,
            # crop) of a large image cost hundreds of megabytes (an 8900x8900 PNG took a worker to
            # 1.2 GB). _shrunk applies the EXIF orientation too.
            img = _shrunk(img, WORKING_SIZE)
            return img if img.mode == "RGB" else img.convert("RGB")
    except UnparseableMediaError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise UnparseableMediaError(f"unparseable: image could not be decoded ({exc})") from exc


@dataclass
class ImageQuery:
    """What an image query looks up: candidate hashes, and the image for verifying candidates."""

    candidates: list  # image_candidates.Candidate, the plain hash first
    features: local_features.QueryFeatures

    @property
    def plain(self) -> bytes:
        return self.candidates[0].digest


def bank_keypoints(img: Image.Image) -> bytes:
    """The keypoints a banked image stores, with the pictures it shows framed by an interface."""
    return local_features.extract(img, framed_pictures(img))


def framed_pictures(
    img: Image.Image, regions: list[tuple[int, int, int, int]] | None = None
) -> list[tuple[int, int, int, int]]:
    """The pictures an image shows framed by an interface (a screenshot's photo), in its pixels,
    smallest first (the photo before the region of everything under an app's header).

    regions: the candidate regions a query found already (image_candidates.query_candidates);
    without them they are found here, as a query finds them (on a copy at most QUERY_SIZE long), so
    that a banked screenshot and a copy of it agree on where its picture is.
    """
    small = img
    if max(img.size) > QUERY_SIZE:
        small = img.copy()
        small.thumbnail((QUERY_SIZE, QUERY_SIZE), Image.Resampling.BILINEAR)
    if regions is None:
        regions = [box for _name, box in image_candidates.content_boxes(np.asarray(small.convert("RGB")))]
    found = image_candidates.framed(
        image_candidates.interface(small), small.size, list(dict.fromkeys(regions))
    )
    found.sort(key=lambda box: (box[2] - box[0]) * (box[3] - box[1]))
    sx, sy = img.width / small.width, img.height / small.height
    return [(round(a * sx), round(b * sy), round(c * sx), round(d * sy)) for a, b, c, d in found]


def image_query(path: Path) -> ImageQuery:
    """Decode an image once and return its query candidates, or raise UnparseableMediaError."""
    img = load_image(path)
    # Regions, hashes and keypoints all work on at most QUERY_SIZE pixels (PDQ itself looks at 512),
    # which also bounds the memory a huge PNG can make the region search use.
    img.thumbnail((QUERY_SIZE, QUERY_SIZE), Image.Resampling.BILINEAR)
    candidates = image_candidates.query_candidates(img)
    # The pictures it shows framed by an interface, which an agreement must not avoid (local_features).
    regions = [c.box for c in candidates if c.region in image_candidates.PICTURE_REGIONS]
    return ImageQuery(candidates, local_features.QueryFeatures(img, framed_pictures(img, regions)))


def hamming(a: bytes, b: bytes) -> int:
    """Return the Hamming distance in bits between two equal-length hashes."""
    return int(np.unpackbits(np.bitwise_xor(np.frombuffer(a, np.uint8), np.frombuffer(b, np.uint8))).sum())
