"""Pull generator metadata out of media containers: bounded hand-written walkers, and mutagen for ID3.

Covered: XMP in JPEG (APP1), PNG (iTXt "XML:com.adobe.xmp"), WebP ("XMP " chunk), WAV ("_PMX"
chunk) and MP4/MOV/M4A (the XMP uuid box, and moov/udta/XMP_); PNG tEXt/zTXt/iTXt text chunks;
EXIF Software in JPEG (APP1), PNG (eXIf) and WebP (EXIF); ID3v2 frames in MP3 (TSSE, TENC, TXXX,
COMM, and XMP carried in a PRIV or GEOB frame). Not covered: XMP in TIFF/HEIC/AVIF, Vorbis comments,
ID3v1 and ID3 tags appended at the end of a file.

ID3 is read with mutagen, fenced in: only the first MAX_ID3_BYTES of a tag are handed to it (its
frame loop costs time per frame, so a flood of tiny frames is what must be capped), only the
frames above are parsed (cover art and the rest are skipped unread), and compressed frames are
dropped rather than inflated.

Nothing here decodes pixels or parses XML: XMP is searched with regular expressions, so an
entity-expansion "billion laughs" packet is just text. Every loop has a count limit and every
decompression a size limit, and one budget spans the whole file, whatever its container: at most
MAX_INFLATED_BYTES inflated in all, MAX_KEPT_BYTES and MAX_KEPT_BLOCKS of XMP packets and text
kept. A file past the budget keeps what was read before it, and says so in `errors`. (Each chunk
being capped was not enough: a 1 MB PNG of a thousand compressed XMP chunks inflated to 1.2 GB.)
So a hostile file costs at most a few tens of megabytes and milliseconds (a flood of tiny ID3
frames, a few hundred milliseconds). The check runs this in a child process under memory and CPU
limits besides (metadata_reader.py), as the C2PA parse is run.
"""

from __future__ import annotations

import io
import re
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from mutagen import MutagenError
from mutagen.id3 import COMM, GEOB, ID3, PRIV, TENC, TSSE, TXXX, Frame, ID3JunkFrameError
from mutagen.id3._frames import COM, GEO, TEN, TSS, TXX

MAX_FILE_READ = 64 * 1024 * 1024  # we read metadata, not media: no container needs more before its metadata
MAX_SEGMENTS = 4096
MAX_TEXT_BYTES = 1024 * 1024  # per inflated PNG text chunk
MAX_XMP_BYTES = 4 * 1024 * 1024
# mutagen's cost grows with a tag's frame count (~0.6 s for 256 KiB of empty frames on a slow core);
# ffmpeg, LAME and editors write their text frames ahead of any cover art, well inside this.
MAX_ID3_BYTES = 256 * 1024
MAX_ID3_FRAMES = 256
# One budget for the whole file (see the module docstring).
MAX_INFLATED_BYTES = 8 * 1024 * 1024
MAX_KEPT_BYTES = 8 * 1024 * 1024
MAX_KEPT_BLOCKS = 64  # XMP packets plus text chunks plus ID3 frames
ID3_SOFTWARE_FRAMES = ("TSSE", "TENC")  # "software/encoder settings", "encoded by"

XMP_JPEG_HEADER = b"http://ns.adobe.com/xap/1.0/\x00"
XMP_UUID = bytes.fromhex("BE7ACFCB97A942E89C71999491E3AFAC")

_DST_RE = re.compile(
    rb"DigitalSourceType\s*(?:=\s*[\"']([^\"']*)[\"']|>\s*([^<]*?)\s*<|\s+rdf:resource\s*=\s*[\"']([^\"']*)[\"'])"
)
_TOOL_RE = re.compile(rb"CreatorTool\s*(?:=\s*[\"']([^\"']*)[\"']|>\s*([^<]*?)\s*<)")


class BudgetSpent(Exception):
    """The file holds more metadata than we read from one file: stop walking, keep what was read."""


@dataclass
class ExtractedMetadata:
    xmp_packets: list[bytes] = field(default_factory=list)
    text_chunks: dict[str, str] = field(default_factory=dict)
    exif_software: str | None = None
    # "TSSE", "TENC", "TXXX:<description>", "COMM:<description>" -> text
    id3_frames: dict[str, str] = field(default_factory=dict)
    container: str = "unknown"
    errors: list[str] = field(default_factory=list)
    unparseable: bool = False  # the bounded reader gave up (time or memory): nothing was read
    # What the budget has spent so far.
    inflated_bytes: int = field(default=0, repr=False, compare=False)
    kept_bytes: int = field(default=0, repr=False, compare=False)
    kept_blocks: int = field(default=0, repr=False, compare=False)

    def keep(self, size: int) -> None:
        """Account for keeping a block of `size` bytes; raise BudgetSpent when it would go over."""
        if self.kept_blocks + 1 > MAX_KEPT_BLOCKS or self.kept_bytes + size > MAX_KEPT_BYTES:
            raise BudgetSpent(
                f"more metadata than the budget ({MAX_KEPT_BLOCKS} blocks, {MAX_KEPT_BYTES} bytes): "
                "the rest of the file was not read"
            )
        self.kept_blocks += 1
        self.kept_bytes += size

    def keep_xmp(self, packet: bytes) -> None:
        packet = packet[:MAX_XMP_BYTES]
        self.keep(len(packet))
        self.xmp_packets.append(packet)

    def inflate(self, blob: bytes) -> bytes:
        """Inflate a zlib stream, at most MAX_TEXT_BYTES of it and within the file's budget."""
        allowance = min(MAX_TEXT_BYTES, MAX_INFLATED_BYTES - self.inflated_bytes)
        if allowance <= 0:
            raise BudgetSpent(
                f"more than {MAX_INFLATED_BYTES} bytes of compressed metadata: the rest was not read"
            )
        raw = zlib.decompressobj().decompress(blob, allowance)
        self.inflated_bytes += len(raw)
        return raw

    @property
    def xmp_digital_source_types(self) -> list[str]:
        found: list[str] = []
        for packet in self.xmp_packets:
            for match in _DST_RE.finditer(packet):
                value = next((g for g in match.groups() if g), b"").decode("utf-8", "replace").strip()
                short = value.rsplit("/", 1)[-1]
                if short and short not in found:
                    found.append(short)
        return found

    @property
    def xmp_creator_tools(self) -> list[str]:
        tools: list[str] = []
        for packet in self.xmp_packets:
            for match in _TOOL_RE.finditer(packet):
                value = next((g for g in match.groups() if g), b"").decode("utf-8", "replace").strip()
                if value and value not in tools:
                    tools.append(value)
        return tools


def extract_metadata(path: str | Path, mime_type: str) -> ExtractedMetadata:
    """Read the metadata blocks of a file whose container is named by its sniffed mime type."""
    with open(path, "rb") as fh:
        data = fh.read(MAX_FILE_READ)
    found = ExtractedMetadata()
    walker = {
        "image/jpeg": _walk_jpeg,
        "image/png": _walk_png,
        "image/webp": _walk_riff,
        "audio/wav": _walk_riff,
        "video/mp4": _walk_bmff,
        "video/quicktime": _walk_bmff,
        "audio/mp4": _walk_bmff,
        "audio/mpeg": _walk_id3,
    }.get(mime_type)
    if walker is None:
        found.container = "not covered"
        return found
    found.container = mime_type
    try:
        walker(data, found)
    except BudgetSpent as exc:
        found.errors.append(str(exc))
    except (struct.error, IndexError, ValueError, zlib.error, MutagenError) as exc:
        # A truncated or malformed container: keep what was read before the damage.
        found.errors.append(f"malformed {mime_type} structure: {exc}")
    return found


def _walk_jpeg(data: bytes, found: ExtractedMetadata) -> None:
    pos = 2
    for _ in range(MAX_SEGMENTS):
        if pos + 4 > len(data) or data[pos] != 0xFF:
            return
        marker = data[pos + 1]
        if marker in (0xD9, 0xDA):  # end of image / start of scan: metadata is over
            return
        if marker == 0xFF or 0xD0 <= marker <= 0xD7 or marker == 0x01:
            pos += 1 if marker == 0xFF else 2
            continue
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        if marker == 0xE1:
            body = data[pos + 4 : pos + 2 + length]
            if body.startswith(XMP_JPEG_HEADER):
                found.keep_xmp(body[len(XMP_JPEG_HEADER) :])
            elif body.startswith(b"Exif\x00\x00"):
                found.exif_software = found.exif_software or _tiff_software(body[6:])
        pos += 2 + length


def _walk_png(data: bytes, found: ExtractedMetadata) -> None:
    pos = 8
    for _ in range(MAX_SEGMENTS * 4):
        if pos + 8 > len(data):
            return
        length, ctype = struct.unpack(">I4s", data[pos : pos + 8])
        # Only metadata chunks are copied out (not image data, however large).
        body = data[pos + 8 : pos + 8 + length] if ctype in (b"tEXt", b"zTXt", b"iTXt", b"eXIf") else b""
        if ctype == b"tEXt":
            key, _, value = body.partition(b"\x00")
            _add_text(found, key.decode("latin-1"), value[:MAX_TEXT_BYTES].decode("latin-1"))
        elif ctype == b"zTXt":
            key, _, rest = body.partition(b"\x00")
            _add_text(found, key.decode("latin-1"), found.inflate(rest[1:]).decode("latin-1"))
        elif ctype == b"iTXt":
            key, _, rest = body.partition(b"\x00")
            compressed, rest = rest[0], rest[2:]
            _lang, _, rest = rest.partition(b"\x00")
            _translated, _, text = rest.partition(b"\x00")
            raw = found.inflate(text) if compressed else text[:MAX_TEXT_BYTES]
            name = key.decode("latin-1")
            if name == "XML:com.adobe.xmp":
                found.keep_xmp(raw)
            else:
                _add_text(found, name, raw.decode("utf-8", "replace"))
        elif ctype == b"eXIf":
            found.exif_software = found.exif_software or _tiff_software(body)
        elif ctype == b"IEND":
            return
        pos += 12 + length


def _add_text(found: ExtractedMetadata, key: str, value: str) -> None:
    found.keep(len(value))
    found.text_chunks[key[:79]] = value


def _walk_riff(data: bytes, found: ExtractedMetadata) -> None:
    pos = 12
    for _ in range(MAX_SEGMENTS):
        if pos + 8 > len(data):
            return
        ctype, length = struct.unpack("<4sI", data[pos : pos + 8])
        if ctype in (b"XMP ", b"_PMX"):
            found.keep_xmp(data[pos + 8 : pos + 8 + min(length, MAX_XMP_BYTES)])
        elif ctype == b"EXIF":
            body = data[pos + 8 : pos + 8 + length]
            exif = body[6:] if body.startswith(b"Exif\x00\x00") else body
            found.exif_software = found.exif_software or _tiff_software(exif)
        pos += 8 + length + (length & 1)


def _walk_bmff(
    data: bytes, found: ExtractedMetadata, start: int = 0, end: int | None = None, depth: int = 0
) -> None:
    end = len(data) if end is None else end
    pos = start
    for _ in range(MAX_SEGMENTS):
        if pos + 8 > end or depth > 4:
            return
        size, btype = struct.unpack(">I4s", data[pos : pos + 8])
        header = 8
        if size == 1:
            (size,) = struct.unpack(">Q", data[pos + 8 : pos + 16])
            header = 16
        elif size == 0:
            size = end - pos
        if size < header:
            return
        body_start, box_end = pos + header, min(pos + size, end)
        if btype == b"uuid" and data[body_start : body_start + 16] == XMP_UUID:
            found.keep_xmp(data[body_start + 16 : min(box_end, body_start + 16 + MAX_XMP_BYTES)])
        elif btype == b"XMP_":
            found.keep_xmp(data[body_start : min(box_end, body_start + MAX_XMP_BYTES)])
        elif btype in (b"moov", b"udta", b"trak"):
            _walk_bmff(data, found, body_start, box_end, depth + 1)
        pos += size


def _skip_compressed(frame_class: type[Frame]) -> type[Frame]:
    """`frame_class` as mutagen parses it, except that a compressed frame is dropped, not inflated."""

    @classmethod  # type: ignore[misc]
    def _fromData(cls, header, tflags, data):  # noqa: N802 - mutagen's name
        if header.version >= header._V24:
            compressed = tflags & Frame.FLAG24_COMPRESS
        else:
            compressed = header.version >= header._V23 and tflags & Frame.FLAG23_COMPRESS
        if compressed:
            raise ID3JunkFrameError("compressed frame not inflated")  # mutagen skips the frame
        return super(bounded, cls)._fromData(header, tflags, data)

    bounded = type(frame_class.__name__, (frame_class,), {"_fromData": _fromData})
    return bounded


# ID3v2.3/2.4 names and their ID3v2.2 twins; every other frame (APIC, ...) is skipped unparsed.
_ID3_FRAMES = {
    cls.__name__: _skip_compressed(cls)
    for cls in (TSSE, TENC, TXXX, COMM, PRIV, GEOB, TSS, TEN, TXX, COM, GEO)
}
_ID3_V22_NAMES = {"TSS": "TSSE", "TEN": "TENC", "TXX": "TXXX", "COM": "COMM", "GEO": "GEOB"}


def _walk_id3(data: bytes, found: ExtractedMetadata) -> None:
    if len(data) < 10 or not data.startswith(b"ID3"):
        return  # an MPEG stream with no ID3v2 tag in front
    size = (data[6] & 0x7F) << 21 | (data[7] & 0x7F) << 14 | (data[8] & 0x7F) << 7 | (data[9] & 0x7F)
    if size > MAX_ID3_BYTES - 10:
        found.errors.append(f"ID3 tag of {size} bytes: only its first {MAX_ID3_BYTES} read")
        size = MAX_ID3_BYTES - 10
        header = data[:6] + bytes(((size >> 21) & 0x7F, (size >> 14) & 0x7F, (size >> 7) & 0x7F, size & 0x7F))
        data = header + data[10 : 10 + size]
    if len(data) < 10 + size:
        # mutagen would refuse the whole tag; keep the frames that are there, as the other walkers do.
        found.errors.append(
            f"malformed audio/mpeg structure: the ID3 tag is cut short ({len(data) - 10} of {size} bytes)"
        )
        data += b"\x00" * (10 + size - len(data))  # zero padding: mutagen stops reading there
    tag = ID3(io.BytesIO(data[: 10 + size]), known_frames=_ID3_FRAMES, translate=False, load_v1=False)
    for frame in list(tag.values())[:MAX_ID3_FRAMES]:
        name = _ID3_V22_NAMES.get(frame.FrameID, frame.FrameID)
        if name in ID3_SOFTWARE_FRAMES:
            _add_id3(found, name, frame.text)
        elif name in ("TXXX", "COMM"):
            _add_id3(found, f"{name}:{frame.desc}", frame.text)
        elif name in ("PRIV", "GEOB") and _carries_xmp(frame):
            found.keep_xmp(frame.data)


def _carries_xmp(frame: Frame) -> bool:
    """A PRIV frame owned "XMP" (Adobe's way), or any PRIV/GEOB whose payload is an XMP packet."""
    named = getattr(frame, "owner", "") or f"{getattr(frame, 'mime', '')} {getattr(frame, 'desc', '')}"
    return "xmp" in named.lower() or b"xmpmeta" in frame.data[:4096]


def _add_id3(found: ExtractedMetadata, key: str, text: list) -> None:
    if key not in found.id3_frames and len(found.id3_frames) < MAX_ID3_FRAMES:
        value = " / ".join(str(t) for t in text)[:MAX_TEXT_BYTES]
        found.keep(len(value))
        found.id3_frames[key[:79]] = value


def _tiff_software(tiff: bytes) -> str | None:
    """Return IFD0's Software (0x0131) string from a TIFF/EXIF block, or None."""
    if len(tiff) < 8:
        return None
    order = {b"II": "<", b"MM": ">"}.get(tiff[:2])
    if order is None:
        return None
    (ifd,) = struct.unpack(order + "I", tiff[4:8])
    (count,) = struct.unpack(order + "H", tiff[ifd : ifd + 2])
    for i in range(min(count, 512)):
        entry = tiff[ifd + 2 + 12 * i : ifd + 14 + 12 * i]
        tag, typ, n = struct.unpack(order + "HHI", entry[:8])
        if tag == 0x0131 and typ == 2:
            if n <= 4:
                raw = entry[8 : 8 + n]
            else:
                (offset,) = struct.unpack(order + "I", entry[8:12])
                raw = tiff[offset : offset + min(n, 1024)]
            return raw.rstrip(b"\x00").decode("utf-8", "replace").strip() or None
    return None


def container_problem(path: str | Path, mime_type: str) -> str | None:
    """Return why the file is not a well-formed container of its sniffed type, or None.

    Cheap structural checks (no pixel decoding): a JPEG's segments must chain up to the start of
    scan, a PNG must open with a correct IHDR, a RIFF file's chunks must chain. Formats not listed
    are not second-guessed.
    """
    with open(path, "rb") as fh:
        data = fh.read(MAX_FILE_READ)
    if mime_type == "image/jpeg":
        pos = 2
        for _ in range(MAX_SEGMENTS * 16):
            if pos + 4 > len(data):
                return "the JPEG ends before its image data"
            if data[pos] != 0xFF:
                return f"the JPEG's segment chain is broken at byte {pos}"
            marker = data[pos + 1]
            if marker == 0xDA:
                return None
            if marker == 0xFF or 0xD0 <= marker <= 0xD7 or marker == 0x01:
                pos += 1 if marker == 0xFF else 2
                continue
            if marker == 0xD9:
                return "the JPEG ends before its image data"
            (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
            if length < 2:
                return f"the JPEG has an impossible segment length at byte {pos}"
            pos += 2 + length
        return "the JPEG has too many segments"
    if mime_type == "image/png":
        if len(data) < 33 or data[12:16] != b"IHDR":
            return "the PNG does not start with an IHDR chunk"
        if struct.unpack(">I", data[29:33])[0] != zlib.crc32(data[12:29]) & 0xFFFFFFFF:
            return "the PNG's IHDR checksum is wrong"
        return None
    if mime_type in ("audio/wav", "image/webp"):
        pos = 12
        for _ in range(MAX_SEGMENTS):
            if pos == len(data) or pos + 1 == len(data):
                return None
            if pos + 8 > len(data):
                return "the RIFF chunk chain is cut short"
            (length,) = struct.unpack("<I", data[pos + 4 : pos + 8])
            if pos + 8 + length > len(data):
                return "a RIFF chunk runs past the end of the file"
            pos += 8 + length + (length & 1)
        return "the RIFF file has too many chunks"
    return None
