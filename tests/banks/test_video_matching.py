"""Videos match by their keyframes after re-encoding and resizing."""

import pytest

from triage.evidence.banks.fingerprints.video import video_keyframe_hashes
from triage.evidence.banks.services import bank_add_file, bank_match_file

from . import media


@pytest.fixture(scope="session")
def banked_video(image_dir, banked_photos):
    return media.video_from_images(image_dir / "speech-video.mp4", banked_photos)


@pytest.fixture(scope="session")
def unrelated_video(image_dir, unrelated_photos):
    return media.video_from_images(image_dir / "other-video.mp4", unrelated_photos[:4])


@pytest.fixture
def video_bank(debunked_bank, banked_video):
    bank_add_file(bank=debunked_bank, path=banked_video)
    return debunked_bank


def test_a_banked_video_is_sampled_twice_a_second_and_deduplicated(banked_video):
    hashes, duration = video_keyframe_hashes(banked_video)

    assert duration == pytest.approx(8, abs=0.5)
    # Four two-second shots with a slow zoom: 16 samples, near-identical neighbours kept once.
    assert 4 <= len(hashes) < 16


def test_a_query_hashes_only_keyframes(banked_video, tmp_path):
    copy = media.ffmpeg(banked_video, tmp_path / "gop2s.mp4", "-c:v", "libx264", "-g", "20")

    query, duration = video_keyframe_hashes(copy, keyframes_only=True)

    assert duration == pytest.approx(8, abs=0.5)
    # A keyframe every two seconds (plus scene cuts): far fewer frames than dense sampling hashes.
    assert 3 <= len(query) <= 8 < len(video_keyframe_hashes(copy)[0])


def test_a_query_with_too_few_keyframes_is_sampled_densely(banked_video, tmp_path):
    copy = media.ffmpeg(
        banked_video, tmp_path / "one-keyframe.mp4", "-c:v", "libx264", "-g", "1000", "-sc_threshold", "0"
    )

    assert video_keyframe_hashes(copy, keyframes_only=True) == video_keyframe_hashes(copy)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args",
    [
        ("-c:v", "libx264", "-crf", "35"),
        ("-vf", "scale=320:240", "-c:v", "libx264"),
        ("-c:v", "mpeg4", "-q:v", "8", "-r", "25"),
        ("-c:v", "libx264", "-g", "13", "-sc_threshold", "0", "-ss", "0.7"),
    ],
    ids=["crf35", "downscaled", "mpeg4-25fps", "other-gop-trimmed"],
)
def test_a_reencoded_video_matches(video_bank, banked_video, tmp_path, args):
    copy = media.ffmpeg(banked_video, tmp_path / "copy.mp4", *args)

    [match] = bank_match_file(path=copy, media_type="video")

    assert match.item["original_name"] == banked_video.name
    assert match.media_type == "video"
    assert match.score >= 0.5
    assert match.distance <= 31


@pytest.mark.django_db
def test_an_unrelated_video_matches_nothing(video_bank, unrelated_video):
    assert bank_match_file(path=unrelated_video, media_type="video") == []


@pytest.mark.django_db
def test_a_banked_recording_reuploaded_as_a_video_matches_through_its_soundtrack(
    synthetic_bank, banked_speech, banked_photos, tmp_path
):
    bank_add_file(bank=synthetic_bank, path=banked_speech[5])
    media.run(
        "ffmpeg", "-y", "-loglevel", "error", "-loop", "1", "-framerate", "5", "-i", str(banked_photos[0]),
        "-i", str(banked_speech[5]), "-shortest", "-c:v", "libx264", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-b:a", "48k", str(tmp_path / "still-with-voice.mp4"),
    )  # fmt: skip

    [match] = bank_match_file(path=tmp_path / "still-with-voice.mp4")

    assert (match.media_type, match.item["original_name"]) == ("audio", banked_speech[5].name)
    assert match.as_json()["via"] == "soundtrack"
