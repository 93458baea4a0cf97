"""Files that are not media, or lie about themselves, fail fast with "unparseable"."""

import os
import struct
import time
import zlib

import pytest

from triage.evidence.banks.services import UnparseableMediaError, bank_add_file, bank_match_file


def _png_claiming(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 64))


def _wav_claiming_an_hour() -> bytes:
    data_size = 8000 * 2 * 3600
    fmt = struct.pack("<HHIIHH", 1, 1, 8000, 16000, 2, 16)
    return (
        b"RIFF" + struct.pack("<I", 36 + data_size) + b"WAVEfmt " + struct.pack("<I", 16) + fmt
        + b"data" + struct.pack("<I", data_size) + b"\x00\x01" * 100
    )  # fmt: skip


HOSTILE = {
    "random-bytes.bin": lambda: os.urandom(50_000),
    "empty.mp3": lambda: b"",
    "text.wav": lambda: b"this is not a recording, it is a sentence",
    "broken-container.mp4": lambda: b"\x00\x00\x00\x18ftypmp42" + os.urandom(20_000),
    "decompression-bomb.png": lambda: _png_claiming(100_000, 100_000),
    "lying-length.wav": _wav_claiming_an_hour,
    "truncated.jpg": lambda: b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + os.urandom(300),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_file_is_unparseable_within_seconds(debunked_bank, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(HOSTILE[name]())

    started = time.monotonic()
    with pytest.raises(UnparseableMediaError, match="^unparseable"):
        bank_add_file(bank=debunked_bank, path=path)
    if name == "lying-length.wav":
        # What is there decodes: 100 samples of near-silence, nothing to bank and nothing to match.
        assert bank_match_file(path=path) == []
    else:
        with pytest.raises(UnparseableMediaError, match="^unparseable"):
            bank_match_file(path=path)

    assert time.monotonic() - started < 10
    assert not debunked_bank.items.exists()
