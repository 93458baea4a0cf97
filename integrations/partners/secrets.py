"""A partner's webhook signing secret, encrypted at rest.

Secrets are HMAC keys (the partner verifies our signature with the same secret), so they cannot
be stored hashed. They are Fernet-encrypted under a key derived from SECRET_KEY, as platform
secrets are (integrations/platforms/signing.py; triage does not import integrations, hence this
small twin with its own derivation label). SECRET_KEY_FALLBACKS still decrypt after a key change.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

LABEL = b"moratorium.partner-webhook-secrets"


def secret_generate() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def _fernet() -> MultiFernet:
    keys = (settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", []))
    return MultiFernet(
        [Fernet(base64.urlsafe_b64encode(hmac.new(LABEL, k.encode(), hashlib.sha256).digest())) for k in keys]
    )


def secret_encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode() if secret else ""


def secret_decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise RuntimeError(
            "a partner webhook secret cannot be decrypted: SECRET_KEY changed without the old key in "
            "SECRET_KEY_FALLBACKS; rotate the partner's secret"
        ) from exc


def partner_signing_secrets(partner) -> list[str]:
    """The secrets a delivery is signed with, newest first (both during a rotation)."""
    return [
        s
        for s in (secret_decrypt(partner.webhook_secret), secret_decrypt(partner.webhook_previous_secret))
        if s
    ]
