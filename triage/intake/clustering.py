"""Near-duplicate clustering: a re-encoded, trimmed or telephone-band copy joins the original's case.

Exact copies (the same SHA-256) share a MediaItem and so a case. A copy with other bytes gets its
own MediaItem; `media_item_cluster` fingerprints it once (PDQ for images, keyframes for video,
landmarks for audio: the banks app's fingerprints), matches it against the reference bank of
every media item seen before and against banked items linked to media items, and links it to the
canonical (first) media item of what it matches. Ingestion then attaches it to the live case of
the canonical media for its audience, with the same merge code an exact re-upload goes through.

It runs inline in the fetch task, between storing the file and attaching it to a case, so the
copy never has a case of its own that the policy could decide a second time. See
docs/clustering.md for the design and what a case with several media items means.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from triage.audit.services import audit_record
from triage.evidence.banks.models import BankPurpose, FingerprintBank
from triage.evidence.base import media_file_for_item
from triage.models import MediaItem

logger = logging.getLogger(__name__)

REFERENCE_BANK = "seen-media"


def reference_bank():
    """Return the system bank of media seen, creating it on first use."""

    bank, _ = FingerprintBank.objects.get_or_create(
        name=REFERENCE_BANK,
        defaults={
            "purpose": BankPurpose.REFERENCE,
            "description": "Every stored media item, for clustering re-uploads (not evidence).",
        },
    )
    return bank


def media_item_needs_clustering(*, media_item: MediaItem) -> bool:
    """Whether a stored media item should be fingerprinted and matched before its case is chosen.

    New bytes, or bytes whose clustering an earlier attempt did not finish. Items stored before
    clustering existed already have cases keyed on themselves and are left as they are.
    """
    return media_item.clustered_at is None and not media_item.cases.exists()


def media_item_cluster(*, media_item_id: int) -> int:
    """Fingerprint and match a stored media item; return the id its cases are keyed on.

    Idempotent: once clustered, it returns the recorded answer without decoding again. A file
    that cannot be fingerprinted is its own canonical (the checks report it as unparseable).
    """
    # keeps faiss and PyAV out of processes that never fingerprint
    from triage.evidence.banks.fingerprints import image as image_fp

    # keeps faiss and PyAV out of processes that never fingerprint
    from triage.evidence.banks.services import UnparseableMediaError, media_fingerprint

    item = MediaItem.objects.get(pk=media_item_id)
    if item.clustered_at is not None:
        return item.case_media_id
    try:
        # Decoding is slow: do it before the transaction that holds the reference bank's lock.
        with media_file_for_item(item) as media:
            fingerprint = media_fingerprint(path=media.path, media_type=item.media_type)
    except UnparseableMediaError as exc:
        return _media_item_unclustered(media_item_id=item.pk, reason=str(exc)[:300])
    quality = fingerprint.metadata.get("pdq_quality")
    if quality is not None and quality < image_fp.MIN_QUALITY:
        # A flat image (a solid colour, a blank frame) hashes like every other flat image: it
        # would pull unrelated uploads into one case, so it is neither matched nor banked.
        return _media_item_unclustered(
            media_item_id=item.pk, reason=f"image too flat to fingerprint (PDQ quality {quality})"
        )
    return _media_item_link(media_item_id=item.pk, fingerprint=fingerprint)


def _media_item_unclustered(*, media_item_id: int, reason: str) -> int:
    MediaItem.objects.filter(pk=media_item_id, clustered_at__isnull=True).update(
        clustered_at=timezone.now(), canonical_match={"not_clustered": reason}
    )
    return MediaItem.objects.get(pk=media_item_id).case_media_id


@transaction.atomic
def _media_item_link(*, media_item_id: int, fingerprint) -> int:
    # keeps faiss and PyAV out of processes that never fingerprint
    from triage.evidence.banks.services import bank_add_fingerprint, bank_match_fingerprint

    bank = reference_bank()
    # One clustering at a time: two copies of the same new media stored at once must not both
    # miss each other and found two clusters. The lock covers a match and an insert, not decoding.
    FingerprintBank.objects.select_for_update().get(pk=bank.pk)
    item = MediaItem.objects.select_for_update().get(pk=media_item_id)
    if item.clustered_at is not None:
        return item.case_media_id
    matches = bank_match_fingerprint(fingerprint=fingerprint, purposes=BankPurpose.values)
    # Same kind only: a video carrying a known voice is evidence about the voice (the fingerprint
    # check reports it) but another piece of media, with its own case.
    linked = [
        m for m in matches if m.media_item_id not in (None, item.pk) and m.media_type == item.media_type
    ]
    if linked:
        best = linked[0]  # closest first
        root = MediaItem.objects.get(pk=best.media_item_id).case_media_id
        if root != item.pk:
            item.canonical_id = root
            item.canonical_match = best.as_json()
    item.clustered_at = timezone.now()
    item.save(update_fields=["canonical", "canonical_match", "clustered_at"])
    bank_add_fingerprint(
        bank=bank,
        sha256=item.sha256,
        fingerprint=fingerprint,
        original_name=item.original_name,
        media_item=item,
    )
    if item.canonical_id:
        audit_record(
            action="media.clustered",
            inputs={"media_item_id": item.pk, "sha256": item.sha256},
            outcome={"canonical_media_item_id": item.canonical_id, "match": item.canonical_match},
        )
    return item.case_media_id
