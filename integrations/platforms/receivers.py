"""A saved, disabled, re-keyed or deleted platform takes effect at once in this process."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Platform
from .selectors import platform_cache_clear


@receiver(post_save, sender=Platform, dispatch_uid="platforms.cache_clear_on_save")
@receiver(post_delete, sender=Platform, dispatch_uid="platforms.cache_clear_on_delete")
def platform_cache_clear_on_change(sender, **kwargs) -> None:
    # The whole cache, not one slug: a save may have renamed the slug the old entry is under.
    platform_cache_clear()
