from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "triage.moderation"
    label = "dashboard"
    verbose_name = "Moderator dashboard"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Imported once the app registry is ready: these modules need the models.
        from django.contrib import admin

        from . import (
            overview_snapshot,  # noqa: F401 - registers the snapshot task
            receivers,  # noqa: F401  (reopens decided cases on new evidence)
        )
        from .login_throttle import ThrottledAdminAuthenticationForm

        # The admin's login is throttled like the dashboard's (login_throttle.py).
        admin.site.login_form = ThrottledAdminAuthenticationForm
