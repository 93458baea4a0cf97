"""The dashboard's login, throttled (login_throttle.py); included by config/urls.py."""

from django.urls import path

from .login_throttle import ThrottledLoginView

urlpatterns = [path("login/", ThrottledLoginView.as_view(), name="login")]
