"""Signed, expiring media links for partners: a URL that works without a session or a token.

The link carries the media item and the partner it was issued to, signed with SECRET_KEY (salted
for this use only) and timestamped: it answers for PARTNER_MEDIA_URL_MINUTES, then 410 Gone. A
link leaks no more than the media it names, for minutes; each fetch is audited with the partner.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

SALT = "moratorium.partner-media"


class MediaLinkExpired(Exception):
    pass


class MediaLinkInvalid(Exception):
    pass


def media_link_sign(*, media_item_id: int, partner_id: int) -> str:
    return signing.TimestampSigner(salt=SALT).sign(f"{media_item_id}.{partner_id}")


class MediaLinker:
    """Signed links for one page of cases: one signer, one clock reading and one URL prefix for all.

    Per link, only the HMAC is computed (the case list signs up to 500 per request).
    """

    PLACEHOLDER = "0.0:placeholder"

    def __init__(self, request, *, partner_id: int) -> None:
        self.partner_id = partner_id
        self.signer = signing.TimestampSigner(salt=SALT)
        self.expires = timezone.now() + timedelta(minutes=settings.PARTNER_MEDIA_URL_MINUTES)
        prefix = request.build_absolute_uri(reverse("api:media", kwargs={"signed": self.PLACEHOLDER}))
        self.before, self.after = prefix.split(self.PLACEHOLDER)

    def url(self, media_item_id: int) -> str:
        return f"{self.before}{self.signer.sign(f'{media_item_id}.{self.partner_id}')}{self.after}"


def media_link_verify(signed: str) -> tuple[int, int]:
    """Return (media_item_id, partner_id) of a valid, unexpired link; raise otherwise."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        value = signer.unsign(signed, max_age=timedelta(minutes=settings.PARTNER_MEDIA_URL_MINUTES))
    except signing.SignatureExpired:
        raise MediaLinkExpired from None
    except signing.BadSignature:
        raise MediaLinkInvalid from None
    media_item_id, partner_id = value.split(".")
    return int(media_item_id), int(partner_id)
