"""Photos match when they travel as people re-share them: screenshots, captions, mirrors, crops.

Real photographs (scikit-image's bundled ones) are banked, then re-shared the way the benchmark does
it: inside a drawn app screen, under a caption band, letterboxed, mirrored, cropped from one side.
"""

import numpy as np
import pytest
from PIL import Image

from triage.evidence.banks.fingerprints import image as image_fp
from triage.evidence.banks.fingerprints import local_features
from triage.evidence.banks.models import BankedItem
from triage.evidence.banks.services import bank_add_file, bank_match_file

from . import media

BANKED = media.BANKED_REAL_PHOTOS
UNRELATED = media.UNRELATED_REAL_PHOTOS
REUPLOADS = (
    "screenshot_phone",
    "screenshot_desktop_browser",
    "caption_band_above",
    "caption_band_below",
    "letterboxed",
    "mirrored",
    "mirrored_cropped_4pct",
    "crop_8pct_left_only",
    "crop_15pct_left_only",
    "crop_20pct_top_only",
)


@pytest.mark.django_db
@pytest.mark.parametrize("reupload", REUPLOADS)
def test_a_reshared_photo_matches_its_original_after_verification(real_bank, real_photos, tmp_path, reupload):
    original = real_photos["coffee"]
    copy = media.IMAGE_REUPLOADS[reupload](original, tmp_path)

    matches = bank_match_file(path=copy, media_type="image")

    assert [m.item["original_name"] for m in matches] == [original.name]
    found = matches[0].as_json()
    if found["distance"] > real_bank.image_max_distance or "region" in found:
        # Anything looser than the plain hash within the threshold was confirmed by keypoints.
        assert found["verified_inliers"] >= local_features.MIN_INLIERS
    assert found["distance"] <= real_bank.image_max_distance * 1.5


@pytest.mark.django_db
def test_a_mirror_says_which_transform_matched(real_bank, real_photos, tmp_path):
    matches = bank_match_file(path=media.mirrored(real_photos["rocket"], tmp_path), media_type="image")

    assert [(m.item["original_name"], m.extra["transform"]) for m in matches] == [("rocket.png", "mirror")]


@pytest.mark.django_db
def test_the_banked_file_itself_needs_no_verification(real_bank, real_photos):
    matches = bank_match_file(path=real_photos["astronaut"], media_type="image")

    assert [(m.distance, m.extra) for m in matches] == [(0, {})]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "reupload",
    [
        "screenshot_phone",
        "caption_band_above",
        "mirrored",
        "crop_15pct_left_only",
        "crop_20pct_top_only",
        "identity",
    ],
)
def test_unrelated_photos_reshared_the_same_ways_match_nothing(real_bank, real_photos, tmp_path, reupload):
    for name in UNRELATED:
        path = real_photos[name]
        copy = path if reupload == "identity" else media.IMAGE_REUPLOADS[reupload](path, tmp_path)
        assert bank_match_file(path=copy, media_type="image") == [], name


@pytest.mark.django_db
def test_an_item_banked_without_keypoints_matches_only_its_plain_hash(real_bank, real_photos, tmp_path):
    # Items banked before verification existed have no keypoints: no loose candidates for them.
    BankedItem.objects.update(local_features=b"")

    assert bank_match_file(path=media.mirrored(real_photos["coffee"], tmp_path), media_type="image") == []
    assert len(bank_match_file(path=media.resized(real_photos["coffee"], tmp_path), media_type="image")) == 1


def test_keypoints_agree_for_a_screenshot_and_not_for_an_unrelated_photo(real_photos, tmp_path):
    banked = local_features.extract(image_fp.load_image(real_photos["coffee"]))
    shot = image_fp.load_image(media.screenshot_phone(real_photos["coffee"], tmp_path))
    other = image_fp.load_image(media.screenshot_phone(real_photos["chelsea"], tmp_path))

    assert local_features.verify(local_features.QueryFeatures(shot), banked) >= local_features.MIN_INLIERS
    assert local_features.verify(local_features.QueryFeatures(other), banked) == 0


def test_the_photo_is_found_inside_a_screenshot(real_photos, tmp_path):
    from triage.evidence.banks.fingerprints.image_candidates import content_boxes

    shot = media.screenshot(real_photos["rocket"], tmp_path, width=390, height=844)
    boxes = [box for _, box in content_boxes(np.asarray(image_fp.load_image(shot)))]

    # The drawn screen shows the 640x427 photo scaled to 390x260 at y=184.
    assert any(max(abs(a - b) for a, b in zip(box, (0, 184, 390, 444), strict=True)) <= 2 for box in boxes)
    assert Image.open(shot).size == (390, 844)


@pytest.mark.django_db
def test_a_dark_photo_in_a_dark_mode_screenshot_matches(real_bank, real_photos, tmp_path):
    """The astronaut's dark top and bottom meet the black app with no colour step (issue 16): the
    region is cut to the rows that are not the interface's black, and keypoints confirm it."""
    shot = media.screenshot_phone_dark_small(real_photos["astronaut"], tmp_path)

    matches = bank_match_file(path=shot, media_type="image")

    assert [m.item["original_name"] for m in matches] == ["astronaut.png"]
    assert matches[0].extra["region"] == "frame"
    assert matches[0].extra["verified_inliers"] >= local_features.MIN_INLIERS


def test_a_photo_shown_edge_to_edge_reaches_the_screens_sides(real_photos, tmp_path):
    from triage.evidence.banks.fingerprints.image_candidates import content_boxes

    # 451x300 scaled to the 320-pixel-wide dark screen: (0, 184) to (320, 397), no side boundary.
    shot = media.screenshot_phone_dark_small(real_photos["chelsea"], tmp_path)
    boxes = [box for _, box in content_boxes(np.asarray(image_fp.load_image(shot)))]

    assert (0, 184, 320, 397) in boxes


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sides", "band"),
    [
        ({"left": 0.15}, "band_right"),
        ({"right": 0.2}, "band_left"),
        ({"top": 0.2}, "band_bottom"),
        ({"bottom": 0.12}, "band_top"),
    ],
)
def test_a_photo_cropped_from_one_side_matches_through_the_opposite_edge_band(
    real_bank, real_photos, tmp_path, sides, band
):
    """A crop from one side keeps the band along the opposite edge exactly as it was banked."""
    crop = {"left": 0.0, "top": 0.0, "right": 0.0, "bottom": 0.0, **sides}
    copy = media.cropped(real_photos["coffee"], tmp_path, **crop)

    matches = bank_match_file(path=copy, media_type="image")

    assert [m.item["original_name"] for m in matches] == ["coffee.png"]
    assert matches[0].extra["region"] == band
    assert matches[0].extra["verified_inliers"] >= local_features.MIN_INLIERS


@pytest.mark.django_db
def test_a_detail_of_a_banked_photo_is_another_picture(real_bank, real_photos, tmp_path):
    """Half of a banked photo shares its edge band, but is not a re-upload of it: nor is the whole
    photo a re-upload of a banked half. Each matches itself only."""
    rocket = Image.open(real_photos["rocket"])
    half = tmp_path / "rocket-left-half.png"
    rocket.crop((0, 0, rocket.width // 2, rocket.height)).save(half)
    bank_add_file(bank=real_bank, path=half)

    assert [m.item["original_name"] for m in bank_match_file(path=half, media_type="image")] == [half.name]
    whole = bank_match_file(path=real_photos["rocket"], media_type="image")
    assert [m.item["original_name"] for m in whole] == ["rocket.png"]


@pytest.mark.django_db
def test_an_item_banked_before_edge_bands_still_matches_as_before(real_bank, real_photos, tmp_path):
    """Keypoints stored without the banked frame (before edge bands) cannot prove a crop: such an
    item matches its plain hash and verified regions as before, never through a band."""
    from triage.evidence.banks.fingerprints.local_features import HEADER

    for item in BankedItem.objects.all():
        item.local_features = bytes(item.local_features)[len(HEADER) + 4 :]  # records only, as stored before
        item.save(update_fields=["local_features"])

    cropped = media.cropped_left_15(real_photos["coffee"], tmp_path)
    assert bank_match_file(path=cropped, media_type="image") == []
    shot = bank_match_file(path=media.screenshot_phone(real_photos["coffee"], tmp_path), media_type="image")
    assert [(m.item["original_name"], m.extra["region"]) for m in shot] == [("coffee.png", "frame")]


def test_edge_bands_follow_the_uncropped_side():
    from triage.evidence.banks.fingerprints.image_candidates import edge_bands

    # 640x427: left/right bands are 0.4 x 427 = 171 wide; top/bottom bands 0.4 x 640 = 256 deep.
    assert dict(edge_bands(640, 427)) == {
        "band_left": (0, 0, 171, 427),
        "band_right": (469, 0, 640, 427),
        "band_top": (0, 0, 640, 256),
        "band_bottom": (0, 171, 640, 427),
    }
    # Cropped 15% from the left (544 wide), the right band is the same 171 pixels of the same rows.
    assert dict(edge_bands(544, 427))["band_right"] == (373, 0, 544, 427)
    # A strip too thin to hold a band across it has only the bands along its length.
    assert set(dict(edge_bands(1000, 100))) == {"band_left", "band_right"}


@pytest.mark.django_db
def test_edge_bands_are_indexed_apart_from_the_other_hashes(real_bank):
    """A band meets a band: the plain hash and the other candidates search the image's own hash and
    its crops only (seven per image, as before bands), the query's bands the banked bands only."""
    from triage.evidence.banks.selectors import media_indexes

    [index] = media_indexes("image")

    assert len(index.hashes) == 7 * len(BANKED)
    assert len(index.bands) == 4 * len(BANKED)
    assert BankedItem.objects.filter(metadata__edge_band_depth=0.4).count() == len(BANKED)
