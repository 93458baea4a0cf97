from django.urls import path

from . import review_views, views

app_name = "labels"

urlpatterns = [
    path("labels/audio/<str:token>.wav", views.audio_disclosure, name="audio-disclosure"),
    path("labels/review/", review_views.review, name="review"),
    path("labels/review/<int:text_id>/status/", review_views.review_status, name="review-status"),
    path("labels/review/edit/", review_views.review_edit, name="review-edit"),
    path("labels/review/export.<str:fmt>", review_views.review_export, name="review-export"),
    path("labels/review/import/", review_views.review_import, name="review-import"),
]
