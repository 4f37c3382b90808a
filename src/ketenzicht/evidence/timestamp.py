"""RFC 3161 timestamps of a dossier's signature, from a timestamp authority (TSA).

The token proves that the signature existed at the TSA's time, so a signing key that
leaks or is revoked later cannot be used to back-date a dossier. The request and the
token are built and read with ``asn1crypto`` (``tsp`` and ``cms`` modules); the TSA's
own signature over the token is checked with ``cryptography`` against its certificate.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

import httpx
from asn1crypto import cms, core, tsp
from cryptography import x509 as cx509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa

CONTENT_TYPE_QUERY = "application/timestamp-query"
CONTENT_TYPE_REPLY = "application/timestamp-reply"


class TimeStampResp(core.Sequence):  # type: ignore[misc]
    """RFC 3161 §2.4.2 TimeStampResp; asn1crypto's own wrongly makes the token mandatory,
    so a refusal (status only, as the RFC has it) would not even parse."""

    _fields: ClassVar[list[tuple[Any, ...]]] = [("status", tsp.PKIStatusInfo),
                                                ("time_stamp_token", cms.ContentInfo,
                                                 {"optional": True})]


class TimestampError(RuntimeError):
    """The TSA could not be reached, refused, or answered something that does not fit."""


def request(data: bytes, *, nonce: int) -> bytes:
    """A DER TimeStampReq for the SHA-256 of ``data``, asking for the TSA's certificate."""
    req = tsp.TimeStampReq({
        "version": "v1",
        "message_imprint": {"hash_algorithm": {"algorithm": "sha256"},
                            "hashed_message": hashlib.sha256(data).digest()},
        "nonce": nonce, "cert_req": True})
    return bytes(req.dump())


def fetch(url: str, data: bytes, *, timeout: float = 10.0) -> bytes:
    """Ask the TSA at ``url`` to stamp ``data``; the DER token (a CMS ContentInfo)."""
    nonce = secrets.randbits(63)
    try:
        answer = httpx.post(url, content=request(data, nonce=nonce), timeout=timeout,
                            headers={"Content-Type": CONTENT_TYPE_QUERY})
    except httpx.HTTPError as exc:
        raise TimestampError(f"timestamp authority unreachable: {exc}") from exc
    if answer.status_code != 200:
        raise TimestampError(f"timestamp authority answered HTTP {answer.status_code}")
    try:
        resp = TimeStampResp.load(answer.content)
        status = resp["status"]["status"].native
        token = resp["time_stamp_token"]
    except (ValueError, TypeError, KeyError) as exc:
        raise TimestampError("timestamp authority answered something unreadable") from exc
    if status not in ("granted", "granted_with_mods") or isinstance(token, core.Void):
        raise TimestampError(f"timestamp authority refused: {status}")
    der: bytes = token.dump()
    stamped = read(der, data)
    if stamped.nonce != nonce:
        raise TimestampError("timestamp token answers another request (nonce differs)")
    return der


@dataclass(frozen=True)
class Stamp:
    """What a token says: when, by whom, and whether it covers the data it came with."""

    gen_time: datetime
    tsa: str
    nonce: int | None
    covers_data: bool
    signer_valid: bool | None = None  # None: no TSA certificate was given to check with


def _tst_info(der: bytes) -> tuple[cms.SignedData, tsp.TSTInfo]:
    info = cms.ContentInfo.load(der)
    if info["content_type"].native != "signed_data":
        raise ValueError("not a CMS SignedData")
    signed: cms.SignedData = info["content"]
    content = signed["encap_content_info"]
    if content["content_type"].native != "tst_info":
        raise ValueError("not a timestamp token")
    return signed, content["content"].parsed


def read(der: bytes, data: bytes, *, tsa_cert: bytes | None = None) -> Stamp:
    """Read a token and check that it stamps the SHA-256 of ``data``.

    With ``tsa_cert`` (PEM or DER) the TSA's signature over the token is checked too.
    Raises ``ValueError`` when the bytes are not a timestamp token at all.
    """
    signed, tst = _tst_info(der)
    imprint = tst["message_imprint"]
    algo = imprint["hash_algorithm"]["algorithm"].native
    covers = algo == "sha256" and imprint["hashed_message"].native == \
        hashlib.sha256(data).digest()
    tsa_name = tst["tsa"]
    nonce = tst["nonce"].native
    return Stamp(gen_time=tst["gen_time"].native,
                 tsa="" if isinstance(tsa_name, core.Void) else str(tsa_name.native),
                 nonce=int(nonce) if nonce is not None else None, covers_data=covers,
                 signer_valid=None if tsa_cert is None else _signed_by(signed, tsa_cert))


def _signed_by(signed: cms.SignedData, cert_bytes: bytes) -> bool:
    """True when the token's (only) signer info verifies under the certificate's key."""
    cert = (cx509.load_pem_x509_certificate(cert_bytes) if cert_bytes.lstrip()
            .startswith(b"-----") else cx509.load_der_x509_certificate(cert_bytes))
    infos = signed["signer_infos"]
    if len(infos) != 1:
        return False
    info = infos[0]
    content = signed["encap_content_info"]["content"].contents
    digest_algo = info["digest_algorithm"]["algorithm"].native
    if digest_algo != "sha256":
        return False
    attrs = info["signed_attrs"]
    if isinstance(attrs, core.Void):
        return False
    digests = [a["values"][0].native for a in attrs if a["type"].native == "message_digest"]
    if digests != [hashlib.sha256(content).digest()]:
        return False
    # RFC 5652 §5.4: the signature covers the attributes DER-encoded as an explicit SET.
    signed_bytes = cms.CMSAttributes(list(attrs)).dump(force=True)
    signature = info["signature"].native
    key = cert.public_key()
    try:
        if isinstance(key, ed25519.Ed25519PublicKey):
            key.verify(signature, signed_bytes)
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, signed_bytes, ec.ECDSA(hashes.SHA256()))
        elif isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, signed_bytes, padding.PKCS1v15(), hashes.SHA256())
        else:
            return False
    except InvalidSignature:
        return False
    return True

