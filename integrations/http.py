"""The one outbound HTTP module: every request Moratorium makes to the outside goes through here.

Media fetches, detector vendors and decision callbacks all call two functions:

- `outbound_request(method, url, *, json=None, data=None, headers=None, allow_private=False,
  connect_timeout=None, read_timeout=None, max_bytes=None, max_redirects=None, retries=0)`
  returns an `OutboundResponse` (status, headers, body bytes, final url, elapsed seconds) for any
  HTTP status; call `.raise_for_status()` to turn a 4xx/5xx into an `OutboundError`.
- `outbound_download(url, *, dest_file, allow_private=False, max_bytes=None, headers=None,
  connect_timeout=None, read_timeout=None, max_redirects=None)` streams a 2xx body into a
  writable binary file object, hashing it on the way, and returns a `DownloadResult` (sha256,
  size, the type sniffed from the bytes, the Content-Type the server claimed, final url, elapsed).

Errors are one family, `OutboundError(message, *, permanent, status=None)`: a permanent error
(blocked address, body too large, 4xx, bad URL) will not improve on retry; a transient one
(timeout, connection refused, 5xx, 408, 429) may. Subclasses: `BlockedAddressError` and
`ResponseTooLarge` (permanent), `OutboundTimeout` (transient).

Guards, always on:
- only http and https URLs;
- SSRF: the host is resolved and every address checked *inside the connection's own connect*, and
  the socket is connected to the checked address, so a DNS answer that changes between check and
  connect (rebinding) cannot slip through. Loopback, private, link-local, multicast, reserved,
  unspecified, shared (100.64/10) and other non-global addresses are refused unless
  `allow_private`; cloud metadata addresses are refused even then. TLS still verifies the
  certificate and sends SNI for the URL's host name;
- redirects are followed here, one hop at a time, so each hop gets the same checks (at most
  `max_redirects`, default OUTBOUND_MAX_REDIRECTS). On any change of origin (scheme, host or
  port) every caller header but Accept*/User-Agent is dropped (Authorization, API keys, cookies,
  signatures), the session's cookies are forgotten, and a 307/308 that would resend a request
  body elsewhere is refused;
- connect and read timeouts (OUTBOUND_CONNECT_TIMEOUT / OUTBOUND_READ_TIMEOUT) plus a total
  deadline enforced on every read of the body (a server trickling a byte a second is cut off at
  the deadline), and a body size cap (default MEDIA_MAX_BYTES), enforced while streaming;
- environment proxies are ignored (a proxy would connect on our behalf, past the guard).
"""

from __future__ import annotations

import functools
import hashlib
import http.client
import ipaddress
import json
import socket
import time
from dataclasses import dataclass, field
from typing import Any, BinaryIO
from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    NameResolutionError,
    NewConnectionError,
    ReadTimeoutError,
)
from urllib3.util import connection as urllib3_connection

from config.retry import backoff_seconds
from triage.intake.sniffing import HEAD_BYTES, sniff_bytes, sniff_file

# Cloud instance metadata endpoints: refused even for platforms allowed private fetches.
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a) for a in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200", "169.254.170.2")
)
_CHUNK = 64 * 1024
_REDIRECT_STATUSES = {301, 302, 303, 307, 308}
# The only caller headers that follow a redirect to another origin (scheme, host or port): every
# other one may carry a credential (Authorization, a vendor's X-API-KEY or any auth header a
# detector is configured with, cookies, our callback signature), so it is dropped, not listed.
_CROSS_ORIGIN_SAFE_HEADERS = {"accept", "accept-encoding", "accept-language", "user-agent"}
_DEFAULT_PORTS = {"http": 80, "https": 443}
_TRANSIENT_STATUSES = {408, 425, 429}
_DEFAULT_TOTAL_TIMEOUT = 600.0  # a trickling server cannot hold a worker longer than this
_USER_AGENT = "Moratorium/0.1 (+https://github.com/moratorium)"


class OutboundError(Exception):
    """An outbound request failed; `permanent` says whether retrying could help."""

    def __init__(self, message: str, *, permanent: bool, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.permanent = permanent
        self.status = status


class BlockedAddressError(OutboundError):
    """The URL's host resolves to an address we refuse to connect to."""

    def __init__(self, message: str):
        super().__init__(message, permanent=True)


class ResponseTooLarge(OutboundError):
    """The body is (or announces itself as) larger than the cap."""

    def __init__(self, message: str):
        super().__init__(message, permanent=True)


class OutboundTimeout(OutboundError):
    """Connecting or reading timed out."""

    def __init__(self, message: str):
        super().__init__(message, permanent=False)


@dataclass
class OutboundResponse:
    status: int
    headers: CaseInsensitiveDict
    body: bytes
    url: str
    elapsed: float

    def json(self) -> Any:

        return json.loads(self.body)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def raise_for_status(self) -> None:
        """Raise an OutboundError for a 4xx/5xx answer: transient for 5xx, 408, 425 and 429."""
        if self.status >= 400:
            raise _status_error(self.status, self.url)


@dataclass
class DownloadResult:
    sha256: str
    size_bytes: int
    sniffed_mime_type: str | None  # None: not a format triage recognises
    sniffed_media_type: str | None
    declared_content_type: str  # what the server's Content-Type header said, for the record
    url: str
    elapsed: float
    head: bytes = field(repr=False, default=b"")


def _status_error(status: int, url: str) -> OutboundError:
    transient = status >= 500 or status in _TRANSIENT_STATUSES
    host = urlsplit(url).hostname or "?"
    return OutboundError(f"HTTP {status} from {host}", permanent=not transient, status=status)


_NAT64_WELL_KNOWN = ipaddress.IPv6Network("64:ff9b::/96")  # RFC 6052
_NAT64_LOCAL_USE = ipaddress.IPv6Network("64:ff9b:1::/48")  # RFC 8215
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")  # deprecated (RFC 4291), still routed by some stacks


def embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """Return the IPv4 addresses an IPv6 address carries and may be translated or tunnelled to.

    IPv4-mapped and -compatible, NAT64 (the well-known /96 and the local-use /48, whose IPv4 bits
    straddle the reserved "u" octet), 6to4 and Teredo (its server and its client).
    """
    value = int(ip)
    found: list[ipaddress.IPv4Address] = []
    if ip.ipv4_mapped is not None:
        found.append(ip.ipv4_mapped)
    elif ip in _NAT64_WELL_KNOWN or (ip in _IPV4_COMPATIBLE and value > 1):  # not :: nor ::1
        found.append(ipaddress.IPv4Address(value & 0xFFFFFFFF))
    elif ip in _NAT64_LOCAL_USE:
        found.append(ipaddress.IPv4Address(((value >> 64) & 0xFFFF) << 16 | (value >> 40) & 0xFFFF))
    elif ip.sixtofour is not None:
        found.append(ip.sixtofour)
    elif ip.teredo is not None:
        found.extend(ip.teredo)
    return found


def address_refusal(ip: ipaddress.IPv4Address | ipaddress.IPv6Address, *, allow_private: bool) -> str | None:
    """Return why we refuse to connect to `ip`, or None if it is allowed.

    An IPv6 address that carries an IPv4 address (NAT64, 6to4, Teredo, mapped, compatible) is
    refused when the IPv4 address it carries would be: a gateway would deliver it there.
    """
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # the IPv4 address itself, as the socket layer treats it
    elif isinstance(ip, ipaddress.IPv6Address):
        for inner in embedded_ipv4(ip):
            reason = address_refusal(inner, allow_private=allow_private)
            if reason:
                return f"{reason} ({inner} inside {ip})"
    if ip in METADATA_ADDRESSES:
        return "a cloud metadata address"
    if allow_private:
        return None
    for attribute, label in (
        ("is_loopback", "a loopback address"),
        ("is_unspecified", "the unspecified address"),
        ("is_link_local", "a link-local address"),
        ("is_multicast", "a multicast address"),
        ("is_private", "a private address"),
        ("is_reserved", "a reserved address"),
    ):
        if getattr(ip, attribute):
            return label
    if not ip.is_global:
        return "a non-global address"
    return None


def resolve_checked(host: str, port: int, *, allow_private: bool) -> list[tuple[int, str]]:
    """Resolve `host` and return its (family, address) pairs, refusing if any is blocked.

    Every address must pass, not just the first: a name that answers with one public and one
    private address would otherwise be a coin toss away from an internal service.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise OutboundError(f"cannot resolve {host}: {exc.strerror}", permanent=False) from exc
    addresses: list[tuple[int, str]] = []
    for family, _type, _proto, _canon, sockaddr in infos:
        ip = ipaddress.ip_address(sockaddr[0].split("%", 1)[0])
        reason = address_refusal(ip, allow_private=allow_private)
        if reason:
            raise BlockedAddressError(f"refused to connect to {host}: it resolves to {reason} ({ip})")
        if (family, sockaddr[0]) not in addresses:
            addresses.append((family, sockaddr[0]))
    if not addresses:
        raise OutboundError(f"cannot resolve {host}", permanent=False)
    return addresses


class _GuardedConnectionMixin:
    """Resolve, check and connect in one step, so the checked address is the connected one."""

    allow_private = False

    def _new_conn(self) -> socket.socket:
        addresses = resolve_checked(self._dns_host, self.port, allow_private=self.allow_private)  # type: ignore[attr-defined]
        last_error: OSError | None = None
        for _family, address in addresses:
            try:
                return urllib3_connection.create_connection(
                    (address, self.port),  # type: ignore[attr-defined]
                    self.timeout,  # type: ignore[attr-defined]
                    source_address=self.source_address,  # type: ignore[attr-defined]
                    socket_options=self.socket_options,  # type: ignore[attr-defined]
                )
            except TimeoutError as exc:
                raise ConnectTimeoutError(self, f"connection to {self.host} timed out") from exc  # type: ignore[attr-defined]
            except OSError as exc:
                last_error = exc
        raise NewConnectionError(self, f"failed to connect: {last_error}")


@functools.cache
def _pool_classes(allow_private: bool) -> dict[str, type]:
    http_conn = type("GuardedHTTPConnection", (_GuardedConnectionMixin, HTTPConnection), {})
    https_conn = type("GuardedHTTPSConnection", (_GuardedConnectionMixin, HTTPSConnection), {})
    http_conn.allow_private = https_conn.allow_private = allow_private
    return {
        "http": type("GuardedHTTPPool", (HTTPConnectionPool,), {"ConnectionCls": http_conn}),
        "https": type("GuardedHTTPSPool", (HTTPSConnectionPool,), {"ConnectionCls": https_conn}),
    }


class _GuardedAdapter(HTTPAdapter):
    def __init__(self, *, allow_private: bool):
        self._allow_private = allow_private
        super().__init__(max_retries=0)

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _pool_classes(self._allow_private)


def _session(allow_private: bool) -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # no environment proxies or .netrc: they would bypass the guard
    adapter = _GuardedAdapter(allow_private=allow_private)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = _USER_AGENT
    return session


def _check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise OutboundError(
            f"only http and https URLs are fetched, not {parts.scheme or 'no'} scheme", permanent=True
        )
    if not parts.hostname:
        raise OutboundError("the URL has no host", permanent=True)
    if parts.username or parts.password:
        raise OutboundError("URLs with credentials are not fetched", permanent=True)


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:  # an impossible port: _check_url's request will refuse the URL
        port = None
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), port or _DEFAULT_PORTS.get(scheme)


def _defaults(connect_timeout, read_timeout, max_bytes, max_redirects):
    return (
        settings.OUTBOUND_CONNECT_TIMEOUT if connect_timeout is None else connect_timeout,
        settings.OUTBOUND_READ_TIMEOUT if read_timeout is None else read_timeout,
        settings.MEDIA_MAX_BYTES if max_bytes is None else max_bytes,
        settings.OUTBOUND_MAX_REDIRECTS if max_redirects is None else max_redirects,
    )


def _open(
    session: requests.Session,
    method: str,
    url: str,
    *,
    json: Any,
    data: Any,
    headers: dict[str, str] | None,
    timeout: tuple[float, float],
    max_redirects: int,
) -> requests.Response:
    """Send the request and follow redirects by hand; return the final, unread, streamed response."""
    headers = dict(headers or {})
    for _hop in range(max_redirects + 1):
        _check_url(url)
        try:
            response = session.request(
                method, url, json=json, data=data, headers=headers, timeout=timeout,
                stream=True, allow_redirects=False,
            )  # fmt: skip
        except OutboundError:
            raise
        except requests.exceptions.ConnectTimeout as exc:
            raise OutboundTimeout(f"connecting to {urlsplit(url).hostname} timed out") from exc
        except requests.exceptions.ReadTimeout as exc:
            raise OutboundTimeout(f"{urlsplit(url).hostname} did not answer in time") from exc
        except requests.exceptions.InvalidURL as exc:
            raise OutboundError(f"invalid URL: {exc}", permanent=True) from exc
        except requests.exceptions.SSLError as exc:
            # A certificate that does not verify will not start verifying on retry.
            raise OutboundError(f"TLS with {urlsplit(url).hostname} failed: {exc}", permanent=True) from exc
        except requests.exceptions.RequestException as exc:
            cause = exc.__context__
            while cause is not None:
                if isinstance(cause, OutboundError):
                    raise cause from exc
                cause = cause.__context__
            if isinstance(exc.__cause__, NameResolutionError):
                raise OutboundError(f"cannot resolve {urlsplit(url).hostname}", permanent=False) from exc
            raise OutboundError(f"connection to {urlsplit(url).hostname} failed", permanent=False) from exc
        if response.status_code not in _REDIRECT_STATUSES or "location" not in response.headers:
            return response
        response.close()
        next_url = urljoin(url, response.headers["location"])
        keeps_body = response.status_code in (307, 308)
        if response.status_code in (301, 302, 303) and method.upper() != "HEAD":
            method, json, data = "GET", None, None  # what browsers do; 307/308 keep method and body
        if _origin(next_url) != _origin(url):
            if keeps_body and (json is not None or data is not None):
                raise OutboundError(
                    f"refused to resend the request body to another origin ({urlsplit(next_url).hostname})",
                    permanent=True,
                )
            headers = {k: v for k, v in headers.items() if k.lower() in _CROSS_ORIGIN_SAFE_HEADERS}
            session.cookies.clear()  # cookies are not scoped by port: the next origin gets none
        url = next_url
    raise OutboundError(f"more than {max_redirects} redirects", permanent=True)


def _stream(response: requests.Response, *, max_bytes: int, deadline: float, read_timeout: float):
    """Yield the body as it arrives, enforcing the size cap and the total deadline on every read.

    Each read returns whatever bytes have arrived (read1) and waits at most until the deadline (the
    socket's timeout is cut to what is left), so a server trickling a byte a second is stopped at
    the deadline, not after it has filled a whole chunk.
    """
    declared = response.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and len(declared) <= 18 and int(declared) > max_bytes:
        raise ResponseTooLarge(f"the response is {int(declared)} bytes, over the {max_bytes}-byte cap")
    host = urlsplit(response.url).hostname
    raw = response.raw
    received = 0
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise OutboundTimeout("the download took longer than the total deadline")
            sock = getattr(raw.connection, "sock", None)
            if sock is not None:
                sock.settimeout(min(read_timeout, left))
            try:
                chunk = raw.read1(_CHUNK, decode_content=True)
            except (TimeoutError, ReadTimeoutError) as exc:
                if time.monotonic() >= deadline:
                    raise OutboundTimeout("the download took longer than the total deadline") from exc
                raise OutboundTimeout(f"{host} stopped sending") from exc
            if not chunk:
                return
            received += len(chunk)
            if received > max_bytes:
                raise ResponseTooLarge(f"the response is over the {max_bytes}-byte cap")
            yield chunk
    except (HTTPError, OSError, http.client.HTTPException) as exc:
        raise OutboundError("the connection broke while reading the body", permanent=False) from exc


def outbound_request(
    method: str,
    url: str,
    *,
    json: Any = None,
    data: Any = None,
    headers: dict[str, str] | None = None,
    allow_private: bool = False,
    connect_timeout: float | None = None,
    read_timeout: float | None = None,
    max_bytes: int | None = None,
    max_redirects: int | None = None,
    retries: int = 0,
    total_timeout: float = _DEFAULT_TOTAL_TIMEOUT,
) -> OutboundResponse:
    """Make one request (plus up to `retries` retries on transient failures and 5xx answers).

    Returns the answer whatever its status; after the last retry a 5xx answer is returned, not
    raised. Raises OutboundError (or a subclass) when no answer could be had.
    """
    connect_timeout, read_timeout, max_bytes, max_redirects = _defaults(
        connect_timeout, read_timeout, max_bytes, max_redirects
    )
    attempt = 0
    while True:
        started = time.monotonic()
        try:
            with _session(allow_private) as session:
                response = _open(
                    session, method, url, json=json, data=data, headers=headers,
                    timeout=(connect_timeout, read_timeout), max_redirects=max_redirects,
                )  # fmt: skip
                with response:
                    body = b"".join(
                        _stream(
                            response, max_bytes=max_bytes, deadline=started + total_timeout,
                            read_timeout=read_timeout,
                        )
                    )  # fmt: skip
            result = OutboundResponse(
                status=response.status_code,
                headers=CaseInsensitiveDict(response.headers),
                body=body,
                url=response.url,
                elapsed=time.monotonic() - started,
            )
            retryable = result.status >= 500 or result.status in _TRANSIENT_STATUSES
            if not retryable or attempt >= retries:
                return result
        except OutboundError as exc:
            if exc.permanent or attempt >= retries:
                raise
        attempt += 1
        time.sleep(backoff_seconds(attempt, first=0.5, cap=8.0))


def outbound_download(
    url: str,
    *,
    dest_file: BinaryIO,
    allow_private: bool = False,
    max_bytes: int | None = None,
    headers: dict[str, str] | None = None,
    connect_timeout: float | None = None,
    read_timeout: float | None = None,
    max_redirects: int | None = None,
    total_timeout: float = _DEFAULT_TOTAL_TIMEOUT,
) -> DownloadResult:
    """Stream a 2xx body into `dest_file` and describe it; raise OutboundError otherwise.

    The caller owns `dest_file` (a fresh temporary file per attempt: a failed download leaves a
    partial body in it). No retries here: the caller (a Celery task) retries with backoff.
    """

    connect_timeout, read_timeout, max_bytes, max_redirects = _defaults(
        connect_timeout, read_timeout, max_bytes, max_redirects
    )
    started = time.monotonic()
    digest = hashlib.sha256()
    size = 0
    head = b""
    with _session(allow_private) as session:
        response = _open(
            session, "GET", url, json=None, data=None, headers=headers,
            timeout=(connect_timeout, read_timeout), max_redirects=max_redirects,
        )  # fmt: skip
        with response:
            if not 200 <= response.status_code < 300:
                raise _status_error(response.status_code, response.url)
            stream = _stream(
                response, max_bytes=max_bytes, deadline=started + total_timeout, read_timeout=read_timeout
            )
            for chunk in stream:
                digest.update(chunk)
                dest_file.write(chunk)
                size += len(chunk)
                if len(head) < HEAD_BYTES:
                    head += chunk[: HEAD_BYTES - len(head)]
            final_url = response.url
            declared = response.headers.get("content-type", "")
    dest_file.flush()
    rereadable = all(getattr(dest_file, name, lambda: False)() for name in ("seekable", "readable"))
    sniffed = sniff_file(dest_file) if rereadable else sniff_bytes(head)
    return DownloadResult(
        sha256=digest.hexdigest(),
        size_bytes=size,
        sniffed_mime_type=sniffed.mime_type if sniffed else None,
        sniffed_media_type=sniffed.media_type if sniffed else None,
        declared_content_type=declared[:100],
        url=final_url,
        elapsed=time.monotonic() - started,
        head=head,
    )
