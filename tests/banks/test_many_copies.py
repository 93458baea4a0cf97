"""A bank full of copies of one recording still matches it (common landmarks are not ignored)."""

import pytest

from triage.evidence.banks.services import bank_add_file, bank_match_file

from . import media


@pytest.mark.django_db
def test_a_recording_banked_in_many_versions_still_matches(synthetic_bank, banked_speech, tmp_path):
    samples, rate = media.read_wav(banked_speech[0])
    # 120 versions of one fake at different volumes: different bytes, identical landmarks.
    for k in range(120):
        version = media.write_wav(tmp_path / f"version-{k}.wav", samples * (0.3 + k / 200), rate)
        bank_add_file(bank=synthetic_bank, path=version)
    bank_add_file(bank=synthetic_bank, path=banked_speech[1])

    matches = bank_match_file(path=media.to_mp3(banked_speech[0], tmp_path), media_type="audio")

    assert len(matches) == 120
    assert {m.item["original_name"] for m in matches} == {f"version-{k}.wav" for k in range(120)}
