"""HTML pages and JSON routes: downloads are inert, bad input is refused, access holds."""

from __future__ import annotations

import base64

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ketenzicht.auth.enums import OrgType
from ketenzicht.evidence import keys, service
from ketenzicht.evidence.models import EvidenceItem
from tests.factories.auth import OrganisationFactory, UserFactory, csrf_headers, login
from tests.factories.evidence import make_evidence_case, make_item


@pytest.fixture
def police(db: Session):  # type: ignore[no-untyped-def]
    return UserFactory(organisation=OrganisationFactory(org_type=OrgType.POLITIE))


def _items(db: Session) -> int:
    return int(db.scalar(select(func.count()).select_from(EvidenceItem)) or 0)


def test_page_links_and_matrix(client: TestClient, db: Session, police) -> None:
    case = make_evidence_case(db, police)
    login(client, police.username)
    detail = client.get(f"/cases/{case.id}")
    assert f'href="/cases/{case.id}/evidence"' in detail.text
    page = client.get(f"/cases/{case.id}/evidence")
    assert page.status_code == 200
    assert 'data-element="middel" data-coverage="open"' in page.text
    assert "Verdachte 1" in page.text and "36 547" in page.text


def test_api_upload_link_matrix_and_inert_download(client: TestClient, db: Session,
                                                   police) -> None:
    case = make_evidence_case(db, police)
    suspect = service.suspects(case)[0]
    login(client, police.username)
    h = csrf_headers(client)
    html = b"<html><script>alert(1)</script></html>"
    r = client.post(f"/api/v1/cases/{case.id}/evidence/items", headers=h, json={
        "kind": "document", "title": "Pagina", "source": "Beslag", "obtained_on": "2026-11-01",
        "filename": "page.html", "content_base64": base64.b64encode(html).decode()})
    assert r.status_code == 201, r.text
    item = r.json()
    r = client.post(f"/api/v1/cases/{case.id}/evidence/items/{item['id']}/links", headers=h,
                    json={"element": "middel", "suspect_ids": [suspect.id],
                          "strength": "sterk"})
    assert r.status_code == 201, r.text
    matrix = client.get(f"/api/v1/cases/{case.id}/evidence/matrix").json()
    cell = next(c for row in matrix[0]["rows"] if row["subclause"] == "1"
                for c in row["cells"] if c["element"] == "middel")
    assert cell["coverage"] == "gedekt" and cell["item_ids"] == [item["id"]]
    download = client.get(f"/cases/{case.id}/evidence/items/{item['id']}/content")
    assert download.content == html
    assert download.headers["content-type"] == "application/octet-stream"
    assert download.headers["content-disposition"].startswith("attachment;")
    assert download.headers["x-content-type-options"] == "nosniff"


def test_bad_input_gets_clear_errors_and_stores_nothing(client: TestClient, db: Session,
                                                        police, settings) -> None:
    case = make_evidence_case(db, police)
    item = make_item(db, police, case)
    login(client, police.username)
    h = csrf_headers(client)
    before = _items(db)
    big = base64.b64encode(b"x" * (settings.evidence_max_upload_bytes + 1)).decode()
    r = client.post(f"/api/v1/cases/{case.id}/evidence/items", headers=h, json={
        "kind": "document", "title": "Groot", "source": "Bron", "obtained_on": "2026-11-01",
        "content_base64": big})
    assert r.status_code == 422
    assert "25 MB" in r.json()["detail"], r.json()  # in MB, not 25000000 bytes
    r = client.post(f"/api/v1/cases/{case.id}/evidence/items/{item.id}/links", headers=h,
                    json={"element": "bestaat_niet", "suspect_ids": [1], "strength": "zwak"})
    assert r.status_code == 422 and "bestaat_niet" in r.json()["detail"]
    other = make_evidence_case(db, UserFactory(
        organisation=OrganisationFactory(org_type=OrgType.KMAR)))
    r = client.post(f"/api/v1/cases/{other.id}/evidence/items", headers=h, json={
        "kind": "document", "title": "Niet van mij", "source": "Bron",
        "obtained_on": "2026-11-01", "content_base64": "eA=="})
    assert r.status_code == 403
    r = client.put(f"/api/v1/cases/{case.id}/evidence/setting", headers=h,
                   json={"framework": "273f-oud"})
    assert r.status_code == 422
    assert _items(db) == before


def test_form_upload_over_the_limit_is_refused(client: TestClient, db: Session, police,
                                               monkeypatch) -> None:
    case = make_evidence_case(db, police)
    login(client, police.username)
    client.app.state.settings.evidence_max_upload_bytes = 1000  # type: ignore[attr-defined]
    token = client.cookies.get("kz_csrf")
    r = client.post(f"/cases/{case.id}/evidence/items", data={
        "csrf_token": token, "kind": "document", "title": "Groot", "source": "Bron",
        "obtained_on": "2026-11-01"}, files={"file": ("groot.bin", b"x" * 1001)},
        follow_redirects=False)
    assert r.status_code == 422 and "0,001 MB" in r.text, r.text[-800:]
    assert _items(db) == 0
    # A body declaring more than the file limit (and the form's room) is refused unread.
    r = client.post(f"/cases/{case.id}/evidence/items", data={
        "csrf_token": token, "kind": "document", "title": "Heel groot", "source": "Bron",
        "obtained_on": "2026-11-01"}, files={"file": ("groot.bin", b"x" * 70_000)},
        follow_redirects=False)
    assert r.status_code == 413 and "0,001 MB" in r.text
    assert _items(db) == 0
    r = client.post(f"/cases/{case.id}/evidence/items", data={
        "csrf_token": token, "kind": "document", "title": "Klein", "source": "Bron",
        "obtained_on": "2026-11-01"}, files={"file": ("klein.txt", b"klein")},
        follow_redirects=False)
    assert r.status_code == 303, r.text[-800:]
    assert _items(db) == 1


def test_care_partner_of_the_case_is_refused(client: TestClient, db: Session, police) -> None:
    zorg = OrganisationFactory(org_type=OrgType.ZORG)
    case = make_evidence_case(db, police, participants=[
        {"org_id": zorg.id, "phase": "hulpverlening"}])
    carer = UserFactory(organisation=zorg)
    login(client, carer.username)
    assert client.get(f"/cases/{case.id}").status_code == 200
    assert client.get(f"/cases/{case.id}/evidence").status_code == 403
    assert client.get(f"/api/v1/cases/{case.id}/evidence/items").status_code == 403


def test_wage_form_refuses_impossible_hours_and_shows_holiday_pay(
        client: TestClient, db: Session, police) -> None:
    case = make_evidence_case(db, police)
    login(client, police.username)
    token = client.cookies.get("kz_csrf")
    form = {"csrf_token": token, "on": "2026-03-02", "period": "week", "hours": "200",
            "pay": "400", "pay_kind": "gross", "age": "30", "save": "on"}
    bad = client.post(f"/cases/{case.id}/evidence/wage", data=form)
    assert bad.status_code == 422 and "200" in bad.text and "168" in bad.text
    assert _items(db) == 0
    api = client.post(f"/api/v1/cases/{case.id}/evidence/wage-check", headers={
        "X-CSRF-Token": token or ""}, json={"on": "2026-03-02", "period": "day",
                                            "hours": "30", "pay": "100"})
    assert api.status_code == 422 and "24" in api.text
    ok = client.post(f"/cases/{case.id}/evidence/wage", data={
        **form, "hours": "40", "holiday_paid": "20", "save": ""})
    assert ok.status_code == 200
    assert 'id="wage-holiday">€ 27.07' in ok.text and 'id="wage-total">€ 215.47' in ok.text


def test_wage_form_and_dossier_downloads(client: TestClient, db: Session, police) -> None:
    case = make_evidence_case(db, police)
    make_item(db, police, case)
    login(client, police.username)
    token = client.cookies.get("kz_csrf")
    r = client.post(f"/cases/{case.id}/evidence/wage", data={
        "csrf_token": token, "on": "2026-03-02", "period": "week", "hours": "40",
        "pay": "400", "pay_kind": "gross", "age": "30", "ded_insurance": "50,00",
        "save": "on"})
    assert r.status_code == 200, r.text[:500]
    # 188.40 short + 50 without authorisation (typed with a Dutch comma: counted, not dropped)
    assert 'id="wage-arrears">€ 238.40' in r.text
    assert _items(db) == 2
    bad = client.post(f"/cases/{case.id}/evidence/wage", data={
        "csrf_token": token, "on": "2026-03-02", "period": "week", "hours": "40",
        "pay": "400", "pay_kind": "gross", "ded_insurance": "vijftig", "save": "on"})
    assert bad.status_code == 422 and "vijftig" in bad.text
    assert _items(db) == 2  # nothing saved from an unreadable amount
    pdf = client.get(f"/cases/{case.id}/evidence/dossier.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    z = client.get(f"/cases/{case.id}/evidence/dossier.zip")
    assert z.status_code == 200
    assert service.verify_dossier(z.content, public_keys=keys.trusted(db)).ok


def test_prosecutor_chooses_the_charged_sub_clauses_on_the_page(
        client: TestClient, db: Session, police) -> None:
    om_org = OrganisationFactory(org_type=OrgType.OM)
    om = UserFactory(organisation=om_org)
    case = make_evidence_case(db, police, participants=[
        {"org_id": om_org.id, "phase": "vervolging"}])
    suspect = case.persons[-1]
    login(client, police.username)
    page = client.get(f"/cases/{case.id}/evidence")
    assert f'id="charges-{suspect.id}"' not in page.text  # the police do not choose
    login(client, om.username)
    token = client.cookies.get("kz_csrf")
    page = client.get(f"/cases/{case.id}/evidence")
    assert f'id="charges-{suspect.id}"' in page.text
    r = client.post(f"/cases/{case.id}/evidence/charges", data={
        "csrf_token": token, "suspect_id": str(suspect.id), "subclauses": ["4"]},
        follow_redirects=True)
    assert r.status_code == 200
    assert (f'id="charge-{suspect.id}-4" name="subclauses" value="4" class="utrecht-checkbox '
            'utrecht-checkbox--html-input utrecht-checkbox--custom" checked>') in r.text
    assert "4°:" in r.text.split(f'data-conclusion="{suspect.id}"')[1][:300]


def test_who_may_see_a_statement_is_chosen_by_name_within_the_case(
        client: TestClient, db: Session, police) -> None:
    # Issue 23: people were named by typing account numbers, and items said "gebruiker 1".
    om_org = OrganisationFactory(org_type=OrgType.OM, name="Parket Proefstad")
    om = UserFactory(organisation=om_org, display_name="Mr. Officier Jansen")
    UserFactory(organisation=OrganisationFactory(org_type=OrgType.OM),
                display_name="Mr. Officier Elders")  # not on this case: never offered
    case = make_evidence_case(db, police, participants=[
        {"org_id": om_org.id, "phase": "vervolging"}])
    login(client, police.username)
    found = client.get(f"/cases/{case.id}/evidence/people", params={"q": "offic"})
    assert found.status_code == 200 and "<html" not in found.text
    assert "Mr. Officier Jansen (Parket Proefstad)" in found.text
    assert "Elders" not in found.text
    assert f'name="restricted_to" value="{om.id}"' in found.text
    assert "Niemand gevonden" in client.get(f"/cases/{case.id}/evidence/people",
                                            params={"q": "zzz"}).text
    token = client.cookies.get("kz_csrf")
    made = client.post(f"/cases/{case.id}/evidence/items", data={
        "csrf_token": token, "kind": "statement_victim", "title": "Verklaring",
        "source": "Verhoor", "obtained_on": "2026-11-01", "restricted_to": [str(om.id)]},
        files={"file": ("v.txt", b"verklaring")}, follow_redirects=False)
    assert made.status_code == 303, made.text[:300]
    page = client.get(f"/cases/{case.id}/evidence").text
    assert "Mag het inzien:" in page and "Mr. Officier Jansen (Parket Proefstad)" in page
    assert "(organisatie " not in page  # no account or organisation numbers
