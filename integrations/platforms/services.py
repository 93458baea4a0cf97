"""Writes on platforms: creation and signing-secret rotation."""

from django.db import transaction
from django.utils import timezone

from .models import Platform
from .signing import secret_encrypt, secret_generate


@transaction.atomic
def platform_create(
    *,
    slug: str,
    name: str = "",
    callback_url: str = "",
    default_countries: list[str] | None = None,
    allow_private_fetch: bool = False,
) -> tuple[Platform, str]:
    """Create a platform and return it with its signing secret (shown once, stored encrypted)."""
    secret = secret_generate()
    platform = Platform(
        slug=slug,
        name=name or slug,
        callback_url=callback_url,
        default_countries=[c.upper() for c in default_countries or []],
        allow_private_fetch=allow_private_fetch,
        signing_secret_encrypted=secret_encrypt(secret),
    )
    platform.full_clean(exclude=["signing_secret_encrypted"])
    platform.save()
    return platform, secret


@transaction.atomic
def platform_rotate_secret(*, platform: Platform) -> str:
    """Make a new current secret; the old one keeps verifying until retired. Return the new one."""
    platform = Platform.objects.select_for_update().get(pk=platform.pk)
    secret = secret_generate()
    platform.previous_signing_secret_encrypted = platform.signing_secret_encrypted
    platform.signing_secret_encrypted = secret_encrypt(secret)
    platform.secret_rotated_at = timezone.now()
    platform.save(
        update_fields=["previous_signing_secret_encrypted", "signing_secret_encrypted", "secret_rotated_at"]
    )
    return secret


@transaction.atomic
def platform_retire_previous_secret(*, platform: Platform) -> None:
    """End a rotation: only the current secret verifies from now on."""
    platform = Platform.objects.select_for_update().get(pk=platform.pk)
    platform.previous_signing_secret_encrypted = ""
    # save(), not a queryset update: its post_save clears the webhook's platform cache.
    platform.save(update_fields=["previous_signing_secret_encrypted"])
