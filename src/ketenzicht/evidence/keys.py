"""Dossier signing keys: the signer of an organisation, and the published public keys.

The private key file is read (or made) by ``signing``; this module keeps the database's
record of every public key in step with it, so that the key page and the verifier know
every key that has ever signed a dossier here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from ketenzicht.auth.service import Organisation
from ketenzicht.config import Settings
from ketenzicht.evidence import signing, timestamp
from ketenzicht.evidence.models import EvidenceSigningKey


def signer(session: Session, *, settings: Settings, organisation_id: int) -> Ed25519PrivateKey:
    """The organisation's private key (made on first use), its public key published."""
    key, _ = signing.load_or_create(signing.key_path(settings, organisation_id))
    public = key.public_key()
    kid = signing.key_id(public)
    if session.scalar(select(EvidenceSigningKey.id).where(EvidenceSigningKey.key_id == kid)) \
            is None:
        session.add(EvidenceSigningKey(organisation_id=organisation_id, key_id=kid,
                                       public_key_pem=signing.public_pem(public)))
        session.flush()
    return key


def organisation_name(session: Session, organisation_id: int) -> str:
    """The name the manifest and the key page give the signing organisation."""
    return session.get_one(Organisation, organisation_id).name


def stamper(settings: Settings) -> Callable[[bytes], bytes] | None:
    """The RFC 3161 stamp function when a timestamp authority is configured, else None."""
    url = settings.evidence_tsa_url
    if not url:
        return None
    return lambda data: timestamp.fetch(url, data, timeout=settings.evidence_tsa_timeout)


@dataclass(frozen=True)
class PublishedKey:
    """A public key as shown on the key page."""

    organisation: str
    key_id: str
    fingerprint: str
    pem: str
    created_at: str


def published(session: Session) -> list[PublishedKey]:
    """Every dossier-signing public key ever used here, oldest first, with its organisation.

    Public by design: a key is worthless for signing, and courts and the defence need it.
    """
    rows = session.execute(
        select(EvidenceSigningKey, Organisation.name)
        .join(Organisation, Organisation.id == EvidenceSigningKey.organisation_id)
        .order_by(EvidenceSigningKey.id)).all()
    return [PublishedKey(organisation=name, key_id=k.key_id,
                         fingerprint=signing.fingerprint(signing.load_public(
                             k.public_key_pem.encode())),
                         pem=k.public_key_pem, created_at=k.created_at.date().isoformat())
            for k, name in rows]


def trusted(session: Session) -> list[Ed25519PublicKey]:
    """The published public keys, to verify this installation's dossiers with."""
    pems = session.scalars(select(EvidenceSigningKey.public_key_pem)).all()
    return [signing.load_public(p.encode()) for p in pems]
