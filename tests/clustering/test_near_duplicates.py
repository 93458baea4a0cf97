"""A re-encoded copy with other bytes joins the case of the media it copies; other media does not."""

from __future__ import annotations

import pytest

from triage.evidence.banks.models import BankedItem
from triage.evidence.banks.services import bank_match_file
from triage.intake.clustering import REFERENCE_BANK, media_item_cluster
from triage.models import Case, MediaItem

from .helpers import report_and_process

pytestmark = pytest.mark.django_db


@pytest.fixture
def platforms(make_platform):
    return make_platform("videoshare"), make_platform("chirp")


def test_a_telephone_band_mp3_copy_on_another_platform_joins_the_first_case(
    client, platforms, media_server, original_speech, phone_copy
):
    (videoshare, vs_secret), (chirp, chirp_secret) = platforms
    first = report_and_process(
        client, videoshare, vs_secret, media_server, original_speech, event_id="v1", views=1000
    )
    joined = report_and_process(
        client, chirp, chirp_secret, media_server, phone_copy, event_id="c1", views=200
    )

    assert joined.pk == first.pk
    assert (joined.submission_count, joined.total_views) == (2, 1200)
    original, copy = MediaItem.objects.order_by("pk")
    assert original.sha256 != copy.sha256
    assert copy.canonical == original and original.canonical is None
    assert copy.canonical_match["purpose"] == "reference"
    assert joined.media_item == original  # the case keeps the first media as its canonical media
    assert set(joined.submission_media.values_list("media_item_id", flat=True)) == {original.pk, copy.pk}
    assert Case.objects.filter(merged_into__isnull=True, media_item__isnull=False).count() == 1


def test_a_png_resaved_as_jpeg_joins_the_first_case(
    client, platforms, media_server, original_photo, jpeg_copy
):
    (videoshare, vs_secret), (chirp, chirp_secret) = platforms
    first = report_and_process(client, videoshare, vs_secret, media_server, original_photo, event_id="v1")
    joined = report_and_process(client, chirp, chirp_secret, media_server, jpeg_copy, event_id="c1")

    assert joined.pk == first.pk
    assert MediaItem.objects.get(mime_type="image/jpeg").canonical.mime_type == "image/png"


def test_unrelated_media_gets_its_own_case(
    client, platforms, media_server, original_speech, unrelated_speech, original_photo, unrelated_photo
):
    (videoshare, secret), _ = platforms
    speech = report_and_process(client, videoshare, secret, media_server, original_speech, event_id="a")
    other_speech = report_and_process(
        client, videoshare, secret, media_server, unrelated_speech, event_id="b"
    )
    photo = report_and_process(client, videoshare, secret, media_server, original_photo, event_id="c")
    other_photo = report_and_process(client, videoshare, secret, media_server, unrelated_photo, event_id="d")

    assert len({speech.pk, other_speech.pk, photo.pk, other_photo.pk}) == 4
    assert not MediaItem.objects.filter(canonical__isnull=False).exists()


def test_a_copy_for_another_audience_founds_that_audiences_case_of_the_same_media(
    client, platforms, media_server, original_speech, mp3_copy, phone_copy
):
    (videoshare, vs_secret), (chirp, chirp_secret) = platforms
    slovak = report_and_process(client, videoshare, vs_secret, media_server, original_speech, event_id="v1")
    czech = report_and_process(
        client, chirp, chirp_secret, media_server, mp3_copy, event_id="c1", countries=("CZ",)
    )
    czech_again = report_and_process(
        client, chirp, chirp_secret, media_server, phone_copy, event_id="c2", countries=("CZ",)
    )

    assert czech.pk != slovak.pk
    assert czech.audience_countries == ["CZ"] and slovak.submission_count == 1
    # Keyed on the canonical media: every later copy for the same audience joins this case.
    assert czech.media_item_id == slovak.media_item_id
    assert czech_again.pk == czech.pk and czech_again.submission_count == 2


def test_an_exact_reupload_of_a_copy_joins_the_same_case(
    client, platforms, media_server, original_speech, mp3_copy
):
    (videoshare, vs_secret), (chirp, chirp_secret) = platforms
    first = report_and_process(client, videoshare, vs_secret, media_server, original_speech, event_id="v1")
    report_and_process(client, chirp, chirp_secret, media_server, mp3_copy, event_id="c1")
    again = report_and_process(client, videoshare, vs_secret, media_server, mp3_copy, event_id="v2")

    assert again.pk == first.pk and again.submission_count == 3
    assert MediaItem.objects.count() == 2


def test_clustering_again_changes_nothing(client, platforms, media_server, original_speech, phone_copy):
    (videoshare, vs_secret), (chirp, chirp_secret) = platforms
    report_and_process(client, videoshare, vs_secret, media_server, original_speech, event_id="v1")
    report_and_process(client, chirp, chirp_secret, media_server, phone_copy, event_id="c1")
    original, copy = MediaItem.objects.order_by("pk")
    clustered_at = copy.clustered_at

    assert media_item_cluster(media_item_id=copy.pk) == original.pk
    assert media_item_cluster(media_item_id=original.pk) == original.pk
    copy.refresh_from_db()
    assert copy.clustered_at == clustered_at
    assert BankedItem.objects.filter(bank__name=REFERENCE_BANK).count() == 2


def test_a_copy_of_banked_media_joins_the_case_of_the_media_it_was_banked_from(
    client, platforms, media_server, original_speech, phone_copy
):
    """Media stored before clustering existed is found through the evidence bank it was banked in."""
    from triage.evidence.banks.services import bank_add_media_item, bank_get_or_create

    (videoshare, vs_secret), (chirp, chirp_secret) = platforms
    first = report_and_process(client, videoshare, vs_secret, media_server, original_speech, event_id="v1")
    BankedItem.objects.filter(bank__name=REFERENCE_BANK).delete()  # as if stored before clustering
    bank_add_media_item(
        bank=bank_get_or_create(name="known-fakes", purpose="synthetic"), media_item_id=first.media_item_id
    )

    joined = report_and_process(client, chirp, chirp_secret, media_server, phone_copy, event_id="c1")

    assert joined.pk == first.pk
    assert MediaItem.objects.get(canonical__isnull=False).canonical_match["bank"] == "known-fakes"


def test_the_media_seen_are_not_evidence(client, platforms, media_server, original_speech):
    (videoshare, secret), _ = platforms
    report_and_process(client, videoshare, secret, media_server, original_speech, event_id="v1")

    assert BankedItem.objects.filter(bank__name=REFERENCE_BANK).count() == 1
    # The fingerprint check and bank_match search the evidence banks only.
    assert bank_match_file(path=original_speech) == []
    assert [m.bank for m in bank_match_file(path=original_speech, purposes=["reference"])] == [REFERENCE_BANK]
