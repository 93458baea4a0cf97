"""Perceptual fingerprints per media type, and the sniffing that picks one.

Every decoder here runs on pip-installed libraries only (Pillow, PyAV with its bundled FFmpeg
libraries, pdqhash, numpy) and gives up with `UnparseableMediaError` within bounded time and
memory on malformed or hostile input.
"""

from __future__ import annotations

from pathlib import Path

import av
from PIL import Image, UnidentifiedImageError

# Caps that bound the work on hostile input; generous for real election media.
# Pixels decoded at full size (formats without reduced-scale decoding, e.g. PNG): at Pillow's 4
# bytes a pixel, one decoded frame of ~320 MB, shrunk at once (image.py), is the image budget.
MAX_IMAGE_PIXELS = 80_000_000
MAX_DECODE_SECONDS = 60.0  # wall-clock budget for decoding one file
# Audio is fingerprinted from its first half hour (mono 8 kHz float32: ~58 MB); a longer file's
# result says what was left out. Three hours decoded whole took a worker past 1 GB.
MAX_AUDIO_SECONDS = 30 * 60
MAX_VIDEO_SECONDS = 3 * 3600
MAX_VIDEO_PIXELS = 8192 * 8192


class UnparseableMediaError(Exception):
    """The file is not media we can fingerprint (corrupt, hostile, truncated or unknown)."""


def sniff_media_type(path: Path) -> str:
    """Return "image", "video" or "audio" for a file, or raise UnparseableMediaError."""
    try:
        with Image.open(path) as img:
            # Animated GIF/WebP are still banked as images (their first frame): that is how
            # platforms display them in a feed.
            img.size  # noqa: B018 - touching size makes Pillow parse the header
            return "image"
    except Image.DecompressionBombError as exc:
        # Pillow knows the format but the pixel count is absurd: do not hand it to FFmpeg instead.
        raise UnparseableMediaError(f"unparseable: image too large ({exc})") from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        pass
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            if any(_is_real_video(s) for s in container.streams.video):
                return "video"
            if container.streams.audio:
                return "audio"
    except (av.FFmpegError, OSError, ValueError, UnicodeDecodeError) as exc:
        raise UnparseableMediaError("unparseable: not an image, audio or video file") from exc
    raise UnparseableMediaError("unparseable: no image, audio or video stream found")


def _is_real_video(stream) -> bool:
    # Cover art in an MP3/M4A shows up as a one-frame "video" stream marked attached_pic.
    disposition = getattr(stream, "disposition", None)
    try:
        if disposition is not None and disposition & av.stream.Disposition.attached_pic:
            return False
    except (AttributeError, TypeError):
        pass
    return True
