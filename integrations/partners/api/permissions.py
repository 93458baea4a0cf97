"""Scopes: every partner view names the one it needs; a view that names none is closed."""

from rest_framework.permissions import BasePermission

from integrations.partners.models import PartnerToken


class HasPartnerScope(BasePermission):
    message = "This token does not have the scope this endpoint needs."

    def has_permission(self, request, view) -> bool:
        scope = getattr(view, "required_scope", None)
        # A view that reads and writes names a scope per method (e.g. GET cases:read, POST assessments:write).
        by_method = getattr(view, "method_scopes", None)
        if by_method:
            reading = request.method in ("HEAD", "OPTIONS")
            scope = by_method.get(request.method, by_method.get("GET") if reading else None)
        token = request.auth
        if not scope or not isinstance(token, PartnerToken):
            return False
        if not token.has_scope(scope):
            self.message = f"This token does not have the {scope} scope."
            return False
        return True
