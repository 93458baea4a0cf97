"""A first look before the keypoint vote: a fresh image that resembles nothing is not voted on in full.

At 1M banked images the full vote (4 lists probed per descriptor) costs 0.15-0.33 s of CPU, and every
image upload that no hash matches pays it: most fresh uploads. The first look probes one list
(image_verify.FIRST_LOOK_PROBES), and the full vote is taken only when it gives some item a few
votes. Small banks scan every descriptor or a few short lists (no first look), so these tests
lower the sizes at which the inverted file and the first look start to what three real photos hold.
"""

import pytest

from triage.evidence.banks import image_verify
from triage.evidence.banks.index import DescriptorIndex
from triage.evidence.banks.services import bank_add_file, bank_match_file

from . import media
from .matching import matched


@pytest.fixture
def first_look(inverted_file, monkeypatch):
    """A bank of three images gets an inverted file and a first look before its vote."""
    monkeypatch.setattr(image_verify, "FIRST_LOOK_MIN_DESCRIPTORS", 100)


@pytest.fixture
def searches(monkeypatch):
    """The probed lists each search of the vote asked for (None: the index's own, the full vote)."""
    asked: list[int | None] = []
    original = DescriptorIndex.votes

    def recording(self, queries, *args, probes=None, **kwargs):
        asked.append(probes)
        return original(self, queries, *args, probes=probes, **kwargs)

    monkeypatch.setattr(DescriptorIndex, "votes", recording)
    return asked


@pytest.mark.django_db
def test_a_fresh_photo_that_resembles_no_banked_one_gets_only_the_first_look(
    first_look, searches, real_bank, real_photos, tmp_path
):
    fresh = media.cropped_uneven_12_3(real_photos["stereo_motorcycle"], tmp_path)

    assert matched(fresh) == []

    assert searches and set(searches) == {image_verify.FIRST_LOOK_PROBES}


@pytest.mark.django_db
def test_a_crop_from_every_side_of_a_banked_photo_is_voted_on_in_full_and_found(
    first_look, searches, real_bank, real_photos, tmp_path
):
    crop = media.cropped_uneven_12_3(real_photos["coffee"], tmp_path)

    assert matched(crop) == ["coffee.png"]

    assert image_verify.FIRST_LOOK_PROBES in searches and None in searches


@pytest.mark.django_db
def test_a_dark_picture_on_a_dark_phone_screen_passes_the_first_look_by_its_region(
    first_look, searches, real_bank, tmp_path
):
    # A retina photograph is a bright disc on black: on a dark-mode screen shown small, few of the
    # screenshot's keypoints are the picture's, and no hash comes near (test_keypoint_vote.py).
    photo = tmp_path / "retina.png"
    media.real_photo("retina").save(photo)
    bank_add_file(bank=real_bank, path=photo)

    matches = bank_match_file(path=media.screenshot_phone_dark_small(photo, tmp_path), media_type="image")

    assert [m.item["original_name"] for m in matches] == ["retina.png"]
    assert matches[0].as_json()["region"] == image_verify.KEYPOINTS_REGION
    assert None in searches


@pytest.mark.django_db
def test_a_bank_of_a_few_thousand_images_is_voted_on_without_a_first_look(
    inverted_file, searches, real_bank, real_photos, tmp_path
):
    # Its lists are short: choosing them is most of a search, and a first look saves nothing.
    assert matched(media.cropped_uneven_12_3(real_photos["stereo_motorcycle"], tmp_path)) == []

    assert searches and set(searches) == {None}
