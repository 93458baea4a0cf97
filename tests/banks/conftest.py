"""Media the bank tests share: speech, photos and videos made once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from triage.evidence.banks.models import FingerprintBank

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
