"""A banked screenshot is matched by its picture, not by the app around it.

Fact-checkers bank the screenshot that went viral, as it circulated. Every other screenshot from
the same app shares its status bar, header, buttons and layout, pixel for pixel: its top band hashes
the same, and its interface's keypoints agree on a plain re-framing. A match must agree on the
picture too (local_features: an agreement must not avoid a picture found framed in the query), or a
bank holding one screenshot of a debunked fake would brand every post in that app a known fake.
"""

import pytest

from triage.evidence.banks.fingerprints import image as image_fp
from triage.evidence.banks.fingerprints import image_candidates
from triage.evidence.banks.services import bank_add_file, bank_match_file

from . import media

SCREENS = ("screenshot_phone", "screenshot_phone_dark_small_jpeg", "screenshot_desktop_browser")


def matched(path):
    return [m.item["original_name"] for m in bank_match_file(path=path, media_type="image")]


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
