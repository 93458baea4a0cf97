"""When no hash of a re-upload comes near a banked image, the image's own keypoints still find it.

A crop that takes from every side (12% left and bottom, 3% top and right) moves every PDQ hash the
bank stores and leaves no edge band whole. The keypoints of the copy vote for the banked images they
resemble (index.DescriptorIndex); the most voted are verified as any candidate is, and the best one
is the match (image_verify._voted_hits).
"""

import numpy as np
import pytest
from PIL import Image

from triage.evidence.banks import image_verify
from triage.evidence.banks import index as index_module
from triage.evidence.banks.fingerprints import image as image_fp
from triage.evidence.banks.fingerprints import local_features
from triage.evidence.banks.index import DescriptorIndex
from triage.evidence.banks.models import BankedItem
from triage.evidence.banks.services import bank_add_file, bank_match_file

from . import media
from .matching import matched

BANKED = media.BANKED_REAL_PHOTOS
UNRELATED = media.UNRELATED_REAL_PHOTOS


@pytest.mark.django_db
@pytest.mark.parametrize("name", BANKED)
def test_a_photo_cropped_unevenly_from_every_side_is_found_by_its_keypoints(
    real_bank, real_photos, tmp_path, name
):
    copy = media.cropped_uneven_12_3(real_photos[name], tmp_path)

    matches = bank_match_file(path=copy, media_type="image")

    assert [m.item["original_name"] for m in matches] == [f"{name}.png"]
    found = matches[0].as_json()
    assert found["region"] == image_verify.KEYPOINTS_REGION
    assert found["verified_inliers"] >= local_features.MIN_INLIERS
    # No hash came within the loose band, and the distance says so rather than inventing one.
    assert found["distance"] > image_verify.loose_limit(real_bank.image_max_distance)


@pytest.mark.django_db
def test_unrelated_photos_cropped_the_same_way_match_nothing(real_bank, real_photos, tmp_path):
    for name in UNRELATED:
        assert matched(media.cropped_uneven_12_3(real_photos[name], tmp_path)) == [], name


@pytest.mark.django_db
def test_a_copy_of_the_whole_photo_matches_the_photo_and_not_its_banked_half(
    real_bank, real_photos, tmp_path
):
    astronaut = Image.open(real_photos["astronaut"])
    half = tmp_path / "astronaut-right-half.png"
    astronaut.crop((astronaut.width // 2, 0, astronaut.width, astronaut.height)).save(half)
    bank_add_file(bank=real_bank, path=half)

    assert matched(media.cropped_uneven_12_3(real_photos["astronaut"], tmp_path)) == ["astronaut.png"]
    assert matched(media.cropped_uneven_12_3(half, tmp_path)) == [half.name]


def _bank_with_its_left_half(bank, name, work):
    """Bank a bundled photo and, as another item, its left half; return (photo, half) paths."""
    photo = work / f"{name}.png"
    img = media.real_photo(name)
    img.save(photo)
    half = work / f"{name}-left-half.png"
    img.crop((0, 0, img.width // 2, img.height)).save(half)
    for path in (photo, half):
        bank_add_file(bank=bank, path=path)
    return photo, half


@pytest.mark.django_db
def test_a_dark_picture_on_a_dark_phone_screen_is_found_by_the_keypoints_of_its_region(
    debunked_bank, tmp_path
):
    """A retina photograph is a bright disc on black: on a dark-mode screen its region is found a few
    rows off, which no hash forgives. The region's own keypoints find it; the banked half of it
    agrees as well but covers only half of the region."""
    photo, half = _bank_with_its_left_half(debunked_bank, "retina", tmp_path)

    shot = media.screenshot_phone_dark_small(photo, tmp_path)
    matches = bank_match_file(path=shot, media_type="image")

    assert [m.item["original_name"] for m in matches] == [photo.name]
    assert matches[0].as_json()["region"] == image_verify.KEYPOINTS_REGION
    assert matched(media.screenshot_phone_dark_small(half, tmp_path)) == [half.name]


@pytest.mark.django_db
def test_a_dark_screenshot_of_a_banked_half_matches_the_half_and_not_the_whole(debunked_bank, tmp_path):
    """The camera's left half ends in a dark coat on a black screen: its region runs on into the
    interface below. The whole photo agrees with the half's keypoints too, but its other half lies
    over the interface, in view and agreeing nowhere."""
    photo, half = _bank_with_its_left_half(debunked_bank, "camera", tmp_path)

    assert matched(media.screenshot_phone_dark_small(half, tmp_path)) == [half.name]
    assert matched(media.screenshot_phone_dark_small(photo, tmp_path)) == [photo.name]


@pytest.mark.django_db
def test_a_bank_of_exact_twins_is_not_searched_by_keypoints(real_bank, real_photos, tmp_path):
    real_bank.image_max_distance = 0
    real_bank.save()

    assert matched(media.cropped_uneven_12_3(real_photos["coffee"], tmp_path)) == []


@pytest.mark.django_db
def test_items_banked_before_keypoint_frames_are_not_voted_for(real_bank, real_photos, tmp_path):
    """Keypoints stored without the banked frame (before edge bands) cannot show how much of the
    picture a copy holds: such items are not in the vote, and match as before."""
    for item in BankedItem.objects.all():
        item.local_features = bytes(item.local_features)[len(local_features.HEADER) + 4 :]
        item.save(update_fields=["local_features"])

    assert matched(media.cropped_uneven_12_3(real_photos["coffee"], tmp_path)) == []


@pytest.mark.django_db
def test_the_index_holds_each_images_vote_keypoints_only(real_bank):
    from triage.evidence.banks.selectors import media_indexes

    [index] = media_indexes("image")

    assert len(index.descriptors) == local_features.VOTE_KEYPOINTS * len(BANKED)


def test_stored_keypoints_start_with_the_strongest_of_each_part_of_the_picture(real_photos):
    blob = local_features.extract(image_fp.load_image(real_photos["coffee"]))
    width, height = local_features.banked_frame(blob)
    points, _ = local_features.unpack(blob)

    def cells(some):
        grid = local_features.VOTE_GRID
        return {(int(x * grid // width), int(y * grid // height)) for x, y in some}

    # Every part of the picture that has keypoints at all has its strongest among the first ones.
    assert cells(points[: local_features.VOTE_GRID**2]) == cells(points)


def test_a_generic_descriptor_votes_for_no_one_and_a_distinctive_one_for_its_owners():
    rng = np.random.default_rng(7)
    spot = rng.integers(0, 256, 32, dtype=np.uint8)
    banked = rng.integers(0, 256, (200, 32), dtype=np.uint8)
    banked[0] = banked[1] = spot  # one spot banked in two items (a photo and a crop of it)
    owners = np.arange(200)
    owners[1] = 1
    generic = np.zeros(32, np.uint8)
    near = np.zeros((20, 32), np.uint8)
    near[:, :4] = rng.integers(0, 256, (20, 4), dtype=np.uint8)  # a texture close to many items'
    index = DescriptorIndex(np.concatenate([banked, near]), np.concatenate([owners, np.arange(1000, 1020)]))

    assert index.votes(spot[None, :]) == {0: 1, 1: 1}
    assert index.votes(generic[None, :]) == {}
    assert DescriptorIndex(np.zeros((0, 32), np.uint8), np.zeros(0)).votes(spot[None, :]) == {}


def test_a_large_bank_votes_through_an_inverted_file_and_still_finds_the_item(monkeypatch):
    monkeypatch.setattr(index_module, "DESCRIPTOR_IVF_MIN_SIZE", 20_000)
    rng = np.random.default_rng(11)
    banked = rng.integers(0, 256, (40_000, 32), dtype=np.uint8)
    owners = np.repeat(np.arange(40_000 // 48 + 1), 48)[:40_000]
    index = DescriptorIndex(banked, owners)
    # A re-upload of item 300: its descriptors with a few bits changed each.
    theirs = banked[owners == 300].copy()
    theirs[:, 0] ^= 0b101

    assert type(index.index).__name__ == "IndexBinaryIVF"
    votes = index.votes(theirs)
    assert max(votes, key=votes.get) == 300
    assert votes[300] >= 40
