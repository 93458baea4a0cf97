"""Media the bank tests share: speech, photos and videos made once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from triage.evidence.banks import index as index_module
from triage.evidence.banks import selectors
from triage.evidence.banks.index import DescriptorIndex
from triage.evidence.banks.models import FingerprintBank
from triage.evidence.banks.services import bank_add_file

from . import media

BANKED_CLIPS = 6


def _need(*tools: str) -> None:
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        pytest.fail(f"the bank tests need {', '.join(missing)} (apt-get install -y espeak-ng ffmpeg)")


@pytest.fixture(scope="session")
def speech_dir(tmp_path_factory) -> Path:
    _need("espeak-ng", "ffmpeg")
    return tmp_path_factory.mktemp("speech")


@pytest.fixture(scope="session")
def banked_speech(speech_dir) -> list[Path]:
    """Recordings a bank holds: two sentences each, different voices."""
    return [media.speech_clip(speech_dir, i, pool=media.SENTENCES[:12]) for i in range(BANKED_CLIPS)]


@pytest.fixture(scope="session")
def unrelated_speech(speech_dir) -> list[Path]:
    """Other speech, never banked: other sentences, voices in the same range."""
    return [media.speech_clip(speech_dir, 100 + i, pool=media.SENTENCES[12:]) for i in range(6)]


@pytest.fixture(scope="session")
def image_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("images")


@pytest.fixture(scope="session")
def banked_photos(image_dir) -> list[Path]:
    return [media.photo(image_dir / f"photo-{i}.png", seed=i) for i in range(4)]


@pytest.fixture(scope="session")
def unrelated_photos(image_dir) -> list[Path]:
    return [media.photo(image_dir / f"other-{i}.png", seed=1000 + i) for i in range(8)]


@pytest.fixture
def debunked_bank(db) -> FingerprintBank:
    return FingerprintBank.objects.create(name="debunked-2026", purpose="debunked")


@pytest.fixture
def synthetic_bank(db) -> FingerprintBank:
    return FingerprintBank.objects.create(name="known-synthetic", purpose="synthetic")


@pytest.fixture(scope="session")
def real_photos(tmp_path_factory) -> dict[str, Path]:
    """The bundled real photos (media.BANKED_REAL_PHOTOS and UNRELATED_REAL_PHOTOS) as PNG files."""
    work = tmp_path_factory.mktemp("real-photos")
    out = {}
    for name in media.BANKED_REAL_PHOTOS + media.UNRELATED_REAL_PHOTOS:
        out[name] = work / f"{name}.png"
        media.real_photo(name).save(out[name])
    return out


@pytest.fixture
def real_bank(debunked_bank, real_photos) -> FingerprintBank:
    """The debunked bank holding media.BANKED_REAL_PHOTOS."""
    for name in media.BANKED_REAL_PHOTOS:
        bank_add_file(bank=debunked_bank, path=real_photos[name])
    return debunked_bank


@pytest.fixture
def inverted_file(monkeypatch, settings, tmp_path):
    """Any bank with more than two images' vote keypoints gets an inverted file (small banks scan
    every descriptor instead: the tests of the inverted file lower the size it starts at), and
    the snapshot of it goes to this test's own directory."""
    monkeypatch.setattr(index_module, "DESCRIPTOR_IVF_MIN_SIZE", 100)
    settings.BANKS_INDEX_DIR = str(tmp_path / "bank-indexes")
    selectors._cache.clear()
    yield
    selectors._cache.clear()


@pytest.fixture
def fresh_builds(monkeypatch):
    """Count the vote indexes built from scratch (not carried over, not read from a snapshot)."""
    built = []
    original = DescriptorIndex.__init__

    def counting(self, *args, **kwargs):
        built.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(DescriptorIndex, "__init__", counting)
    return built
