"""Recognise a media file's type from its bytes (magic numbers), never from its name or headers.

Platforms and CDNs mislabel files (a PNG served as audio/mpeg, an MP4 named .mp3), and a hostile
upload may lie on purpose; what the checks run on must match what the file is. Only the formats
the checks understand are recognised; anything else is `None`, which callers treat as
"unsupported media".

`sniff_bytes(head)` looks at the first bytes; `sniff_file(fileobj)` also walks an ISO BMFF
(MP4/MOV/M4A) file's top-level boxes to tell audio-only files from video when the header alone
cannot (a "mp42" brand is used for both).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import BinaryIO

HEAD_BYTES = 64 * 1024  # enough for every signature below and most Matroska track headers
_MOOV_SCAN_LIMIT = 16 * 1024 * 1024  # read at most this much of a moov box looking for handlers
_MAX_TOP_LEVEL_BOXES = 1000


@dataclass(frozen=True)
class Sniffed:
    mime_type: str
    media_type: str  # "audio" | "image" | "video", the MediaType values


_AUDIO_BRANDS = {b"M4A ", b"M4B ", b"M4P ", b"F4A ", b"F4B "}
_QUICKTIME_BRANDS = {b"qt  "}
_MATROSKA_VIDEO_CODEC = re.compile(rb"\x86[\x80-\xff]V_")
_MATROSKA_AUDIO_CODEC = re.compile(rb"\x86[\x80-\xff]A_")
_HANDLER = re.compile(rb"hdlr.{8}(vide|soun)", re.DOTALL)


def _is_mpeg_audio_frame(head: bytes) -> bool:
    """Tell an MPEG-1/2 layer I-III frame header (a bare MP3) from random bytes."""
    if len(head) < 4 or head[0] != 0xFF or (head[1] & 0xE0) != 0xE0:
        return False
    version = (head[1] >> 3) & 0b11
    layer = (head[1] >> 1) & 0b11
    bitrate = head[2] >> 4
    sample_rate = (head[2] >> 2) & 0b11
    return version != 0b01 and layer != 0b00 and bitrate not in (0b0000, 0b1111) and sample_rate != 0b11


def _is_adts_aac(head: bytes) -> bool:
    # ADTS: 12-bit sync, layer bits always 00.
    return len(head) >= 7 and head[0] == 0xFF and (head[1] & 0xF6) == 0xF0


def sniff_bytes(head: bytes) -> Sniffed | None:
    """Return the type the leading bytes declare, or None for anything unrecognised."""
    if head.startswith(b"\xff\xd8\xff"):
        return Sniffed("image/jpeg", "image")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed("image/png", "image")
    if head.startswith((b"GIF87a", b"GIF89a")):
        return Sniffed("image/gif", "image")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Sniffed("image/webp", "image")
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return Sniffed("audio/wav", "audio")
    if head.startswith(b"fLaC"):
        return Sniffed("audio/flac", "audio")
    if head.startswith(b"OggS"):
        window = head[:512]
        if b"\x80theora" in window:
            return Sniffed("video/ogg", "video")
        if b"OpusHead" in window:
            return Sniffed("audio/ogg; codecs=opus", "audio")
        return Sniffed("audio/ogg", "audio")
    if head.startswith(b"ID3") or _is_mpeg_audio_frame(head):
        return Sniffed("audio/mpeg", "audio")
    if _is_adts_aac(head):
        return Sniffed("audio/aac", "audio")
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        is_webm = b"webm" in head[:64]
        has_video = bool(_MATROSKA_VIDEO_CODEC.search(head))
        has_audio = bool(_MATROSKA_AUDIO_CODEC.search(head))
        if has_audio and not has_video:
            return Sniffed("audio/webm" if is_webm else "audio/x-matroska", "audio")
        return Sniffed("video/webm" if is_webm else "video/x-matroska", "video")
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        handlers = set(_HANDLER.findall(head))
        return _iso_bmff(brand, handlers)
    return None


def _iso_bmff(brand: bytes, handlers: set[bytes]) -> Sniffed:
    if b"vide" in handlers:
        return Sniffed("video/quicktime" if brand in _QUICKTIME_BRANDS else "video/mp4", "video")
    if b"soun" in handlers or brand in _AUDIO_BRANDS:
        return Sniffed("audio/mp4", "audio")
    return Sniffed("video/quicktime" if brand in _QUICKTIME_BRANDS else "video/mp4", "video")


def _moov_handlers(fileobj: BinaryIO) -> set[bytes]:
    """Walk the top-level boxes to the moov box and return the track handler types in it."""
    fileobj.seek(0, 2)
    size = fileobj.tell()
    offset = 0
    # Real files have a handful of top-level boxes; a hostile one may have millions of tiny ones.
    for _box in range(_MAX_TOP_LEVEL_BOXES):
        if offset + 8 > size:
            break
        fileobj.seek(offset)
        header = fileobj.read(16)
        if len(header) < 8:
            break
        box_size = int.from_bytes(header[:4], "big")
        box_type = header[4:8]
        header_len = 8
        if box_size == 1 and len(header) >= 16:
            box_size = int.from_bytes(header[8:16], "big")
            header_len = 16
        elif box_size == 0:
            box_size = size - offset
        if box_size < header_len:
            break  # malformed: stop rather than loop
        if box_type == b"moov":
            fileobj.seek(offset + header_len)
            body = fileobj.read(min(box_size - header_len, _MOOV_SCAN_LIMIT))
            return set(_HANDLER.findall(body))
        offset += box_size
    return set()


def sniff_file(fileobj: BinaryIO) -> Sniffed | None:
    """Return the type of a seekable file; leave its position at the start."""
    fileobj.seek(0)
    head = fileobj.read(HEAD_BYTES)
    result = sniff_bytes(head)
    if result is not None and head[4:8] == b"ftyp" and not _HANDLER.search(head):
        # The moov box (which names the tracks) is often after the media data.
        result = _iso_bmff(head[8:12], _moov_handlers(fileobj))
    fileobj.seek(0)
    return result
