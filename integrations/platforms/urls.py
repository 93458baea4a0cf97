from django.urls import path

from . import views

app_name = "platforms"

urlpatterns = [
    path("webhooks/<slug:platform_slug>/", views.WebhookView.as_view(), name="webhook"),
    path(
        "webhooks/<slug:platform_slug>/submissions/<path:event_id>",
        views.SubmissionStatusView.as_view(),
        name="submission-status",
    ),
]
