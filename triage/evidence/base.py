"""The contract every check implements.

A check looks at one media file and says what it found: `Check.run(media) -> CheckResult`. It
never touches the database itself (the task records what it returns), so the same class serves
the Celery path and the offline `inspect_media` command.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar


class CheckError(Exception):
    """A check could not finish. Transient errors (vendor 5xx, timeouts) are retried with backoff."""

    def __init__(self, message: str, *, transient: bool = False, retry_after: float | None = None):
        super().__init__(message)
        self.message = message
        self.transient = transient
        # Seconds the far end asked us to wait (HTTP Retry-After); the retry honours it.
        self.retry_after = retry_after


@dataclass(frozen=True)
class MediaFile:
    """A media file on local disk, with what we know about it."""

    path: Path
    media_type: str  # "image" | "audio" | "video" | "unknown"
    sha256: str
    mime_type: str
    original_name: str = ""

    @classmethod
    def from_path(cls, path: str | os.PathLike) -> MediaFile:
        """Describe a local file, sniffing its type from its first bytes rather than its name."""
        from triage.intake.sniffing import sniff_file  # the one sniffer ingestion uses too

        path = Path(path)
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
            fh.seek(0)
            sniffed = sniff_file(fh)
            # Not a format triage recognises: the offline checks still look for provenance in it.
            mime_type, media_type = (
                (sniffed.mime_type, sniffed.media_type)
                if sniffed
                else ("application/octet-stream", "unknown")
            )
            fh.seek(0)
            head = fh.read(10)
            if head[:3] == b"ID3" and len(head) == 10:
                # An ID3 tag may front a FLAC file too (C2PA signing adds one): look past it.
                tag_end = 10 + ((head[6] << 21) | (head[7] << 14) | (head[8] << 7) | head[9])
                fh.seek(tag_end)
                if fh.read(4) == b"fLaC":
                    mime_type = "audio/flac"
        return cls(
            path=path,
            media_type=media_type,
            sha256=digest.hexdigest(),
            mime_type=mime_type,
            original_name=path.name,
        )


@dataclass
class CheckResult:
    """What one check found (the in-memory twin of the `checks.CheckResult` row)."""

    kind: str
    version: str
    label: str
    score: float | None = None
    evidence: dict[str, Any] = field(default_factory=dict)
    duration_ms: int = 0


class Check:
    """Base class: subclasses set `kind`, `version`, `media_types` and implement `_run`."""

    kind: str = ""  # a class attribute; a detector check sets its own per configured vendor
    version: ClassVar[str] = "1"
    media_types: ClassVar[frozenset[str]] = frozenset({"image", "audio", "video"})
    # Offline checks need nothing beyond this machine; inspect_media runs only those.
    offline: ClassVar[bool] = True

    def applies_to(self, media_type: str) -> bool:
        return media_type in self.media_types

    def run(self, media: MediaFile) -> CheckResult:
        """Run the check and time it. Raise CheckError when it cannot conclude."""
        started = time.monotonic()
        result = self._run(media)
        result.duration_ms = int((time.monotonic() - started) * 1000)
        return result

    def _run(self, media: MediaFile) -> CheckResult:
        raise NotImplementedError

    def result(self, label: str, *, score: float | None = None, **evidence: Any) -> CheckResult:
        return CheckResult(kind=self.kind, version=self.version, label=label, score=score, evidence=evidence)


@contextmanager
def media_file_for_item(media_item) -> Iterator[MediaFile]:
    """Yield a MediaFile for a stored MediaItem.

    Storage backends without a local path (S3 and friends) are copied to a temporary file first,
    because the parsers (and the C2PA subprocess) need a path.
    """
    storage = media_item.file.storage
    try:
        local = Path(storage.path(media_item.file.name))
    except NotImplementedError:
        local = None
    # Some storages (InMemoryStorage) name a path that is not on disk: only trust one that is.
    if local is not None and local.is_file():
        yield MediaFile(
            path=local,
            media_type=media_item.media_type,
            sha256=media_item.sha256,
            mime_type=media_item.mime_type,
            original_name=media_item.original_name,
        )
        return
    suffix = Path(media_item.file.name).suffix
    with tempfile.NamedTemporaryFile(prefix="moratorium-", suffix=suffix) as tmp:
        with storage.open(media_item.file.name, "rb") as src:
            shutil.copyfileobj(src, tmp, length=1 << 20)
        tmp.flush()
        yield MediaFile(
            path=Path(tmp.name),
            media_type=media_item.media_type,
            sha256=media_item.sha256,
            mime_type=media_item.mime_type,
            original_name=media_item.original_name,
        )
