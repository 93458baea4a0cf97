from django.urls import path

from . import views

app_name = "labels"

urlpatterns = [
    path("labels/audio/<str:token>.wav", views.audio_disclosure, name="audio-disclosure"),
]
