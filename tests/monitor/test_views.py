"""The dashboard pages: charts with tables and CSV, the figures upload, access."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from ketenzicht.auth.enums import OrgType, Role
from tests.factories.auth import login
from tests.factories.monitor import FIGURES_CSV, analyst


def _token(client: TestClient, path: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert found
    return found.group(1)


def _upload(client: TestClient, text: str, source: str = "Jaarrapport 2025") -> object:
    return client.post("/monitor/figures", data={"source": source,
                                                 "csrf_token": _token(client, "/monitor/figures")},
                       files={"file": ("cijfers.csv", text.encode(), "text/csv")})


def test_rapporteur_imports_figures_and_sees_the_funnel(client: TestClient, db: Session) -> None:
    login(client, analyst(db).username)
    response = _upload(client, FIGURES_CSV)
    assert response.status_code == 200, response.text  # type: ignore[attr-defined]
    assert "Jaarrapport 2025" in response.text  # type: ignore[attr-defined]
    page = client.get("/monitor?year=2024&form=all")
    assert page.status_code == 200
    assert '<svg role="img" aria-labelledby="funnel-title funnel-desc"' in page.text
    assert '<title id="funnel-title">' in page.text
    assert "<table" in page.text and "Jaarrapport 2025" in page.text
    assert "32%" in page.text  # 190 prosecutions of 280 investigations: 32% drop out
    # 3 forced-begging convictions beside a total of 120: the total is withheld with the
    # "<5" (else 120 minus the other forms would give it away), so no 37% drop-out either.
    assert "37%" not in page.text
    csv = client.get("/monitor/funnel.csv?form=forced_begging")
    assert csv.headers["content-type"].startswith("text/csv")
    assert "<5" in csv.text and ",3," not in csv.text


def test_bad_upload_names_the_row_and_imports_nothing(client: TestClient, db: Session) -> None:
    login(client, analyst(db, OrgType.COMENSHA, Role.COORDINATOR).username)
    response = _upload(client, "year,stage,form,count\n2024,cases,all,5\n2024,arrests,all,1\n")
    assert response.status_code == 422  # type: ignore[attr-defined]
    text = response.text  # type: ignore[attr-defined]
    assert "Rij 3" in text or "Row 3" in text
    assert "Jaarrapport 2025" not in text.split("<caption")[1].split("</table>")[0]


def test_upload_without_source_is_refused(client: TestClient, db: Session) -> None:
    login(client, analyst(db).username)
    response = _upload(client, FIGURES_CSV, source=" ")
    assert response.status_code == 422  # type: ignore[attr-defined]


def test_registrations_have_a_chart_table_and_csv_per_dimension(client: TestClient,
                                                                db: Session) -> None:
    login(client, analyst(db, OrgType.GEMEENTE, Role.COORDINATOR).username)
    page = client.get("/monitor/registrations")
    assert page.status_code == 200
    assert page.text.count('role="img"') == 4
    assert page.text.count("/monitor/registrations.csv?by=") == 4
    assert client.get("/monitor/registrations?year=").status_code == 200
    assert client.get("/monitor/registrations?year=nonsense").status_code == 200
    csv = client.get("/monitor/registrations.csv?by=nationality")
    assert csv.status_code == 200 and csv.text.startswith("nationality,registrations")


def test_dark_number_refresh_and_csv(client: TestClient, db: Session) -> None:
    login(client, analyst(db).username)
    page = client.get("/monitor/dark-number")
    assert page.status_code == 200 and "dark-title" in page.text
    refreshed = client.post("/monitor/dark-number/refresh",
                            data={"csrf_token": _token(client, "/monitor/dark-number")},
                            follow_redirects=False)
    assert refreshed.status_code == 303
    csv = client.get("/monitor/dark-number.csv")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")


def test_coordinator_may_view_but_not_refresh(client: TestClient, db: Session) -> None:
    login(client, analyst(db, OrgType.GEMEENTE, Role.COORDINATOR).username)
    assert "Recompute" not in client.get("/monitor/dark-number").text
    refused = client.post("/monitor/dark-number/refresh",
                          data={"csrf_token": _token(client, "/monitor/dark-number")},
                          follow_redirects=False)
    assert refused.status_code == 403


def test_police_medewerker_is_refused(client: TestClient, db: Session) -> None:
    login(client, analyst(db, OrgType.POLITIE).username)
    assert client.get("/monitor").status_code == 403
    assert client.get("/api/v1/monitor/funnel").status_code == 403


def test_api_never_gives_a_small_count(client: TestClient, db: Session) -> None:
    login(client, analyst(db).username)
    _upload(client, FIGURES_CSV)
    rows = client.get("/api/v1/monitor/funnel").json()
    small = next(r for r in rows if r["form"] == "forced_begging")
    assert small == {"source": "Jaarrapport 2025", "year": 2024, "form": "forced_begging",
                     "stage": "convictions", "count": None, "suppressed": True}
    assert client.get("/api/v1/monitor/registrations").status_code == 200
    assert client.get("/api/v1/monitor/dark-number").status_code == 200
