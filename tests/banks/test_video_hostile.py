"""Damaged videos on the query path (keyframes only): a partial file still matches, garbage fails fast."""

import time

import numpy as np
import pytest

from triage.evidence.banks.services import UnparseableMediaError, bank_add_file, bank_match_file

from . import media


@pytest.fixture(scope="session")
def long_video(image_dir, banked_photos):
    # 24 s with a keyframe every second, so half of it still has a dozen keyframes to query with.
    slideshow = media.video_from_images(image_dir / "long-slideshow.mp4", banked_photos * 2, seconds_each=3)
    return media.ffmpeg(
        slideshow,
        image_dir / "long-slideshow-gop1s.mp4",
        "-c:v",
        "libx264",
        "-g",
        "10",
        "-movflags",
        "+faststart",
    )


@pytest.mark.django_db
def test_a_video_cut_off_halfway_still_matches_its_banked_original(debunked_bank, long_video, tmp_path):
    bank_add_file(bank=debunked_bank, path=long_video)
    data = long_video.read_bytes()
    cut = tmp_path / "cut-off.mp4"
    cut.write_bytes(data[: len(data) // 2])

    started = time.monotonic()
    [match] = bank_match_file(path=cut, media_type="video")

    assert match.item["original_name"] == long_video.name
    assert time.monotonic() - started < 10


@pytest.mark.django_db
def test_a_video_whose_frames_turn_to_noise_fails_fast_and_matches_only_by_its_intact_opening(
    debunked_bank, long_video, tmp_path
):
    bank_add_file(bank=debunked_bank, path=long_video)
    data = bytearray(long_video.read_bytes())
    # The index (moov, at the front with faststart) survives; every frame's bytes after the first
    # tenth of the file are replaced with noise, keyframes included.
    start = len(data) // 10
    data[start:] = np.random.default_rng(3).bytes(len(data) - start)
    garbled = tmp_path / "garbled.mp4"
    garbled.write_bytes(bytes(data))

    started = time.monotonic()
    try:
        matches = bank_match_file(path=garbled, media_type="video")
    except UnparseableMediaError as exc:
        assert str(exc).startswith("unparseable")
    else:
        # What still decodes is the original's opening seconds; the noise yields no frame of its own.
        assert [m.item["original_name"] for m in matches] in ([], [long_video.name])
    assert time.monotonic() - started < 10
