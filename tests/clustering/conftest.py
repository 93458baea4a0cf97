"""Media and platforms for the clustering tests: real speech and photos, re-encoded with ffmpeg.

The test kit's fixtures are reused (tests/kit/): a loopback media server, platforms made through
the service, a loopback platform that receives decision callbacks, and the shipped default policy.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.banks import media


@pytest.fixture(scope="session")
def work_dir(tmp_path_factory) -> Path:
    missing = [t for t in ("espeak-ng", "ffmpeg") if shutil.which(t) is None]
    if missing:
        pytest.fail(f"the clustering tests need {', '.join(missing)} (apt-get install -y espeak-ng ffmpeg)")
    return tmp_path_factory.mktemp("clustering")


@pytest.fixture(scope="session")
def original_speech(work_dir) -> Path:
    """The recording first reported: two sentences of synthetic speech, as WAV."""
    return media.speech_clip(work_dir, 4, pool=media.SENTENCES[:12])


@pytest.fixture(scope="session")
def phone_copy(original_speech, work_dir) -> Path:
    """The same recording after a trip through MP3 at 32 kb/s and a telephone line (8 kHz)."""
    return media.to_telephone(media.to_mp3(original_speech, work_dir), work_dir)


@pytest.fixture(scope="session")
def mp3_copy(original_speech, work_dir) -> Path:
    return media.to_mp3(original_speech, work_dir)


@pytest.fixture(scope="session")
def unrelated_speech(work_dir) -> Path:
    """Other sentences in another voice: must never join the original's case."""
    return media.speech_clip(work_dir, 101, pool=media.SENTENCES[12:])


@pytest.fixture(scope="session")
def original_photo(work_dir) -> Path:
    return media.photo(work_dir / "poster.png", seed=11)


@pytest.fixture(scope="session")
def jpeg_copy(original_photo, work_dir) -> Path:
    """The PNG re-saved as a JPEG at quality 30, as a screenshot forwarded twice looks."""
    return media.jpeg_low_quality(original_photo, work_dir)


@pytest.fixture(scope="session")
def unrelated_photo(work_dir) -> Path:
    return media.photo(work_dir / "other.png", seed=12)
