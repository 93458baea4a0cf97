"""Who is reviewing a case right now.

A CaseLock is the moderator's claim on a case (ROOST Coop's job lock): while it is unexpired
nobody else can take the case or act on it. It expires on its own so an abandoned tab never
blocks a case in a silence window, where review deadlines are minutes away.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class CaseLock(models.Model):
    case = models.OneToOneField("triage.Case", on_delete=models.CASCADE, related_name="review_lock")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    taken_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["expires_at"]

    def __str__(self) -> str:
        return f"case {self.case_id} taken by user {self.user_id} until {self.expires_at:%H:%M}"

    def is_active(self, *, at=None) -> bool:
        return self.expires_at > (at or timezone.now())


class OverviewSnapshot(models.Model):
    """The overview's numbers, computed off the request path (one row per name, replaced in place).

    A beat task recomputes it every DASHBOARD_OVERVIEW_SNAPSHOT_SECONDS; every web process and every
    moderator's page then reads one row instead of aggregating 50,000 cases (bench/overview/).
    """

    name = models.CharField(max_length=32, primary_key=True)
    computed_at = models.DateTimeField()
    data = models.JSONField()

    def __str__(self) -> str:
        return f"{self.name} at {self.computed_at:%H:%M:%S}"


class LoginFailure(models.Model):
    """One failed sign-in, counted against the account and against the address it came from.

    Both are stored as keyed hashes (HMAC with the secret key): the table says how often, never
    who or from where. Rows older than the throttle window are pruned as new ones are written.
    """

    class Scope(models.TextChoices):
        ACCOUNT = "account"
        ADDRESS = "address"

    scope = models.CharField(max_length=7, choices=Scope.choices)
    key = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["scope", "key", "at"], name="dashboard_loginfail_key_at")]

    def __str__(self) -> str:
        return f"failed sign-in ({self.scope}) at {self.at:%Y-%m-%d %H:%M:%S}"
