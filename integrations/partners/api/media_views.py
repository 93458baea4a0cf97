"""GET /api/v1/media/<signed>/: a case's media file for a partner, by a signed, expiring link.

No session and no token: the link itself is the credential (see media_links.py). It is issued
only in a case the partner sees, names the partner, and works for minutes. Every fetch, refused
ones included, is in the audit log.
"""

from __future__ import annotations

import logging
import mimetypes

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from integrations.partners.models import PartnerOrganisation
from triage.audit.models import ActorKind
from triage.audit.services import audit_record
from triage.models import MediaItem

from .media_links import MediaLinkExpired, MediaLinkInvalid, media_link_verify

logger = logging.getLogger(__name__)


@require_GET
def partner_media(request: HttpRequest, signed: str) -> HttpResponse:
    try:
        media_item_id, partner_id = media_link_verify(signed)
    except MediaLinkExpired:
        return JsonResponse(
            {"detail": "This media link has expired: read the case again for a fresh one."}, status=410
        )
    except MediaLinkInvalid:
        raise Http404("No such media link.") from None
    partner = PartnerOrganisation.objects.filter(pk=partner_id, enabled=True).first()
    media = MediaItem.objects.filter(pk=media_item_id).first()
    if partner is None or media is None or not media.file:
        raise Http404("No such media.")
    try:
        handle = default_storage.open(media.file.name, "rb")
    except (FileNotFoundError, OSError):
        logger.warning("media %s is missing from storage", media.pk)
        raise Http404("The file is missing from storage.") from None
    audit_record(
        action="partner_api.media",
        actor_kind=ActorKind.PARTNER,
        inputs={"partner_id": partner.pk, "media_item_id": media.pk},
        outcome={"status": 200, "bytes": media.size_bytes},
    )
    content_type = media.mime_type or mimetypes.guess_type(media.file.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{media.sha256}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
