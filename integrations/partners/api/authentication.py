"""`Authorization: Bearer <token>` for partner tokens (integrations.partners)."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from integrations.partners.models import PartnerToken
from integrations.partners.services import partner_token_authenticate


class PartnerPrincipal:
    """The request's user for a partner token: authenticated, but never a Django user or staff."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    pk = None

    def __init__(self, token: PartnerToken) -> None:
        self.token = token

    def __str__(self) -> str:
        return f"partner token {self.token.prefix}…"


class PartnerTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != b"bearer":
            return None
        if len(parts) != 2:
            raise AuthenticationFailed("Send the token as: Authorization: Bearer <token>.")
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed("Invalid or revoked token.") from None
        token = partner_token_authenticate(raw=raw)
        if token is None:
            raise AuthenticationFailed("Invalid or revoked token.")
        return PartnerPrincipal(token), token

    def authenticate_header(self, request) -> str:
        # Makes DRF answer 401 (not 403) to a request without credentials.
        return 'Bearer realm="moratorium"'


class PartnerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "integrations.partners.api.authentication.PartnerTokenAuthentication"
    name = "partnerToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "A partner token (create_partner_token)."}
