"""Webhook signatures and the platform secrets behind them.

A request is signed as Stripe and Slack do: `X-Moratorium-Timestamp: <unix seconds>` and
`X-Moratorium-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`. Either of the
platform's two active secrets verifies (so a secret can be rotated without downtime), the
comparison is constant-time, and a timestamp more than five minutes off is refused (a captured
request cannot be replayed later; within the window, event_id idempotency makes a replay harmless).

A status read (GET, no body) is signed `v2=<hex HMAC-SHA256 of "<timestamp>.GET.<path>.">`, so a
captured signature reads that one event and no other. The old empty-body `v1=` form is accepted
for status reads only while WEBHOOK_STATUS_LEGACY_SIGNATURES is on (deprecated; docs/ingestion.md).

Secrets are HMAC keys, so they cannot be stored hashed. They are encrypted at rest (Fernet, with a
key derived from SECRET_KEY; SECRET_KEY_FALLBACKS still decrypt after a SECRET_KEY change) so a
leaked database dump or backup does not hand out the power to forge a platform's reports.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import secrets
import time

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

TIMESTAMP_HEADER = "X-Moratorium-Timestamp"
SIGNATURE_HEADER = "X-Moratorium-Signature"
TOLERANCE_SECONDS = 5 * 60
SCHEME = "v1"
REQUEST_SCHEME = "v2"  # over method and path too: status reads (see request_signature_compute)


def secret_generate() -> str:
    """Return a new signing secret (256 bits, URL-safe text)."""
    return "whsec_" + secrets.token_urlsafe(32)


def signature_compute(*, secret: str, timestamp: str, body: bytes) -> str:
    """Return the header value that signs `body` at `timestamp` with `secret`."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"{SCHEME}={mac.hexdigest()}"


def request_signature_compute(
    *, secret: str, timestamp: str, method: str, path: str, body: bytes = b""
) -> str:
    """Return the "v2=" header value that signs a request's method and path as well as its body.

    The signed message is "<timestamp>.<METHOD>.<path>.<raw body>", the path percent-encoded as in
    the URL we hand out (a status read's `status_url`), without the query string. Binding the
    method and path means a captured status read cannot be replayed to read another event.
    """
    message = f"{timestamp}.{method.upper()}.{path}.".encode() + body
    mac = hmac.new(secret.encode(), message, hashlib.sha256)
    return f"{REQUEST_SCHEME}={mac.hexdigest()}"


def _timestamp_fresh(timestamp: str | None, now: float | None) -> bool:
    if not timestamp or not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 12:
        return False
    return abs((time.time() if now is None else now) - int(timestamp)) <= TOLERANCE_SECONDS


def _any_matches(expected: list[bytes], signature: str, scheme: str) -> bool:
    # Several values may be sent (e.g. one per secret during a rotation); any may match.
    offered = [part.strip() for part in signature.split(",") if part.strip().startswith(f"{scheme}=")]
    matched = False
    for value in expected:
        for candidate in offered:
            # Compare every pair without stopping early: timing reveals nothing about which matched.
            matched |= hmac.compare_digest(value, candidate.encode("utf-8", "replace"))
    return matched


def signature_valid(*, secrets_: list[str], timestamp: str | None, signature: str | None, body: bytes,
                    now: float | None = None) -> bool:  # fmt: skip
    """Check a request's timestamp and signature against every active secret."""
    if not signature or not _timestamp_fresh(timestamp, now):
        return False
    expected = [signature_compute(secret=s, timestamp=timestamp, body=body).encode() for s in secrets_]
    return _any_matches(expected, signature, SCHEME)


def request_signature_valid(
    *,
    secrets_: list[str],
    timestamp: str | None,
    signature: str | None,
    method: str,
    paths: list[str],
    body: bytes = b"",
    allow_body_only: bool = False,
    now: float | None = None,
) -> bool:
    """Check a "v2=" signature over method, path and body (any of `paths`, the spellings we accept).

    allow_body_only also accepts the deprecated "v1=" form over "<timestamp>.<body>" alone.
    """
    if not signature or not _timestamp_fresh(timestamp, now):
        return False
    expected = [
        request_signature_compute(secret=s, timestamp=timestamp, method=method, path=path, body=body).encode()
        for s in secrets_
        for path in dict.fromkeys(paths)
    ]
    matched = _any_matches(expected, signature, REQUEST_SCHEME)
    if allow_body_only:
        matched |= signature_valid(
            secrets_=secrets_, timestamp=timestamp, signature=signature, body=body, now=now
        )
    return matched


@functools.lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    def derive(key: str) -> Fernet:
        # SECRET_KEY is already high-entropy: a keyed hash derives the key; no stretching needed.
        raw = hmac.new(b"moratorium.platform-secrets", key.encode(), hashlib.sha256).digest()
        return Fernet(base64.urlsafe_b64encode(raw))

    return MultiFernet([derive(key) for key in keys])


def _keys() -> tuple[str, ...]:
    return (settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", []))


def secret_encrypt(secret: str) -> str:
    return _fernet(_keys()).encrypt(secret.encode()).decode()


def secret_decrypt(token: str) -> str:
    """Decrypt a stored secret; an empty field stays empty."""
    if not token:
        return ""
    return _decrypt(token, _keys())


# Every webhook request reads its platform's row and needs the plaintext secrets; decrypting
# costs more than checking the signature. The cache is keyed on the stored token itself (and the
# keys), so a rotation, which stores a new token, takes effect on the very next request.
@functools.lru_cache(maxsize=256)
def _decrypt(token: str, keys: tuple[str, ...]) -> str:
    try:
        return _fernet(keys).decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise RuntimeError(
            "a platform signing secret cannot be decrypted: SECRET_KEY changed without the old key "
            "in SECRET_KEY_FALLBACKS; rotate the platform's secret"
        ) from exc
