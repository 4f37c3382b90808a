"""Dossier export (PDF and signed ZIP) and tamper detection, in code and on the CLI."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from ketenzicht.auth.enums import OrgType
from ketenzicht.cli import app as cli_app
from ketenzicht.config import Settings, get_settings
from ketenzicht.evidence import dossier, reads, service
from ketenzicht.evidence.enums import KIND_LABELS
from ketenzicht.evidence.models import EvidenceItem
from tests.factories.auth import OrganisationFactory, UserFactory, actor
from tests.factories.evidence import make_evidence_case, make_item

KEY = b"k" * 32


def _rewrite(data: bytes, path: str, new: bytes) -> bytes:
    """The same ZIP with one member's bytes replaced (what a tamperer would do)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info.filename, new if info.filename == path else src.read(info))
    return out.getvalue()


def _sample() -> bytes:
    return dossier.build_zip(KEY, header={"case_id": 1}, files=[
        dossier.DossierFile("dossier.pdf", b"%PDF"),
        dossier.DossierFile("items/00001-a.bin", b"een", {"item_id": 1, "title": "Bank"}),
        dossier.DossierFile("items/00002-b.bin", b"twee", {"item_id": 2, "title": "Sms"})])


def test_intact_dossier_verifies() -> None:
    assert dossier.verify_zip(KEY, _sample()).ok


def test_altered_item_is_named() -> None:
    result = dossier.verify_zip(KEY, _rewrite(_sample(), "items/00002-b.bin", b"TWEE"))
    assert result.signature_valid and not result.ok
    assert result.altered == ("item 2 (Sms) — items/00002-b.bin",)


def test_bytes_edited_inside_the_zip_are_reported_not_raised() -> None:
    # A tamperer who edits a member in place (same length, CRC not updated) makes zipfile
    # itself refuse to read it: verification must name the item, not crash.
    data = bytearray(_sample())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("items/00002-b.bin")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start] ^= 0xFF  # one byte of the stored (compressed) payload
    result = dossier.verify_zip(KEY, bytes(data))
    assert result.signature_valid and not result.ok
    assert result.altered == ("item 2 (Sms) — items/00002-b.bin",)


def test_altered_manifest_breaks_the_signature() -> None:
    data = _sample()
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(data)).read(dossier.MANIFEST))
    manifest["files"][1]["sha256"] = "0" * 64
    result = dossier.verify_zip(KEY, _rewrite(data, dossier.MANIFEST,
                                              json.dumps(manifest).encode()))
    assert not result.signature_valid and not result.ok


@pytest.mark.parametrize("bad", [b"not a zip", b""])
def test_garbage_is_refused(bad: bytes) -> None:
    assert dossier.verify_zip(KEY, bad).problem == "not a ZIP file"


def test_other_key_and_added_file_are_caught() -> None:
    assert not dossier.verify_zip(b"x" * 32, _sample()).signature_valid
    src = zipfile.ZipFile(io.BytesIO(_sample()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
        dst.writestr("items/extra.bin", b"slipped in")
    assert dossier.verify_zip(KEY, out.getvalue()).unexpected == ("items/extra.bin",)


def test_key_is_derived_from_the_secret_not_the_secret() -> None:
    settings = Settings(secret_key="s" * 40)  # type: ignore[arg-type]
    key = dossier.signing_key(settings)
    assert key != b"s" * 40 and len(key) == 32
    assert key != dossier.signing_key(Settings(secret_key="t" * 40))  # type: ignore[arg-type]


def test_export_verify_on_the_cli_names_the_altered_item(db: Session, tmp_path: Path) -> None:
    police = UserFactory(organisation=OrganisationFactory(org_type=OrgType.POLITIE))
    case = make_evidence_case(db, police)
    first = make_item(db, police, case, content=b"bankafschrift", title="Bankafschrift")
    make_item(db, police, case, content=b"verkeersgegevens", title="Telecom")
    data = reads.export_zip(db, actor=actor(police), case_id=case.id, pdf=b"%PDF-1.7 test",
                            settings=get_settings())
    assert service.verify_dossier(data).ok
    good, bad = tmp_path / "goed.zip", tmp_path / "fout.zip"
    good.write_bytes(data)
    member = f"items/{first.id:05d}-{first.sha256[:12]}.bin"
    bad.write_bytes(_rewrite(data, member, b"bankafschrift, aangepast"))
    items_before = db.scalar(select(func.count()).select_from(EvidenceItem))
    runner = CliRunner()
    ok = runner.invoke(cli_app, ["evidence", "verify", str(good)])
    assert ok.exit_code == 0, ok.output
    assert "OK" in ok.output
    tampered = runner.invoke(cli_app, ["evidence", "verify", str(bad)])
    assert tampered.exit_code == 1
    assert f"ALTERED: item {first.id} (Bankafschrift)" in tampered.output
    assert "Telecom" not in tampered.output
    assert db.scalar(select(func.count()).select_from(EvidenceItem)) == items_before


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
