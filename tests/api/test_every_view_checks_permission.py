"""No partner endpoint is open: each refuses frank (401) and a token without its scope (403)."""

import pytest
from django.urls import URLPattern

from integrations.partners.api import urls
from integrations.partners.models import Scope
from integrations.partners.services import partner_token_create
from tests.kit.actors import client_with

pytestmark = pytest.mark.django_db


def partner_paths() -> list[tuple[str, str]]:
    paths = []
    for pattern in urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        route = str(pattern.pattern).replace("<int:case_id>", "1")
        paths.append((f"/api/v1/{route}", pattern.callback.view_class.required_scope))
    return paths


def test_every_endpoint_names_a_scope():
    assert {scope for _, scope in partner_paths()} <= set(Scope.values)
    assert len(partner_paths()) == 7


@pytest.mark.parametrize(("path", "scope"), partner_paths())
def test_every_endpoint_refuses_no_token_and_a_token_without_its_scope(frank, path, scope):
    assert frank.get(path).status_code == 401
    others = [s for s in Scope.values if s != scope]
    _, raw = partner_token_create(name="Other scopes", scopes=others)
    assert client_with(raw).get(path).status_code == 403
