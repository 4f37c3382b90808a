"""The intake page's encoder (static/pprl/pprl.js) writes the bytes the Python encoder writes.

Run in Debian's Chromium through Web Crypto, on names and numbers that trip normalisers:
accents written both composed and combining, ß and ẞ, the Turkish dotted and dotless i,
Cyrillic, ligatures, emoji, surrounding and odd spaces, Dutch, Belgian, German and British
numbers in their local, international and 00 forms, and empty or unparseable fields.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest

from ketenzicht.signals.enums import LinkKind
from ketenzicht.signals.linkage import normalise
from ketenzicht.signals.pprl import keys
from ketenzicht.signals.pprl.encode import encode_record
from ketenzicht.signals.pprl.schema import published
from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser

KINDS = ("person", "employer", "address", "phone", "vehicle")
CASES: list[dict[str, str]] = [
    {"person": "Ana Popescu", "birth_year": "1994", "phone": "06-12345678"},
    {"person": "Popescu, Ána", "birth_year": " 1994 ", "phone": "+31 6 1234 5678"},
    {"person": "Zorica Vukadinović", "birth_year": "1991", "phone": "0031612345678"},
    {"person": "Straße Groß ẞ", "employer": "Kwekerij Plantoria B.V.",
     "address": "Dorpsstraat 12, 1234 ab Westland"},
    {"person": "İbrahim Yıldız", "birth_year": "1980", "employer": "Yıldız İnşaat GmbH"},
    {"person": "ILIJA ıi İI", "vehicle": "ab-12-cd"},
    {"person": "Коваленко Олена", "birth_year": "2001", "phone": "+32 470 12 34 56"},
    {"person": "Ёлка Щукина-Ъ", "phone": "0049 151 23456789", "vehicle": "B-XY 1234"},
    {"person": "Łukasz Søren Æsa Ǆemal ﬁona", "phone": "+49 (0)30 1234567"},
    {"person": "  ", "employer": "", "phone": "", "vehicle": "--", "address": "   "},
    {"person": "Ma\u0301ria Jose\u0301 e\u034fva", "phone": "06 1234",
     "birth_year": "\u00a01990\u2003"},
    {"person": "Nguyễn Thị Minh Khai", "phone": "not a number", "vehicle": "ß-ö-ǅ"},
    {"person": "Ἀθηνᾶ Σοφία ΟΔΟΣ", "employer": "Holding VOF Sp. z o.o.",
     "address": "Kerkstr. 3 2511AB"},
    {"person": "Mária O'Neil-Smith 3rd", "phone": "+31 (0)20 - 555 1234",
     "employer": "c.v. De Vries & Zn"},
    {"person": "🙂 Emoji 𝔄𝔫𝔫𝔞", "phone": "+44 7911 123456", "vehicle": "😀12"},
    {"person": "ana popescu", "birth_year": "1995", "phone": "+31 6 12345679"},
]

RUN = """async ([shares, schema, cases, kinds]) => {
  const m = await import("/static/pprl/pprl.js");
  const key = m.combineShares(shares);
  const out = {fingerprint: await m.fingerprint(key), encodings: [], norms: []};
  for (const record of cases) {
    out.encodings.push(await m.encodeRecord(record, key, schema));
    const norms = {};
    for (const kind of kinds) if (kind in record) norms[kind] = m.normalise(kind, record[kind]);
    out.norms.push(norms);
  }
  try { m.combineShares(shares.split("\\n").slice(1).join("\\n")); out.partial = "combined"; }
  catch (e) { out.partial = e.message; }
  return out;
}"""


def _in_browser(page: Any, live_server: LiveServer, shares: list[str]) -> dict[str, Any]:
    page.goto(f"{live_server.url}/login")
    page.add_script_tag(url="/static/vendor/libphonenumber/libphonenumber.js")
    schema = json.loads(resources.files("ketenzicht.signals.pprl")
                        .joinpath("schema_v1.json").read_text("utf-8"))
    result: dict[str, Any] = page.evaluate(RUN, ["\n".join(shares), schema, CASES, KINDS])
    return result


def test_browser_encodings_equal_pythons_byte_for_byte(page: Any,
                                                       live_server: LiveServer) -> None:
    shares = keys.keygen("2026", 3)
    key = keys.combine(shares)
    got = _in_browser(page, live_server, shares)
    assert got["fingerprint"] == key.fingerprint()
    assert "missing: 1" in got["partial"]
    for case, norms, encoded in zip(CASES, got["norms"], got["encodings"], strict=True):
        assert norms == {k: normalise(LinkKind(k), case[k]) for k in KINDS if k in case}, case
        assert encoded == encode_record(case, key, published()).to_json(), case
    # The table does reach every branch: Bloom and HMAC fields, and fields that encode to nothing.
    encodings = got["encodings"]
    assert {f for e in encodings for f in e["fields"]} == set(KINDS)
    assert encodings[9]["fields"] == {} and "phone" not in encodings[11]["fields"]
    assert encodings[0]["fields"]["phone"] == encodings[2]["fields"]["phone"]  # 06-… = 0031…
    assert encodings[0]["fields"]["person"] == encodings[1]["fields"]["person"]
    assert encodings[0]["fields"]["person"] != encodings[15]["fields"]["person"]  # salt differs
