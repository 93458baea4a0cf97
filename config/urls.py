from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from . import health, metrics

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),  # liveness and readiness (config/health.py)
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics, name="metrics"),  # Prometheus, token or staff (config/metrics.py)
    path("admin/", admin.site.urls),
    path("", include("elections.urls")),
    path("", include("integrations.platforms.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("api/v1/", include("integrations.partners.api.urls")),  # the partner API (docs/api.md)
    path("accounts/", include("triage.moderation.login_urls")),  # throttled login
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("triage.decisions.labels.urls")),  # the spoken disclosure's signed audio URLs
    path("", include("integrations.callbacks.urls")),  # dead letters, in the dashboard's frame
    path("", include("integrations.partners.urls")),  # partner fact-checks, in the dashboard's frame
    path("", include("triage.moderation.urls")),  # the moderator dashboard: "/" is the queue
]

# JSON 404s under /api/ (unmatched paths included); the usual page elsewhere.
handler404 = "integrations.partners.api.errors.not_found"
