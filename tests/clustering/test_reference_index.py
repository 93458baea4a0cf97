"""The reference index of media seen grows by a delta per new item, not a full rebuild each time."""

from __future__ import annotations

import pytest

from triage.evidence.banks.models import BankedItem
from triage.evidence.banks.selectors import EVIDENCE_SCOPE, REFERENCE_SCOPE, media_indexes
from triage.evidence.banks.services import bank_add_fingerprint, bank_match_fingerprint, media_fingerprint
from triage.intake.clustering import reference_bank

pytestmark = pytest.mark.django_db


def _bank(path, sha256: str) -> BankedItem:
    fp = media_fingerprint(path=path, media_type="image")
    return bank_add_fingerprint(bank=reference_bank(), sha256=sha256, fingerprint=fp, original_name=path.name)


def _matched(path) -> set[str]:
    fp = media_fingerprint(path=path, media_type="image")
    return {m.item["original_name"] for m in bank_match_fingerprint(fingerprint=fp, purposes=["reference"])}


def test_a_new_item_lands_in_a_delta_beside_the_base_and_is_matched(
    original_photo, unrelated_photo, jpeg_copy
):
    _bank(unrelated_photo, "a" * 64)
    assert len(media_indexes("image", REFERENCE_SCOPE)) == 1

    _bank(original_photo, "b" * 64)

    assert len(media_indexes("image", REFERENCE_SCOPE)) == 2
    assert _matched(jpeg_copy) == {original_photo.name}
    assert len(media_indexes("image", EVIDENCE_SCOPE)) == 1


def test_removing_an_item_rebuilds_the_whole_index(original_photo, unrelated_photo, jpeg_copy):
    first = _bank(original_photo, "b" * 64)
    assert _matched(jpeg_copy) == {original_photo.name}
    _bank(unrelated_photo, "a" * 64)
    media_indexes("image", REFERENCE_SCOPE)

    first.delete()

    assert len(media_indexes("image", REFERENCE_SCOPE)) == 1
    assert _matched(jpeg_copy) == set()
