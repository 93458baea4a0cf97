"""No partner endpoint is open: each refuses frank (401) and a token without its scope (403)."""

import pytest
from django.urls import URLPattern

from integrations.partners.api import urls
from integrations.partners.models import Scope
from integrations.partners.services import partner_token_create
from tests.kit.actors import client_with

pytestmark = pytest.mark.django_db


# The one route without a token: its signed link is the credential (tests/api/test_media_links.py).
SIGNED_LINK_ROUTES = {"media/<str:signed>/"}
ASSESSMENT_ID = "00000000-0000-4000-8000-000000000000"


def partner_paths() -> list[tuple[str, str, str]]:
    """(path, method, scope) for every method of every token-protected route."""
    paths = []
    for pattern in urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        if str(pattern.pattern) in SIGNED_LINK_ROUTES:
            continue
        route = str(pattern.pattern).replace("<int:case_id>", "1")
        route = route.replace("<uuid:assessment_id>", ASSESSMENT_ID)
        view = pattern.callback.view_class
        by_method = getattr(view, "method_scopes", None) or {"GET": view.required_scope}
        for method, scope in by_method.items():
            paths.append((f"/api/v1/{route}", method, scope))
    return paths


def test_every_endpoint_names_a_scope():
    assert {scope for _, _, scope in partner_paths()} <= set(Scope.values)
    assert all(scope for _, _, scope in partner_paths())


@pytest.mark.parametrize(("path", "method", "scope"), partner_paths())
def test_every_endpoint_refuses_no_token_and_a_token_without_its_scope(frank, path, method, scope):
    assert getattr(frank, method.lower())(path).status_code == 401
    others = [s for s in Scope.values if s != scope]
    _, raw = partner_token_create(name="Other scopes", scopes=others)
    assert getattr(client_with(raw), method.lower())(path).status_code == 403
