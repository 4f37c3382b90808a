"""The workspace's pages and JSON routes, through the app with a logged-in investigator."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from ketenzicht.config import Settings
from ketenzicht.online.collection.models import Capture
from ketenzicht.online.workspace.networks.models import Network
from ketenzicht.online.workspace.views import map_csp
from tests.factories.auth import csrf_headers
from tests.factories.online import make_network, make_run


def test_list_filters_and_links_to_networks(police_client: TestClient, db: Session) -> None:
    run = make_run(db)
    north = make_network(db, run=run, key="north", cities=("Groningen",), phone="+31611112222")
    south = make_network(db, run=run, key="south", cities=("Breda",), phone="+31633334444")
    page = police_client.get("/online/networks")
    assert page.status_code == 200
    assert f"/online/networks/{north.id}" in page.text
    assert f"/online/networks/{south.id}" in page.text
    filtered = police_client.get("/online/networks", params={"region": "Noord-Brabant"})
    assert f"/online/networks/{south.id}" in filtered.text
    assert f"/online/networks/{north.id}" not in filtered.text
    assert police_client.get("/online/networks", params={"min_size": "x"}).status_code == 422


def test_network_page_shows_reasons_template_movement_and_map(
        police_client: TestClient, network: Network) -> None:
    page = police_client.get(f"/online/networks/{network.id}")
    assert page.status_code == 200
    text = page.text
    assert "2 names on one phone +31612345678" in text
    assert '<mark class="kz-slot"' in text and "Anna / Mia" in text
    assert 'class="kz-timeline"' in text and "Amsterdam" in text
    assert 'id="kz-map"' in text and "data-map=" in text
    assert "/online/captures/" in text
    # The tile server may serve images to this page, and nothing else may.
    assert "img-src 'self' data: https://service.pdok.nl" in page.headers["content-security-policy"]


def test_map_csp_without_tiles_is_the_app_csp() -> None:
    assert "pdok" not in map_csp(Settings(online_map_tile_url=""))


def test_triage_and_note_through_the_page(police_client: TestClient, network: Network) -> None:
    url = f"/online/networks/{network.id}"
    done = police_client.post(f"{url}/status", data={"status": "in_onderzoek", "version": "0",
                                                     "reason": "nummer bekend bij team"},
                              headers=csrf_headers(police_client), follow_redirects=False)
    assert done.status_code == 303
    police_client.post(f"{url}/notes", data={"text": "Foto's vergelijken"},
                       headers=csrf_headers(police_client))
    page = police_client.get(url).text
    assert "nummer bekend bij team" in page and "Foto&#39;s vergelijken" in page
    stale = police_client.post(f"{url}/status", data={"status": "gesloten", "version": "0",
                                                      "reason": "x"},
                               headers=csrf_headers(police_client))
    assert stale.status_code == 409
    no_csrf = police_client.post(f"{url}/notes", data={"text": "zonder token"})
    assert no_csrf.status_code == 403


def test_capture_is_replayed_sandboxed_with_its_hash(police_client: TestClient,
                                                     capture: Capture) -> None:
    page = police_client.get(f"/online/captures/{capture.id}")
    assert page.status_code == 200
    assert capture.sha256 in page.text and "kz-verified" in page.text
    frame = re.search(r"<iframe[^>]*>", page.text)
    assert frame and 'sandbox=""' in frame.group(0)
    assert f'src="/online/captures/{capture.id}/raw"' in frame.group(0)
    raw = police_client.get(f"/online/captures/{capture.id}/raw")
    csp = raw.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'none'" in csp and "sandbox" in csp
    assert "img-src 'self'" in csp and "frame-ancestors 'self'" in csp
    assert raw.headers["x-frame-options"] == "SAMEORIGIN"  # the page may frame it...
    page = police_client.get(f"/online/captures/{capture.id}")
    assert page.headers["x-frame-options"] == "DENY"  # ...but nothing frames the page
    assert b"<script>" in raw.content  # served as captured; the CSP keeps it inert


def test_search_page_and_watchlist(police_client: TestClient, network: Network) -> None:
    found = police_client.get("/online/search", params={"kind": "phone", "q": "06-123vier5678"})
    assert f"/online/networks/{network.id}" in found.text
    nothing = police_client.get("/online/search", params={"kind": "phone", "q": "geen"})
    assert nothing.status_code == 200 and "utrecht-alert--error" in nothing.text
    added = police_client.post("/online/watchlist", data={"kind": "phone", "value": "0612345678",
                                                          "label": "Anna"},
                               headers=csrf_headers(police_client), follow_redirects=False)
    assert added.status_code == 303
    listed = police_client.get("/online/watchlist").text
    assert "Anna" in listed and "+31612345678" in listed
    police_client.post(f"/online/networks/{network.id}/watch",
                       headers=csrf_headers(police_client))
    assert network.key[:24] in police_client.get("/online/watchlist").text


def test_image_search_upload(police_client: TestClient, db: Session) -> None:
    from ketenzicht.online.collection.demosite import _png
    from ketenzicht.online.collection.service import perceptual_hash

    data = _png(2, 2)
    net = make_network(db, key="photo", image=perceptual_hash(data))
    found = police_client.post("/online/search/image", files={"image": ("a.png", data)},
                               headers=csrf_headers(police_client))
    assert found.status_code == 200 and f"/online/networks/{net.id}" in found.text
    bad = police_client.post("/online/search/image", files={"image": ("a.png", b"nope")},
                             headers=csrf_headers(police_client))
    assert bad.status_code == 422


def test_make_signal_redirects_to_the_new_signal(police_client: TestClient,
                                                 network: Network) -> None:
    made = police_client.post(f"/online/networks/{network.id}/signal",
                              headers=csrf_headers(police_client), follow_redirects=False)
    assert made.status_code == 303 and made.headers["location"].startswith("/signals/")


def test_reports_download(police_client: TestClient, network: Network, capture: Capture) -> None:
    js = police_client.get(f"/online/networks/{network.id}/report.json")
    assert js.json()["captures"][0]["sha256"] == capture.sha256
    pdf = police_client.get(f"/online/networks/{network.id}/report.pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content[:4] == b"%PDF"


def test_api_list_status_search_and_watches(police_client: TestClient, network: Network
                                            ) -> None:
    listed = police_client.get("/api/v1/online/networks").json()
    assert listed["total"] == 1 and listed["networks"][0]["reasons"][0]["fact"]
    one = police_client.get(f"/api/v1/online/networks/{network.id}").json()
    assert one["key"] == network.key and one["status"] == "nieuw"
    changed = police_client.post(f"/api/v1/online/networks/{network.id}/status",
                                 json={"status": "geen_actie", "reason": "verhuisd"},
                                 headers=csrf_headers(police_client))
    assert changed.json()["status"] == "geen_actie"
    found = police_client.get("/api/v1/online/search", params={"kind": "phone",
                                                               "q": "+31 6 12345678"}).json()
    assert [n["id"] for n in found["networks"]] == [network.id]
    assert found["networks"][0]["status"] == "geen_actie"  # its triage, not always "new"
    made = police_client.post("/api/v1/online/watches", json={"kind": "handle",
                                                              "value": "telegram: @anna_nl"},
                              headers=csrf_headers(police_client))
    assert made.status_code == 201
    assert [w["kind"] for w in police_client.get("/api/v1/online/watches").json()] == ["handle"]
    gone = police_client.delete(f"/api/v1/online/watches/{made.json()['id']}",
                                headers=csrf_headers(police_client))
    assert gone.status_code == 204


def test_timeline_bars_stay_inside_the_strip(db: Session, network: Network) -> None:
    from ketenzicht.online.workspace import queries
    from ketenzicht.online.workspace.views import _timeline

    strip = _timeline(queries.network_detail(db, network=network))
    bars = [b for row in strip["rows"] for b in row["bars"]]
    assert {row["persona"] for row in strip["rows"]} == {"Anna", "Mia"}
    assert bars and all(strip["label"] <= b["x"] and b["x"] + b["w"] + 60 <= strip["width"]
                        for b in bars)
