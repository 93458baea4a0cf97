from django.urls import path

from config.urls import urlpatterns as app_urlpatterns

from .floor import floor_view

urlpatterns = [path("floor/<slug:platform_slug>/", floor_view), *app_urlpatterns]
