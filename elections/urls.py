from django.urls import path, re_path

from . import views

urlpatterns = [
    path("calendar/all.ics", views.calendar_all, name="calendar-all"),
    re_path(r"^calendar/(?P<code>[A-Za-z]{2})\.ics$", views.calendar_country, name="calendar-country"),
]
