"""Reads on platforms.

The webhook looks its platform up on every request; the answer is cached per slug in each
process for WEBHOOK_PLATFORM_CACHE_SECONDS (unknown and disabled slugs too, so a cached and an
uncached slug cannot be told apart by timing). Saving or deleting a platform clears this
process's cache at once (receivers.py); other processes see the change within the cache life.
"""

from __future__ import annotations

import time

from django.conf import settings

from .models import Platform

# Bounded: an attacker probing random slugs fills it with misses, which are cleared wholesale.
_CACHE_MAX = 1024
_cache: dict[str, tuple[float, Platform | None]] = {}


def platform_for_webhook(*, slug: str) -> Platform | None:
    """Return the enabled platform with this slug, or None (unknown and disabled look the same)."""
    now = time.monotonic()
    hit = _cache.get(slug)
    if hit is not None and hit[0] > now:
        return hit[1]
    platform = Platform.objects.filter(slug=slug, enabled=True).first()
    life = settings.WEBHOOK_PLATFORM_CACHE_SECONDS
    if life > 0:
        if len(_cache) >= _CACHE_MAX:
            _cache.clear()
        _cache[slug] = (now + life, platform)
    return platform


def platform_cache_clear() -> None:
    """Forget every cached platform of this process (a platform was saved, disabled or rotated)."""
    _cache.clear()
