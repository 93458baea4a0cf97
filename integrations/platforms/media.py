"""The media downloader intake uses: platform CDNs fetched through the one outbound HTTP module."""

from __future__ import annotations

from typing import BinaryIO

from django.conf import settings

from integrations.http import OutboundError, outbound_download
from triage.intake.downloads import Downloaded, DownloadFailed


def platform_media_download(
    url: str, *, dest_file: BinaryIO, allow_private: bool, max_bytes: int
) -> Downloaded:
    """Stream `url` into `dest_file` (SSRF guard, size cap, timeouts); translate failures for intake."""
    try:
        result = outbound_download(
            url,
            dest_file=dest_file,
            allow_private=allow_private,
            max_bytes=max_bytes,
            total_timeout=settings.MEDIA_FETCH_TIMEOUT_SECONDS,
        )
    except OutboundError as exc:
        raise DownloadFailed(exc.message, permanent=exc.permanent) from exc
    return Downloaded(
        sha256=result.sha256,
        size_bytes=result.size_bytes,
        declared_content_type=result.declared_content_type,
    )
