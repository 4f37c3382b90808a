"""Dossier export (PDF and signed ZIP) and tamper detection, in code and on the CLI."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import stat
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import pytest
from asn1crypto import tsp
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from ketenzicht.auth.enums import OrgType
from ketenzicht.cli import app as cli_app
from ketenzicht.config import Settings, get_settings
from ketenzicht.evidence import dossier, keys, reads, service, signing, timestamp
from ketenzicht.evidence.enums import KIND_LABELS
from ketenzicht.evidence.models import EvidenceItem
from tests.evidence import tsa_stub
from tests.factories.auth import OrganisationFactory, UserFactory, actor
from tests.factories.evidence import make_evidence_case, make_item

KEY = Ed25519PrivateKey.from_private_bytes(b"k" * 32)
PUBLIC = KEY.public_key()
OTHER = Ed25519PrivateKey.from_private_bytes(b"x" * 32)
HMAC_KEY = b"h" * 32


def _rewrite(data: bytes, path: str, new: bytes) -> bytes:
    """The same ZIP with one member's bytes replaced (what a tamperer would do)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info.filename, new if info.filename == path else src.read(info))
    return out.getvalue()


def _sample(key: Ed25519PrivateKey = KEY) -> bytes:
    return dossier.build_zip(key, header={"case_id": 1, "organisation": "Politie"}, files=[
        dossier.DossierFile("dossier.pdf", b"%PDF"),
        dossier.DossierFile("items/00001-a.bin", b"een", {"item_id": 1, "title": "Bank"}),
        dossier.DossierFile("items/00002-b.bin", b"twee", {"item_id": 2, "title": "Sms"})])


def _verify(data: bytes) -> dossier.Verification:
    return dossier.verify_zip(data, public_keys=[PUBLIC])


def _legacy(key: bytes) -> bytes:
    """A format-1 dossier exactly as the HMAC-signing code made it before Ed25519."""
    files = [("dossier.pdf", b"%PDF"), ("items/00001-a.bin", b"een")]
    manifest = json.dumps({"format": dossier.LEGACY_FORMAT, "case_id": 1,
                           "key_id": dossier.key_id(key), "signature_alg": "HMAC-SHA256",
                           "files": [{"path": p, "sha256": hashlib.sha256(d).hexdigest(),
                                      "size": len(d)} for p, d in files]},
                          sort_keys=True, ensure_ascii=False, indent=1).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for p, d in files:
            zf.writestr(p, d)
        zf.writestr(dossier.MANIFEST, manifest)
        zf.writestr(dossier.SIGNATURE, dossier.sign(key, manifest) + "\n")
    return out.getvalue()


def test_intact_dossier_verifies_with_the_public_key_alone() -> None:
    result = _verify(_sample())
    assert result.ok, result
    assert result.algorithm == "Ed25519" and result.key_id == signing.key_id(PUBLIC)
    assert result.signed_by == "Politie"


def test_manifest_publishes_the_public_key_but_it_is_not_trusted() -> None:
    body = json.loads(zipfile.ZipFile(io.BytesIO(_sample())).read(dossier.MANIFEST))
    assert signing.load_public(body["public_key"].encode()) == PUBLIC
    # A dossier signed by a forger carries the forger's key: it must not verify by itself.
    forged = _sample(OTHER)
    assert not dossier.verify_zip(forged, public_keys=[PUBLIC]).signature_valid
    assert dossier.verify_zip(forged).problem == "no public key given to check the signature with"


def test_altered_item_is_named() -> None:
    result = _verify(_rewrite(_sample(), "items/00002-b.bin", b"TWEE"))
    assert result.signature_valid and not result.ok
    assert result.altered == ("item 2 (Sms) — items/00002-b.bin",)


def test_bytes_edited_inside_the_zip_are_reported_not_raised() -> None:
    # A tamperer who edits a member in place (same length, CRC not updated) makes zipfile
    # itself refuse to read it: verification must name the item, not crash.
    data = bytearray(_sample())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("items/00002-b.bin")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start] ^= 0xFF  # one byte of the stored (compressed) payload
    result = _verify(bytes(data))
    assert result.signature_valid and not result.ok
    assert result.altered == ("item 2 (Sms) — items/00002-b.bin",)


def test_altered_manifest_breaks_the_signature() -> None:
    data = _sample()
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(data)).read(dossier.MANIFEST))
    manifest["files"][1]["sha256"] = "0" * 64
    result = _verify(_rewrite(data, dossier.MANIFEST, json.dumps(manifest).encode()))
    assert not result.signature_valid and not result.ok


@pytest.mark.parametrize("bad", [b"not a zip", b""])
def test_garbage_is_refused(bad: bytes) -> None:
    assert _verify(bad).problem == "not a ZIP file"


def test_other_key_and_added_file_are_caught() -> None:
    assert not dossier.verify_zip(_sample(), public_keys=[OTHER.public_key()]).ok
    src = zipfile.ZipFile(io.BytesIO(_sample()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
        dst.writestr("items/extra.bin", b"slipped in")
    result = _verify(out.getvalue())
    assert result.unexpected == ("items/extra.bin",) and not result.ok


def _with_member_first(data: bytes, name: str, payload: bytes) -> bytes:
    """The ZIP with a forged member of the same name put *before* the genuine one."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns "Duplicate name": the attack
        with zipfile.ZipFile(out, "w") as dst:
            dst.writestr(name, payload)
            for info in src.infolist():
                dst.writestr(info.filename, src.read(info))
    return out.getvalue()


@pytest.mark.parametrize("name", ["items/00001-a.bin", dossier.MANIFEST, dossier.PDF_NAME,
                                  dossier.SIGNATURE])
def test_duplicate_member_placed_before_the_genuine_one_is_refused(name: str) -> None:
    # Python's zipfile reads the last of two equal names, unzip may keep the first: the
    # forged one would be what a reader sees while the genuine one passes our check.
    forged = _with_member_first(_sample(), name, b"forged")
    result = _verify(forged)
    assert not result.ok and not result.signature_valid
    assert result.problem == f"refused member {name!r}: duplicate name"


def test_names_colliding_on_a_case_insensitive_disk_are_refused() -> None:
    result = _verify(_with_member_first(_sample(), "Manifest.json", b"{}"))
    assert result.problem == "refused member 'manifest.json': duplicate name"


def _with_info(data: bytes, info: zipfile.ZipInfo, payload: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for member in src.infolist():
            dst.writestr(member.filename, src.read(member))
        dst.writestr(info, payload)
    return out.getvalue()


@pytest.mark.parametrize(("name", "why"), [
    ("/etc/cron.d/x", "absolute path"), ("C:/x.bin", "absolute path"),
    ("items/../../evil.bin", "'..' or empty path segment"), ("../manifest.json",
                                                            "'..' or empty path segment"),
    ("items\\..\\x.bin", "backslash or NUL in name"), ("items/", "empty name or directory"),
])
def test_unsafe_member_names_are_refused(name: str, why: str) -> None:
    result = _verify(_with_info(_sample(), zipfile.ZipInfo(name), b"x"))
    assert not result.ok and result.problem == f"refused member {name!r}: {why}"


def test_symlink_member_is_refused() -> None:
    link = zipfile.ZipInfo("items/link.bin")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    result = _verify(_with_info(_sample(), link, b"/etc/passwd"))
    assert result.problem == "refused member 'items/link.bin': symbolic link"


def test_name_outside_the_manifest_is_refused() -> None:
    result = _verify(_with_info(_sample(), zipfile.ZipInfo("notes.txt"), b"x"))
    assert not result.ok and result.unexpected == ("notes.txt",)


def test_builder_refuses_unsafe_names() -> None:
    with pytest.raises(ValueError, match="not a dossier member name"):
        dossier.build_zip(KEY, header={}, files=[dossier.DossierFile("../x", b"")])


def test_legacy_hmac_dossier_still_verifies_with_the_server_secret() -> None:
    old = _legacy(HMAC_KEY)
    assert dossier.verify_zip(old, hmac_key=HMAC_KEY).ok
    assert not dossier.verify_zip(old, hmac_key=b"y" * 32).signature_valid
    assert not dossier.verify_zip(_rewrite(old, "items/00001-a.bin", b"EEN"),
                                  hmac_key=HMAC_KEY).ok
    # With only a public key (no secret) an HMAC dossier cannot be checked, and says why.
    assert "HMAC" in (dossier.verify_zip(old, public_keys=[PUBLIC]).problem or "")


def test_key_is_derived_from_the_secret_not_the_secret() -> None:
    settings = Settings(secret_key="s" * 40)  # type: ignore[arg-type]
    key = dossier.signing_key(settings)
    assert key != b"s" * 40 and len(key) == 32
    assert key != dossier.signing_key(Settings(secret_key="t" * 40))  # type: ignore[arg-type]


def test_rfc3161_token_from_a_local_tsa_is_added_and_checked() -> None:
    with tsa_stub.running() as tsa:
        data = dossier.build_zip(KEY, header={}, files=[dossier.DossierFile("a.bin", b"a")],
                                 stamp=lambda sig: timestamp.fetch(tsa.url, sig))
    assert len(tsa.requests) == 1
    zf = zipfile.ZipFile(io.BytesIO(data))
    sig = base64.b64decode(zf.read(dossier.SIGNATURE))
    req = tsp.TimeStampReq.load(tsa.requests[0])
    assert req["message_imprint"]["hashed_message"].native == hashlib.sha256(sig).digest()
    result = dossier.verify_zip(data, public_keys=[PUBLIC], tsa_cert=tsa.cert_pem)
    assert result.ok, result
    assert result.timestamp == tsa_stub.GEN_TIME.isoformat()
    # A token lifted from another dossier does not cover this signature.
    other = dossier.build_zip(KEY, header={"x": 1}, files=[dossier.DossierFile("a.bin", b"a")])
    moved = _with_info(other, zipfile.ZipInfo(dossier.TIMESTAMP), zf.read(dossier.TIMESTAMP))
    assert _verify(moved).problem == "timestamp token does not cover this signature"
    # Checked against another authority's certificate, the token's signature fails.
    with tsa_stub.running() as stranger:
        assert dossier.verify_zip(data, public_keys=[PUBLIC], tsa_cert=stranger.cert_pem
                                  ).problem == "timestamp token not signed by the given authority"


def test_refusing_tsa_stops_the_export() -> None:
    with tsa_stub.running() as tsa:
        tsa.refuse = True
        with pytest.raises(timestamp.TimestampError, match="refused: rejection"):
            timestamp.fetch(tsa.url, b"sig")


def test_key_file_is_made_once_outside_the_database(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "dossier-org-1.ed25519.pem"
    first, made = signing.load_or_create(path)
    again, made_again = signing.load_or_create(path)
    assert made and not made_again
    assert signing.key_id(first.public_key()) == signing.key_id(again.public_key())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.write_text("not a key")
    with pytest.raises(signing.KeyFileError, match="not an Ed25519 private key"):
        signing.load_or_create(path)


def _export(db: Session) -> tuple[bytes, EvidenceItem, str]:
    police = UserFactory(organisation=OrganisationFactory(org_type=OrgType.POLITIE))
    case = make_evidence_case(db, police)
    first = make_item(db, police, case, content=b"bankafschrift", title="Bankafschrift")
    make_item(db, police, case, content=b"verkeersgegevens", title="Telecom")
    data = reads.export_zip(db, actor=actor(police), case_id=case.id, pdf=b"%PDF-1.7 test",
                            settings=get_settings())
    (published,) = [k for k in keys.published(db)
                    if k.organisation == police.organisation.name]
    return data, first, published.pem


def test_export_verify_on_the_cli_names_the_altered_item(db: Session, tmp_path: Path) -> None:
    data, first, pem = _export(db)
    assert service.verify_dossier(data, public_keys=keys.trusted(db)).ok
    good, bad, key = tmp_path / "goed.zip", tmp_path / "fout.zip", tmp_path / "key.pem"
    good.write_bytes(data)
    key.write_text(pem)
    member = f"items/{first.id:05d}-{first.sha256[:12]}.bin"
    bad.write_bytes(_rewrite(data, member, b"bankafschrift, aangepast"))
    items_before = db.scalar(select(func.count()).select_from(EvidenceItem))
    runner = CliRunner()
    ok = runner.invoke(cli_app, ["evidence", "verify", "--public-key", str(key), str(good)])
    assert ok.exit_code == 0, ok.output
    assert "OK" in ok.output and "Ed25519" in ok.output
    tampered = runner.invoke(cli_app, ["evidence", "verify", "--public-key", str(key), str(bad)])
    assert tampered.exit_code == 1
    assert f"ALTERED: item {first.id} (Bankafschrift)" in tampered.output
    assert "Telecom" not in tampered.output
    assert db.scalar(select(func.count()).select_from(EvidenceItem)) == items_before


def test_export_key_lives_in_a_file_and_only_the_public_key_in_the_database(
        db: Session) -> None:
    data, _, pem = _export(db)
    body = json.loads(zipfile.ZipFile(io.BytesIO(data)).read(dossier.MANIFEST))
    assert body["public_key"] == pem and body["signature_alg"] == "Ed25519"
    files = list((get_settings().var_dir / "keys").glob("dossier-org-*.ed25519.pem"))
    assert len(files) == 1 and b"PRIVATE KEY" in files[0].read_bytes()
    assert "PRIVATE" not in pem


def test_dossier_verified_with_only_the_public_key_and_no_server_secret(
        db: Session, tmp_path: Path) -> None:
    data, first, pem = _export(db)
    (tmp_path / "d.zip").write_bytes(data)
    (tmp_path / "key.pem").write_text(pem)
    bad = _rewrite(data, f"items/{first.id:05d}-{first.sha256[:12]}.bin", b"x")
    (tmp_path / "bad.zip").write_bytes(bad)
    # A fresh process, as a court's clerk would run it: no KZ_ setting at all (so no secret,
    # no database), an empty working directory, and only the published public key.
    env = {k: v for k, v in os.environ.items() if not k.startswith("KZ_")}
    env["KZ_VAR_DIR"] = str(tmp_path / "empty")
    cmd = [sys.executable, "-c", "from ketenzicht.cli import main; main()", "evidence",
           "verify", "--public-key", "key.pem"]
    ok = subprocess.run([*cmd, "d.zip"], cwd=tmp_path, env=env, capture_output=True,
                        text=True, timeout=120, check=False)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "OK: d.zip is unaltered" in ok.stdout
    refused = subprocess.run([*cmd, "bad.zip"], cwd=tmp_path, env=env, capture_output=True,
                             text=True, timeout=120, check=False)
    assert refused.returncode == 1 and "ALTERED" in refused.stdout
    # No database was opened (SQLite would have made its file) and no key was made.
    assert not list((tmp_path / "empty").rglob("*"))


def test_pdf_renders_with_index_and_matrix(db: Session) -> None:
    police = UserFactory(organisation=OrganisationFactory(org_type=OrgType.POLITIE))
    case = make_evidence_case(db, police)
    make_item(db, police, case)
    from ketenzicht.core import pdf as pdf_renderer
    from ketenzicht.web.templating import render_document

    case_, items, mats = reads.dossier_data(db, actor=actor(police), case_id=case.id)
    html = render_document("evidence/dossier_pdf.html",
                           {"case": case_, "items": items, "matrices": mats,
                            "kind_labels": KIND_LABELS})
    assert "Bankafschrift" in html and "Verdachte 1" in html
    pdf = pdf_renderer.render(html)
    assert pdf.startswith(b"%PDF")
