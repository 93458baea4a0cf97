"""A banked screenshot is matched by its picture, not by the app around it.

Fact-checkers bank the screenshot that went viral, as it circulated. Every other screenshot from
the same app shares its status bar, header, buttons and layout, pixel for pixel: its top band hashes
the same, and its interface's keypoints agree on a plain re-framing. A match must agree on the
picture too (local_features: an agreement must not avoid a picture found framed in the query), or a
bank holding one screenshot of a debunked fake would brand every post in that app a known fake.
"""

import numpy as np
import pytest

from triage.evidence.banks.fingerprints import image as image_fp
from triage.evidence.banks.fingerprints import image_candidates, local_features
from triage.evidence.banks.services import bank_add_file

from . import media
from .matching import matched

SCREENS = ("screenshot_phone", "screenshot_phone_dark_small_jpeg", "screenshot_desktop_browser")


@pytest.mark.django_db
@pytest.mark.parametrize("screen", SCREENS)
def test_a_screenshot_of_another_post_in_the_same_app_does_not_match_a_banked_screenshot(
    debunked_bank, real_photos, tmp_path, screen
):
    shot = media.IMAGE_REUPLOADS[screen]
    banked = shot(real_photos["astronaut"], tmp_path)
    bank_add_file(bank=debunked_bank, path=banked)

    for other in ("chelsea", "camera", "coffee"):
        assert matched(shot(real_photos[other], tmp_path)) == [], other


@pytest.mark.django_db
@pytest.mark.parametrize("screen", SCREENS)
def test_the_banked_screenshot_reshared_smaller_still_matches(debunked_bank, real_photos, tmp_path, screen):
    banked = media.IMAGE_REUPLOADS[screen](real_photos["astronaut"], tmp_path)
    bank_add_file(bank=debunked_bank, path=banked)

    assert matched(media.IMAGE_REUPLOADS["resize_320px_jpeg_q75"](banked, tmp_path)) == [banked.name]


def test_a_screenshots_photo_is_a_framed_picture_and_a_region_inside_a_photo_is_not(real_photos, tmp_path):
    shot = image_fp.load_image(media.screenshot_phone(real_photos["astronaut"], tmp_path))
    regions = [c.box for c in image_candidates.query_candidates(shot) if c.region == "frame"]
    photo = image_fp.load_image(real_photos["camera"])
    inside = [c.box for c in image_candidates.query_candidates(photo) if c.region == "frame"]

    screen = image_candidates.interface(shot)
    assert (0, 184, 390, 574) in image_candidates.framed(screen, shot.size, regions)
    assert inside and image_candidates.framed(image_candidates.interface(photo), photo.size, inside) == []


@pytest.mark.django_db
def test_a_dark_picture_on_a_dark_screen_does_not_match_a_banked_screenshot_of_another_post(
    debunked_bank, tmp_path
):
    """A deep-sky photograph on a dark-mode screen shows no picture to find in the query; the banked
    screenshot says where its own picture is, and nothing agrees there."""
    shot = media.screenshot_phone_dark_small
    photos = {}
    for name in ("astronaut", "hubble_deep_field"):
        photos[name] = tmp_path / f"{name}.png"
        media.real_photo(name).save(photos[name])
    banked = shot(photos["astronaut"], tmp_path)
    bank_add_file(bank=debunked_bank, path=banked)

    query = image_fp.image_query(shot(photos["hubble_deep_field"], tmp_path))
    assert query.features.pictures == [(0, 96, 320, 690)]  # everything under the header, not the photo
    assert matched(shot(photos["hubble_deep_field"], tmp_path)) == []


def test_a_banked_screenshot_stores_where_its_picture_is_beside_its_keypoints(real_photos, tmp_path):
    shot = image_fp.load_image(media.screenshot_phone(real_photos["astronaut"], tmp_path))
    photo = image_fp.load_image(real_photos["astronaut"])

    with_pictures, plain = image_fp.bank_keypoints(shot), image_fp.bank_keypoints(photo)

    width, height = local_features.banked_frame(with_pictures)
    scale = width / shot.width
    pictures = local_features.banked_pictures(with_pictures)
    photo_box = np.array([0, 184 * scale, width, 574 * scale])
    assert any(np.abs(np.array(box) - photo_box).max() <= 2 for box in pictures)
    assert local_features.banked_pictures(plain) == []
    # The keypoints read the same behind either header, and the vote's prefix holds them.
    assert (
        local_features.unpack(with_pictures)[0].shape
        == local_features.unpack(local_features.extract(shot))[0].shape
    )
    head = with_pictures[: local_features.VOTE_PREFIX_BYTES]
    assert local_features.vote_descriptors(head).shape == (local_features.VOTE_KEYPOINTS, 32)
