"""The network page words a reason's fact in the reader's language from its stored values,
and shows a reason stored before values were kept in English, marked as such."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from ketenzicht.online.workspace.networks.models import NetworkReason
from tests.factories.online import make_network


def test_the_network_page_words_a_new_reason_in_dutch_and_marks_an_old_one_english(
        police_client: TestClient, db: Session) -> None:
    network = make_network(db)
    db.add(NetworkReason(network_id=network.id, rank=2, code="ROTATING_PERSONAS", weight=0.2,
                         fact="5 names over 16 days, each advertised a median of 2.5 days",
                         params={"k": 5, "span_days": 16, "median_days": 2.5}, evidence=[]))
    db.commit()
    text = police_client.get(f"/online/networks/{network.id}").text
    assert '<span lang="nl">5 namen in 16 dagen, elk een mediaan van 2,5 dagen' in text
    assert '<span lang="en">2 names on one phone +31612345678</span>' in text  # stored before
    police_client.cookies.set("kz_lang", "en")
    english = police_client.get(f"/online/networks/{network.id}").text
    assert '<span lang="en">5 names over 16 days, each advertised a median of 2.5' in english
    report = police_client.get(f"/online/networks/{network.id}/report.json").json()
    assert {"k": 5, "span_days": 16, "median_days": 2.5} in [r["params"] for r in
                                                              report["reasons"]]
    pdf = police_client.get(f"/online/networks/{network.id}/report.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
