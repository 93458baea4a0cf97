"""The banks' readiness check for `/readyz` (config/health.py): the bank indexes can be loaded.

A readiness probe must stay cheap, so it does not build the indexes (about 2.3 GB for 100k audio
clips, held by the matching workers only): it checks that the matching libraries load and the
banked items are readable, and that every item has a fingerprint to index."""

from __future__ import annotations

from .models import BankedItem


def bank_indexes_loadable() -> str | None:
    import faiss  # noqa: F401 - the index library loads in this environment
    import pdqhash  # noqa: F401

    empty = BankedItem.objects.filter(fingerprint=b"").count()
    if empty:
        return f"{empty} banked item(s) have no fingerprint and cannot be indexed"
    return None
