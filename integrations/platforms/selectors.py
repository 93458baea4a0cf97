"""Reads on platforms."""

from .models import Platform


def platform_for_webhook(*, slug: str) -> Platform | None:
    """Return the enabled platform with this slug, or None (unknown and disabled look the same)."""
    return Platform.objects.filter(slug=slug, enabled=True).first()
