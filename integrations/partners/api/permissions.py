"""Scopes: every partner view names the one it needs; a view that names none is closed."""

from rest_framework.permissions import BasePermission

from integrations.partners.models import PartnerToken


class HasPartnerScope(BasePermission):
    message = "This token does not have the scope this endpoint needs."

    def has_permission(self, request, view) -> bool:
        scope = getattr(view, "required_scope", None)
        token = request.auth
        if not scope or not isinstance(token, PartnerToken):
            return False
        if not token.has_scope(scope):
            self.message = f"This token does not have the {scope} scope."
            return False
        return True
