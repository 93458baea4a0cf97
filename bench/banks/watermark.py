"""What the watermark check survives, and how close unmarked images come to a payload by chance.

Run from the repository root: `python -m bench.banks.watermark [--synthetic 100]`. Marks the
scikit-image bundled photographs (and synthetic ones) with each known payload through the library's
own encoder, as the generators call it, then decodes the original and transformed copies with the
check's decoder. Chance: every unmarked image's best agreement with every payload, in bits.
"""

from __future__ import annotations

import argparse
import io
import json
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

from integrations.provenance.watermark_check import PAYLOADS, decode_bits, encode_bits, find_watermarks
from tests.banks import media


def via(img: Image.Image, fmt: str, **kw) -> np.ndarray:
    buf = io.BytesIO()
    img.save(buf, fmt, **kw)
    buf.seek(0)
    return np.asarray(Image.open(buf).convert("RGB"))


def transforms(rgb: np.ndarray) -> dict[str, np.ndarray]:
    img = Image.fromarray(rgb)
    w, h = img.size
    return {
        "png (lossless copy)": via(img, "PNG"),
        "webp lossless": via(img, "WEBP", lossless=True),
        "jpeg q98": via(img, "JPEG", quality=98),
        "jpeg q95": via(img, "JPEG", quality=95),
        "jpeg q85": via(img, "JPEG", quality=85),
        "webp q90": via(img, "WEBP", quality=90),
        "resize 90%": np.asarray(img.resize((w * 9 // 10, h * 9 // 10), Image.Resampling.LANCZOS)),
        "crop 8 px left/top": rgb[8:, 8:],
        "crop 4 px (block-aligned)": rgb[4:, 4:],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--synthetic", type=int, default=60)
    parser.add_argument("--out", type=Path, default=Path("var/bench-watermark.json"))
    args = parser.parse_args()
    images: list[tuple[str, np.ndarray]] = []
    for name in media.REAL_PHOTOS:
        rgb = np.asarray(media.real_photo(name))
        if rgb.shape[0] * rgb.shape[1] >= 256 * 256:
            images.append((name, rgb))
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(args.synthetic):
            path = media.photo(Path(tmp) / f"s{seed}.png", seed=seed, size=(768, 768))
            images.append((f"synthetic{seed}", np.asarray(Image.open(path).convert("RGB"))))
    # Chance agreement of unmarked images with every payload (both channel orders).
    chance = {p.key: 0 for p in PAYLOADS}
    false_found = 0
    for _, rgb in images:
        bgr = np.ascontiguousarray(rgb[:, :, ::-1])
        for p in PAYLOADS:
            for order in ("bgr", "rgb"):
                bits = decode_bits(bgr if order == "bgr" else bgr[:, :, ::-1], len(p.bits))
                chance[p.key] = max(chance[p.key], int((bits == np.asarray(p.bits)).sum()))
        false_found += bool(find_watermarks(bgr))
    rows: dict[str, dict[str, int]] = {}
    seconds = []
    marked_ok = {p.key: 0 for p in PAYLOADS}
    for _, rgb in images:
        for p in PAYLOADS:
            # As the generators do: the encoder gets BGR (SDXL's diffusers path is the RGB case).
            marked_bgr = encode_bits(np.ascontiguousarray(rgb[:, :, ::-1]), p.bits)
            marked_rgb = np.ascontiguousarray(np.clip(marked_bgr, 0, 255).astype(np.uint8)[:, :, ::-1])
            for name, copy in transforms(marked_rgb).items():
                # Only this payload's decode (the check decodes all five; the others are the chance rows).
                bits = decode_bits(np.ascontiguousarray(copy[:, :, ::-1]), len(p.bits))
                row = rows.setdefault(name, {"found": 0, "of": 0})
                row["of"] += 1
                row["found"] += int((bits != np.asarray(p.bits)).sum()) <= p.max_errors
            started = time.perf_counter()
            found = find_watermarks(np.ascontiguousarray(marked_rgb[:, :, ::-1]))
            seconds.append(time.perf_counter() - started)
            marked_ok[p.key] += any(f["payload"] == p.key for f in found)
    result = {
        "images": len(images),
        "real_photos": len(images) - args.synthetic,
        "unmarked_false_found": false_found,
        "chance_best_bits": {
            p.key: [chance[p.key], len(p.bits), len(p.bits) - p.max_errors] for p in PAYLOADS
        },
        "marked_found_lossless": marked_ok,
        "survival": rows,
        "check_seconds_median": float(np.median(seconds)),
    }
    print(json.dumps(result, indent=1))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
