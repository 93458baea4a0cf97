"""Images match their banked originals by PDQ under everyday edits, and nothing else."""

import pytest

from triage.evidence.banks.services import bank_add_file, bank_match_file

from . import media


@pytest.fixture
def photo_bank(debunked_bank, banked_photos):
    for path in banked_photos:
        bank_add_file(bank=debunked_bank, path=path)
    return debunked_bank


@pytest.mark.django_db
@pytest.mark.parametrize("transform", sorted(media.IMAGE_TRANSFORMS))
def test_an_edited_copy_matches_its_original(photo_bank, banked_photos, tmp_path, transform):
    original = banked_photos[1]
    copy = media.IMAGE_TRANSFORMS[transform](original, tmp_path)

    matches = bank_match_file(path=copy, media_type="image")

    assert [m.item["original_name"] for m in matches] == [original.name]
    match = matches[0]
    assert match.bank == "debunked-2026"
    assert match.purpose == "debunked"
    assert 0 <= match.distance <= 31


@pytest.mark.django_db
def test_the_banked_file_itself_matches_at_distance_zero(photo_bank, banked_photos):
    matches = bank_match_file(path=banked_photos[0], media_type="image")

    assert [(m.distance, m.item["original_name"]) for m in matches] == [(0, banked_photos[0].name)]


@pytest.mark.django_db
def test_unrelated_images_match_nothing(photo_bank, unrelated_photos):
    for path in unrelated_photos:
        assert bank_match_file(path=path, media_type="image") == [], path.name


@pytest.mark.django_db
def test_each_bank_applies_its_own_threshold(debunked_bank, synthetic_bank, banked_photos, tmp_path):
    synthetic_bank.image_max_distance = 0  # exact perceptual twins only
    synthetic_bank.save()
    for bank in (debunked_bank, synthetic_bank):
        bank_add_file(bank=bank, path=banked_photos[2])
    copy = media.brighter(banked_photos[2], tmp_path)

    matches = bank_match_file(path=copy, media_type="image")

    assert matches[0].distance > 0
    assert [m.bank for m in matches] == ["debunked-2026"]


@pytest.mark.django_db
def test_a_disabled_bank_is_not_matched(photo_bank, banked_photos):
    photo_bank.enabled = False
    photo_bank.save()

    assert bank_match_file(path=banked_photos[0], media_type="image") == []
