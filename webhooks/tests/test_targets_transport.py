"""Sending a delivery: over HTTPS to the address that was checked, with the receiver's name verified in its
certificate; a query string kept; a host that does not resolve, a bad port, a refused connection and a timeout are
each an answer without a status, never an exception."""

import datetime as dt
import http.server
import socket
import ssl
import threading
from collections.abc import Iterator

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from webhooks import targets
from webhooks.errors import UnsafeTarget

HOST = "hooks.school.example"  # resolved, in these tests, to 127.0.0.1


def self_signed(tmp_path, name: str) -> tuple[str, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return str(cert_path), str(key_path)


class Seen(http.server.BaseHTTPRequestHandler):
    paths: list[str] = []
    names: list[str] = []

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        Seen.paths.append(self.path)
        Seen.names.append(self.headers["Host"])
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def https_receiver(tmp_path) -> Iterator[tuple[int, str]]:
    """An HTTPS receiver on 127.0.0.1 with a certificate for HOST: its port, and the certificate's file."""
    cert, key = self_signed(tmp_path, HOST)
    server = http.server.HTTPServer(("127.0.0.1", 0), Seen)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    Seen.paths, Seen.names = [], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], cert
    server.shutdown()
    server.server_close()


@pytest.fixture
def host_is_local(monkeypatch, settings):
    """HOST resolves to 127.0.0.1 (loopback allowed, as while debugging)."""
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    real = socket.getaddrinfo

    def resolve(host, port, *args, **kwargs):
        return real("127.0.0.1" if host == HOST else host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)


def trusting(monkeypatch, cert: str) -> None:
    real = ssl.create_default_context
    monkeypatch.setattr(ssl, "create_default_context", lambda *a, **k: real(cafile=cert))


def test_an_https_delivery_goes_to_the_checked_address_and_verifies_the_receivers_name(
    https_receiver, host_is_local, monkeypatch
):
    port, cert = https_receiver
    trusting(monkeypatch, cert)

    answer = targets.post(f"https://{HOST}:{port}/hooks?tenant=7", b"{}", {"Content-Type": "application/json"})

    assert (answer.status_code, answer.error) == (204, "")
    assert Seen.paths == ["/hooks?tenant=7"]
    assert Seen.names == [f"{HOST}:{port}"]


def test_an_https_receiver_whose_certificate_is_not_trusted_is_refused(https_receiver, host_is_local):
    port, _ = https_receiver

    answer = targets.post(f"https://{HOST}:{port}/hooks", b"{}", {})

    assert answer.status_code is None
    assert "CERTIFICATE_VERIFY_FAILED" in answer.error
    assert Seen.paths == []


def test_a_certificate_for_another_name_is_refused(https_receiver, monkeypatch, settings):
    port, cert = https_receiver
    trusting(monkeypatch, cert)
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True

    answer = targets.post(f"https://127.0.0.1:{port}/hooks", b"{}", {})  # the certificate names HOST only

    assert answer.status_code is None
    assert "CERTIFICATE_VERIFY_FAILED" in answer.error


def test_a_refused_connection_is_an_answer_without_a_status(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]  # closed when the block ends: nothing listens there

    answer = targets.post(f"http://127.0.0.1:{port}/", b"{}", {})

    assert answer.status_code is None
    assert answer.error.startswith("ConnectionRefusedError")


def test_a_receiver_that_does_not_answer_in_time_is_a_timeout(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS, settings.WEBHOOKS_TIMEOUT_SECONDS = True, 0.3
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()  # accepts the connection, never answers

        answer = targets.post(f"http://127.0.0.1:{silent.getsockname()[1]}/", b"{}", {})

    assert answer.status_code is None
    assert "timed out" in answer.error


def test_a_host_that_does_not_resolve_is_refused_by_name(monkeypatch):
    def fail(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", fail)

    with pytest.raises(UnsafeTarget, match=r"'nowhere\.school\.example' cannot be resolved"):
        targets.resolve("https://nowhere.school.example/hooks")


@pytest.mark.parametrize("url", ["https://hooks.school.example:99999/", "https://hooks.school.example:x/", "ftp://a/"])
def test_a_url_with_a_bad_port_or_scheme_is_refused(url):
    with pytest.raises(UnsafeTarget, match="must be an http or https URL with a host"):
        targets.check(url)
