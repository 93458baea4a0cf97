"""Login throttling for the dashboard and the admin: per account and per address.

An attack review found that 100 wrong passwords and then the right one logged in. Failed
sign-ins are counted in the database (shared by every web process) per account and per client
address over a sliding window; at the limit further attempts, right password or not, are refused
with a message saying when to try again, and the lockout is written to the audit log. Refused
attempts are not counted, so an attacker cannot keep an account locked beyond the window after
their last counted failure. The window and limits come from the environment
(LOGIN_THROTTLE_WINDOW_SECONDS, LOGIN_FAILURES_PER_ACCOUNT, LOGIN_FAILURES_PER_ADDRESS).

Time comes from `config.clock` so tests can move past the window.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
from datetime import timedelta

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest

from config import clock
from triage.audit.services import audit_record

from .models import LoginFailure

Scope = LoginFailure.Scope


def client_address(request: HttpRequest | None) -> str:
    """The client's address: REMOTE_ADDR, or, behind our own reverse proxy (USE_X_FORWARDED_FOR),
    the last X-Forwarded-For entry, the one that proxy appended (earlier ones the client can forge)."""
    if request is None:
        return ""
    address = request.META.get("REMOTE_ADDR", "")
    if getattr(settings, "USE_X_FORWARDED_FOR", False):
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if forwarded:
            address = forwarded[-1]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return ""


def _key(scope: str, value: str) -> str:
    secret = settings.SECRET_KEY.encode()
    return hmac.new(secret, f"login-throttle:{scope}:{value}".encode(), hashlib.sha256).hexdigest()


def _keys(username: str, address: str) -> list[tuple[str, str, int]]:
    keys = []
    if username:
        keys.append(
            (
                Scope.ACCOUNT,
                _key(Scope.ACCOUNT, username.strip().lower()),
                settings.LOGIN_FAILURES_PER_ACCOUNT,
            )
        )
    if address:
        keys.append((Scope.ADDRESS, _key(Scope.ADDRESS, address), settings.LOGIN_FAILURES_PER_ADDRESS))
    return keys


def _window() -> timedelta:
    return timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW_SECONDS)


def login_refusal(*, username: str, address: str) -> str | None:
    """The message refusing this attempt, or None when the account and address may try."""
    now = clock.now()
    since = now - _window()
    for scope, key, limit in _keys(username, address):
        failures = LoginFailure.objects.filter(scope=scope, key=key, at__gt=since).order_by("-at")
        recent = list(failures.values_list("at", flat=True)[:limit])
        if limit > 0 and len(recent) >= limit:
            # The lock lifts when the oldest of the last `limit` failures leaves the window.
            minutes = max(1, math.ceil((recent[-1] + _window() - now).total_seconds() / 60))
            subject = "this account" if scope == Scope.ACCOUNT else "this address"
            return (
                f"Too many failed sign-ins for {subject}. Sign-in is locked for {minutes} more "
                f"minute{'s' if minutes != 1 else ''}; try again then, or ask an administrator."
            )
    return None


@transaction.atomic
def login_failure_record(*, username: str, address: str, site: str) -> None:
    """Count one failed sign-in; write the lockout to the audit log when it reaches a limit."""
    now = clock.now()
    since = now - _window()
    for scope, key, limit in _keys(username, address):
        LoginFailure.objects.filter(scope=scope, key=key, at__lte=since).delete()
        LoginFailure.objects.create(scope=scope, key=key, at=now)
        if LoginFailure.objects.filter(scope=scope, key=key, at__gt=since).count() == limit:
            audit_record(
                action="auth.login_locked",
                inputs={"scope": str(scope), "account": username[:150], "address": address, "site": site},
                outcome={"failures": limit, "window_seconds": settings.LOGIN_THROTTLE_WINDOW_SECONDS},
            )


def login_failures_clear(*, username: str) -> None:
    """A successful sign-in forgives the account's earlier failures (not the address's)."""
    LoginFailure.objects.filter(
        scope=Scope.ACCOUNT, key=_key(Scope.ACCOUNT, username.strip().lower())
    ).delete()


class _Throttled:
    site = "dashboard"

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        address = client_address(self.request)
        refusal = login_refusal(username=username, address=address)
        if refusal:
            raise ValidationError(refusal, code="throttled")
        try:
            cleaned = super().clean()
        except ValidationError:
            login_failure_record(username=username, address=address, site=self.site)
            raise
        login_failures_clear(username=username)
        return cleaned


class ThrottledAuthenticationForm(_Throttled, AuthenticationForm):
    """The dashboard's login form."""


class ThrottledAdminAuthenticationForm(_Throttled, AdminAuthenticationForm):
    """The admin's login form (installed on admin.site by the dashboard app)."""

    site = "admin"


class ThrottledLoginView(LoginView):
    authentication_form = ThrottledAuthenticationForm
