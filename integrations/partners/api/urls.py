from django.urls import path

from . import assessment_views, export_views, media_views, views, webhook_views

app_name = "api"

urlpatterns = [
    path("cases/", views.CaseListApi.as_view(), name="case-list"),
    path("cases/<int:case_id>/", views.CaseDetailApi.as_view(), name="case-detail"),
    path("cases/<int:case_id>/decisions/", views.CaseDecisionListApi.as_view(), name="case-decisions"),
    path("cases/<int:case_id>/media-review/", views.CaseMediaReviewApi.as_view(), name="case-media-review"),
    path("cases/<int:case_id>/claim-review/", views.CaseClaimReviewApi.as_view(), name="case-claim-review"),
    path("calendar/status", views.CalendarStatusApi.as_view(), name="calendar-status"),
    path("statements/", views.StatementListApi.as_view(), name="statements"),
    path("media/<str:signed>/", media_views.partner_media, name="media"),
    path(
        "cases/<int:case_id>/assessments/",
        assessment_views.CaseAssessmentsApi.as_view(),
        name="case-assessments",
    ),
    path("assessments/", assessment_views.AssessmentListApi.as_view(), name="assessments"),
    path("assessments/export/", export_views.AssessmentExportApi.as_view(), name="assessments-export"),
    path("webhook/", webhook_views.WebhookApi.as_view(), name="webhook"),
    path("webhook/rotate-secret/", webhook_views.WebhookSecretRotateApi.as_view(), name="webhook-rotate"),
    path(
        "assessments/<uuid:assessment_id>/",
        assessment_views.AssessmentDetailApi.as_view(),
        name="assessment-detail",
    ),
]
