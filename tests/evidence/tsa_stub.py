"""A local RFC 3161 timestamp authority for tests: HTTP on 127.0.0.1, a self-signed cert.

It answers a TimeStampReq the way a real TSA does (RFC 3161 §2.4.2): a TimeStampResp
whose token is a CMS SignedData over a TSTInfo with the request's imprint and nonce,
signed over DER signed attributes (content type, message digest) with an EC P-256 key.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from asn1crypto import cms, core, tsp, x509
from cryptography import x509 as cx509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from ketenzicht.evidence import timestamp

GEN_TIME = datetime(2026, 12, 7, 1, 0, 0, tzinfo=UTC)


@dataclass
class Tsa:
    """The running stub: its URL, its certificate (PEM) and what it was asked."""

    url: str
    cert_pem: bytes
    requests: list[bytes]
    refuse: bool = False


def _cert(key: ec.EllipticCurvePrivateKey) -> cx509.Certificate:
    name = cx509.Name([cx509.NameAttribute(NameOID.COMMON_NAME, "Test TSA")])
    return (cx509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(1)
            .not_valid_before(GEN_TIME - timedelta(days=1))
            .not_valid_after(GEN_TIME + timedelta(days=365))
            .sign(key, hashes.SHA256()))


def answer(req_der: bytes, key: ec.EllipticCurvePrivateKey, cert: cx509.Certificate) -> bytes:
    """The DER TimeStampResp for one request."""
    req = tsp.TimeStampReq.load(req_der)
    tst = tsp.TSTInfo({
        "version": "v1", "policy": "1.2.3.4.1", "message_imprint": req["message_imprint"],
        "serial_number": 7, "gen_time": GEN_TIME, "nonce": req["nonce"],
        "tsa": x509.GeneralName(name="directory_name", value=x509.Name.build(
            {"common_name": "Test TSA"}))})
    content = tst.dump()
    attrs = cms.CMSAttributes([
        cms.CMSAttribute({"type": "content_type", "values": ["tst_info"]}),
        cms.CMSAttribute({"type": "message_digest",
                          "values": [hashlib.sha256(content).digest()]})])
    signature = key.sign(attrs.dump(), ec.ECDSA(hashes.SHA256()))
    a_cert = x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    signer = cms.SignerInfo({
        "version": "v1",
        "sid": cms.SignerIdentifier(name="issuer_and_serial_number", value={
            "issuer": a_cert.issuer, "serial_number": a_cert.serial_number}),
        "digest_algorithm": {"algorithm": "sha256"}, "signed_attrs": attrs,
        "signature_algorithm": {"algorithm": "sha256_ecdsa"}, "signature": signature})
    signed = cms.SignedData({
        "version": "v3", "digest_algorithms": [{"algorithm": "sha256"}],
        "encap_content_info": {"content_type": "tst_info",
                               "content": core.ParsableOctetString(content)},
        "certificates": [a_cert], "signer_infos": [signer]})
    token = cms.ContentInfo({"content_type": "signed_data", "content": signed})
    return tsp.TimeStampResp({"status": {"status": "granted"},
                              "time_stamp_token": token}).dump()


@contextmanager
def running() -> Iterator[Tsa]:
    """Serve the stub on a free port of 127.0.0.1 for the duration of the block."""
    key = ec.generate_private_key(ec.SECP256R1())
    cert = _cert(key)
    tsa = Tsa(url="", cert_pem=cert.public_bytes(serialization.Encoding.PEM), requests=[])

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            tsa.requests.append(body)
            if tsa.refuse:
                reply = timestamp.TimeStampResp({"status": {"status": "rejection"}}).dump()
            else:
                reply = answer(body, key, cert)
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args: object) -> None:
            """Quiet: the test reads what was asked from ``tsa.requests``."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    tsa.url = f"http://127.0.0.1:{server.server_address[1]}/tsa"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield tsa
    finally:
        server.shutdown()
        server.server_close()
