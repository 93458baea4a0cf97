"""Content-addressed media storage through Django's storage API.

A file is stored under media/<first two hex digits>/<sha256>, so the same bytes are stored once
whatever they were called and however many platforms sent them. Works on any Django storage
(the filesystem by default, S3-compatible stores through django-storages).
"""

from __future__ import annotations

import uuid
from typing import BinaryIO

from django.core.files import File
from django.core.files.storage import default_storage


def media_path(sha256: str) -> str:
    return f"media/{sha256[:2]}/{sha256}"


def media_store(*, fileobj: BinaryIO, sha256: str) -> str:
    """Store the bytes of `fileobj` (whose SHA-256 the caller computed) once; return the name."""
    name = media_path(sha256)
    if default_storage.exists(name):
        return name
    fileobj.seek(0)
    saved = default_storage.save(name, File(fileobj))
    if saved != name:
        # Another worker stored the same bytes between our exists() and save(): the storage
        # picked a fresh name for ours. The content is identical by construction; keep one.
        default_storage.delete(saved)
    return name


def staged_save(*, fileobj: BinaryIO) -> str:
    """Keep an inline upload until the processing task hashes, sniffs and stores it."""
    return default_storage.save(f"incoming/{uuid.uuid4().hex}", File(fileobj))


def staged_delete(name: str) -> None:
    if name and default_storage.exists(name):
        default_storage.delete(name)
