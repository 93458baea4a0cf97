from django.urls import path

from . import moderation_views

app_name = "partners"

urlpatterns = [
    path(
        "cases/<int:case_id>/fact-checks/<int:assessment_id>/review/",
        moderation_views.fact_check_review,
        name="case-fact-check-review",
    ),
]
