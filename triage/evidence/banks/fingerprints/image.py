"""PDQ for images: a 256-bit perceptual hash, compared by Hamming distance.

PDQ (Meta's photo hash, the one HMA and StopNCII use) survives re-encoding, resizing, small crops
and brightness changes. Distances are bits out of 256; HMA's default match threshold is 31.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pdqhash
from PIL import Image, ImageOps, UnidentifiedImageError

from . import MAX_IMAGE_PIXELS, UnparseableMediaError

PDQ_BYTES = 32
# PDQ alone tolerates only ~1-2% of cropping. A banked image also stores the hashes of centre crops
# of these fractions per edge, so a copy cropped by up to ~8% per edge lands near one of them.
BANK_CROP_FRACTIONS = (0.03, 0.06)
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
    try:
        with Image.open(path) as img:
            width, height = img.size
            if width * height > MAX_IMAGE_PIXELS:
                raise UnparseableMediaError(f"unparseable: image too large ({width}x{height} pixels)")
            img.draft("RGB", (1024, 1024))  # JPEG: decode at reduced scale, much faster
            img.load()
            # Shrink the decoded frame before anything copies it: PDQ and its crops only need ~1024
            # pixels a side, and each full-size copy (transpose, RGB conversion, crop) of a large
            # image cost hundreds of megabytes (an 8900x8900 PNG took a worker to 1.2 GB).
            img = _shrunk(img, WORKING_SIZE)
            digest, quality = pdq_from_pil(img)
            hashes = [digest]
            for fraction in crops:
                dx, dy = round(img.width * fraction), round(img.height * fraction)
                hashes.append(pdq_from_pil(img.crop((dx, dy, img.width - dx, img.height - dy)))[0])
            return hashes, quality
    except UnparseableMediaError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise UnparseableMediaError(f"unparseable: image could not be decoded ({exc})") from exc


def hamming(a: bytes, b: bytes) -> int:
    """Return the Hamming distance in bits between two equal-length hashes."""
    return int(np.unpackbits(np.bitwise_xor(np.frombuffer(a, np.uint8), np.frombuffer(b, np.uint8))).sum())
