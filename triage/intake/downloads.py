"""Where intake gets a media entry's bytes from: the downloader the outside-facing layer plugs in.

Fetching from a platform's CDN is outbound HTTP, which lives in `integrations/` (the SSRF guard,
timeouts, size caps). Triage must not import it, so it offers this one-function registry and
`integrations.platforms` registers its downloader when the app registry is ready.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO


class DownloadFailed(Exception):
    """Fetching the media failed; `permanent` says whether retrying could help."""

    def __init__(self, message: str, *, permanent: bool):
        super().__init__(message)
        self.message = message
        self.permanent = permanent


@dataclass(frozen=True)
class Downloaded:
    sha256: str
    size_bytes: int
    declared_content_type: str  # what the server said it was; the bytes are sniffed anyway


# (url, *, dest_file, allow_private, max_bytes) -> Downloaded, raising DownloadFailed.
Downloader = Callable[..., Downloaded]
_downloader: Downloader | None = None


def media_downloader_register(downloader: Downloader) -> None:
    global _downloader
    _downloader = downloader


def media_download(url: str, *, dest_file: BinaryIO, allow_private: bool, max_bytes: int) -> Downloaded:
    if _downloader is None:
        raise RuntimeError("no media downloader registered (is integrations.platforms installed?)")
    return _downloader(url, dest_file=dest_file, allow_private=allow_private, max_bytes=max_bytes)
