"""Speech matches its banked recording through the copies people actually circulate."""

import pytest

from triage.evidence.banks.services import bank_add_file, bank_match_file

from . import media


@pytest.fixture
def speech_bank(synthetic_bank, banked_speech):
    for path in banked_speech:
        bank_add_file(bank=synthetic_bank, path=path)
    return synthetic_bank


def _names(matches):
    return [m.item["original_name"] for m in matches]


@pytest.mark.django_db
@pytest.mark.parametrize("transform", sorted(media.AUDIO_TRANSFORMS))
def test_a_transformed_copy_matches_its_original_only(speech_bank, banked_speech, tmp_path, transform):
    original = banked_speech[3]
    copy = media.AUDIO_TRANSFORMS[transform](original, tmp_path)

    matches = bank_match_file(path=copy, media_type="audio")

    assert _names(matches) == [original.name]
    assert matches[0].purpose == "synthetic"
    assert matches[0].score >= speech_bank.audio_min_hashes
    assert 0.0 <= matches[0].distance < 1.0


@pytest.mark.django_db
def test_a_recording_embedded_in_longer_speech_matches_with_its_offset(
    speech_bank, banked_speech, unrelated_speech, tmp_path
):
    before, after = unrelated_speech[0], unrelated_speech[1]
    longer = media.embedded(banked_speech[2], tmp_path, before=before, after=after)
    lead_in = media.read_wav(before)[0].size / media.read_wav(before)[1]

    matches = bank_match_file(path=longer, media_type="audio")

    assert _names(matches) == [banked_speech[2].name]
    assert matches[0].offset_seconds == pytest.approx(lead_in, abs=0.15)


@pytest.mark.django_db
def test_a_trimmed_copy_reports_where_it_starts_in_the_original(speech_bank, banked_speech, tmp_path):
    copy = media.trim(banked_speech[1], tmp_path)  # starts 1.5 s into the original

    [match] = bank_match_file(path=copy, media_type="audio")

    assert match.offset_seconds == pytest.approx(-1.5, abs=0.15)


@pytest.mark.django_db
@pytest.mark.parametrize("transform", ["none", "mp3_32k", "telephone_8k", "speed_plus_3pct"])
def test_unrelated_speech_matches_nothing(speech_bank, unrelated_speech, tmp_path, transform):
    for path in unrelated_speech:
        query = path if transform == "none" else media.AUDIO_TRANSFORMS[transform](path, tmp_path)
        assert bank_match_file(path=query, media_type="audio") == [], query.name


@pytest.mark.django_db
def test_a_bank_demanding_more_aligned_hashes_drops_a_weak_match(speech_bank, banked_speech, tmp_path):
    copy = media.trim(banked_speech[0], tmp_path)
    [match] = bank_match_file(path=copy, media_type="audio")
    speech_bank.audio_min_hashes = match.score + 1
    speech_bank.save()

    assert bank_match_file(path=copy, media_type="audio") == []


@pytest.mark.django_db
@pytest.mark.parametrize("semitones", [2, -2])
def test_a_voice_changer_copy_says_how_far_the_pitch_moved(speech_bank, banked_speech, tmp_path, semitones):
    copy = media.pitch_shifted(banked_speech[1], tmp_path, semitones)

    matches = bank_match_file(path=copy, media_type="audio")

    assert _names(matches) == [banked_speech[1].name]
    assert matches[0].as_json()["speed"] == 1.0
    assert abs(matches[0].as_json()["pitch_semitones"] - semitones) <= 0.35


@pytest.mark.django_db
@pytest.mark.parametrize("semitones", [2, -2])
def test_unrelated_speech_pitch_shifted_matches_nothing(speech_bank, unrelated_speech, tmp_path, semitones):
    for path in unrelated_speech:
        assert bank_match_file(path=media.pitch_shifted(path, tmp_path, semitones), media_type="audio") == []
