"""Rate limiting per partner token (settings.PARTNER_API_RATE, e.g. "600/minute")."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from integrations.partners.models import PartnerToken


class PartnerTokenThrottle(SimpleRateThrottle):
    scope = "partner"

    def get_rate(self) -> str:
        return settings.PARTNER_API_RATE

    def get_cache_key(self, request, view) -> str | None:
        if not isinstance(request.auth, PartnerToken):
            return None  # unauthenticated requests never reach a view's work
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
