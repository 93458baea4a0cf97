"""HTTPS through the guard: the socket goes to the checked address, TLS still names the host."""

import datetime
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from integrations.http import BlockedAddressError, OutboundError, outbound_request


@pytest.fixture
def tls_server(tmp_path):
    """A loopback HTTPS server with a self-signed certificate that records the SNI it was sent."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    (tmp_path / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    server_names = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    context.sni_callback = lambda _sock, server_name, _ctx: server_names.append(server_name)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.end_headers()

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1], server_names
    httpd.shutdown()
    httpd.server_close()


def test_https_to_a_name_resolving_to_loopback_is_refused_before_any_handshake(tls_server):
    port, server_names = tls_server
    with pytest.raises(BlockedAddressError):
        outbound_request("GET", f"https://localhost:{port}/")
    assert server_names == []


def test_the_pinned_connection_still_sends_sni_and_verifies_the_certificate(tls_server):
    port, server_names = tls_server
    with pytest.raises(OutboundError, match="TLS with localhost failed") as failed:
        outbound_request("GET", f"https://localhost:{port}/", allow_private=True)
    assert failed.value.permanent  # a self-signed certificate will not verify on retry either
    assert server_names == ["localhost"]
