"""Phone extraction: every obfuscation style, and everything that must never be a phone."""

from __future__ import annotations

import pytest

from ketenzicht.online.analysis.extraction.normalize import fold
from ketenzicht.online.analysis.extraction.phones import extract, validate

NL = "+31612345678"

# (text, region, expected number, styles that must be reported)
STYLE_CASES = [
    # plain: conventional formats report no style at all
    ("Bel 06-12345678 voor een afspraak", "NL", NL, set()),
    ("Tel: +31 6 1234 5678", "NL", NL, set()),
    ("0031 6 12345678", "NL", NL, set()),
    ("+31 (0)6 12345678", "NL", NL, set()),
    ("bel0612345678nu", "NL", NL, set()),
    ("(020) 123 4567", "NL", "+31201234567", set()),
    ("(647) 795-6797", "CA", "+16477956797", set()),
    # spelled_words, in all six languages, whole, mixed, glued and in pairs
    ("nul zes een twee drie vier vijf zes zeven acht", "NL", NL, {"spelled_words"}),
    ("zero six one two three four five six seven eight", "NL", NL, {"spelled_words"}),
    ("cero seis uno dos tres cuatro cinco seis siete ocho", "NL", NL, {"spelled_words"}),
    ("zero șase unu doi trei patru cinci șase șapte opt", "NL", NL, {"spelled_words"}),
    ("zero sześć jeden dwa trzy cztery pięć sześć siedem osiem", "NL", NL, {"spelled_words"}),
    ("нула шест едно две три четири пет шест седем осем", "NL", NL, {"spelled_words"}),
    ("06-123vier5678", "NL", NL, {"spelled_words"}),
    ("ZEROsixONEtwoTHREEfourFIVEsixSEVENeight", "NL", NL, {"spelled_words"}),
    ("nul zes twaalf vierendertig zesenvijftig achtenzeventig", "NL", NL, {"spelled_words"}),
    ("zero six twelve thirty four fifty six seventy eight", "NL", NL, {"spelled_words"}),
    ("cero seis doce treinta y cuatro cincuenta y seis setenta y ocho", "NL", NL,
     {"spelled_words"}),
    ("3tothree 4three0 zerothree8seven 95hr", "US", "+13234300387", {"spelled_words"}),
    ("six oh two two two eight four one nine two", "US", "+16022284192", {"spelled_words"}),
    # lookalike_letters
    ("O6-l2345678", "NL", NL, {"lookalike_letters"}),
    ("o6 I2345678", "NL", NL, {"lookalike_letters"}),
    ("06|2345678", "NL", NL, {"lookalike_letters"}),
    ("o 6 1 2 3 4 5 6 7 8", "NL", NL, {"lookalike_letters"}),
    # separators
    ("0 6 1 2 3 4 5 6 7 8", "NL", NL, {"separators"}),
    ("0.6.1.2.3.4.5.6.7.8", "NL", NL, {"separators"}),
    ("06*12*34*56*78", "NL", NL, {"separators"}),
    ("06/12/34/56/78", "NL", NL, {"separators"}),
    ("06_12_34_56_78", "NL", NL, {"separators"}),
    ("587*800*2406", "CA", "+15878002406", {"separators"}),
    ("+9197;11;50;88;88", "IN", "+919711508888", {"separators"}),
    # unicode_digits
    ("０６１２３４５６７８", "NL", NL, {"unicode_digits"}),
    ("𝟎𝟔𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖", "NL", NL, {"unicode_digits"}),
    ("𝟘𝟞𝟙𝟚𝟛𝟜𝟝𝟞𝟟𝟠", "NL", NL, {"unicode_digits"}),
    ("06１２３４5678", "NL", NL, {"unicode_digits"}),
    # keycap_emoji, with and without the variation selector
    ("".join(f"{d}\ufe0f\u20e3" for d in "0612345678"), "NL", NL, {"keycap_emoji"}),
    ("".join(f"{d}\u20e3" for d in "0612345678"), "NL", NL, {"keycap_emoji"}),
    # zero_width
    ("06\u200b1234\u200c5678", "NL", NL, {"zero_width"}),
    ("0\u20606\u200d12345678\ufeff", "NL", NL, {"zero_width"}),
    # homoglyph: Cyrillic and Greek letters for 0 and 1
    ("О6 12345678", "NL", NL, {"homoglyph", "lookalike_letters"}),
    ("Ο6-Ι2345678", "NL", NL, {"homoglyph", "lookalike_letters"}),
    ("zеro six one two three four five six seven eight", "NL", NL,
     {"homoglyph", "spelled_words"}),
    # combinations
    ("0 6 - 1 2 3 vier 5 6 7 8", "NL", NL, {"spelled_words", "separators"}),
    ('+91 ..."EIGHT\'6869O537\'ONE', "IN", "+918686905371",
     {"spelled_words", "lookalike_letters", "separators"}),
]


@pytest.mark.parametrize(("text", "region", "number", "styles"), STYLE_CASES)
def test_obscured_numbers_are_found_and_their_style_named(
    text: str, region: str, number: str, styles: set[str]
) -> None:
    found = extract(fold(f"Hoi, bel me: {text} ! xx"), region)
    assert [e164 for e164, *_ in found] == [number]
    reported = set(found[0][1])
    assert styles <= reported
    if not styles:
        assert reported == set()


def test_a_plain_number_reports_no_style_even_in_an_emoji_ad() -> None:
    found = extract(fold("💋 Nieuw! ❤️ Bel 06-12345678 😘"), "NL")
    assert found[0][1] == ()


NEVER_A_PHONE = [
    ("€150 per uur, 30 min 80 euro, 1 uur 150, 2 uur 280", "NL"),
    ("Datum 12-03-2025, ook 2025-03-12 en 12/03/2025", "NL"),
    ("Open 14:00-02:00 en van 10.00 tot 23.00", "NL"),
    ("Postcode 1012 AB Amsterdam, Damstraat 12", "NL"),
    ("Lengte 1.75 m, 175 cm, 60 kg, maat 36C, 75D", "NL"),
    ("Ik ben 23 jaar, age: 24, I'm 25", "NL"),
    ("23 23 23 23 23 23 - 23 - 23", "NL"),
    ("ID# 195402, advertentie 4839201", "NL"),
    ("KvK 12345678, BTW NL123456789B01", "NL"),
    ("IBAN NL91ABNA0417164300", "NL"),
    ("Milan Corso Buenos Aires 11-17-2015/11-28-2015", "US"),
    ("RM300/hr/2 shots, 160cm, 59kg (36C 29 39) 18th December 2015 ~ 3PM", "MY"),
    ("24/7 beschikbaar, 100% echt, 5'7, 44\" booty", "NL"),
    ("een twee drie vier meiden", "NL"),
    ("someone often phones tonight, call for info, I am to late", "EN"),
    ("size 10, $65 deposit, 8pm until 4 am, *82 before dialing", "US"),
    ("prices 120 hh, 200 fh, 50qv/75/100", "US"),
    ("zes uur, twee meiden, drie dagen", "NL"),
    # decoys whose digits alone would pass validation (010 is Rotterdam, 020 Amsterdam,
    # 070 The Hague): only the never-a-phone masks keep these out
    ("Beschikbaar 01-02-2025 12:00 tot 20:00", "NL"),
    ("Vanaf 02.01.2025 12:00", "NL"),
    ("Betaal op IBAN NL43INGB0102030405", "NL"),
    ("Tarief 070 euro, 20 min 120 euro", "NL"),
    ("Order #0201234567 geplaatst", "NL"),
]


@pytest.mark.parametrize(("text", "region"), NEVER_A_PHONE)
def test_never_a_phone(text: str, region: str) -> None:
    assert extract(fold(text), region if region != "EN" else "GB") == []


def test_two_numbers_in_one_run_are_split() -> None:
    found = extract(fold("0612345678 0687654321"), "NL")
    assert [e for e, *_ in found] == [NL, "+31687654321"]


def test_a_bar_between_spaces_is_a_separator_when_a_one_makes_no_number() -> None:
    assert [e for e, *_ in extract(fold("Bel 06 | 12345678"), "NL")] == [NL]


def test_numbers_glued_to_prices_or_ages_are_still_found() -> None:
    found = extract(fold("€150 0612345678 23 23 23"), "NL")
    assert [e for e, *_ in found] == [NL]


def test_region_decides_national_numbers() -> None:
    assert extract(fold("PH: 0423 941 390"), "AU")[0][0] == "+61423941390"
    assert extract(fold("call 080 4225 6072"), "JP")[0][0] == "+818042256072"
    assert extract(fold("bel +40 712 345 678"), "NL")[0][0] == "+40712345678"


def test_bare_numbers_need_a_trunk_prefix_unless_they_are_mobile() -> None:
    assert validate("232323232", False, "NL") is None  # would be Haarlem without the 0
    assert validate("0232323232", False, "NL") == "+31232323232"
    assert validate("9711508888", False, "IN") == "+919711508888"  # Indian mobile, bare
    assert validate("612345678", False, "NL", strict=True) is None


def test_links_and_mail_addresses_are_not_phones_but_sentence_ends_are_no_links() -> None:
    assert extract(fold("zie www.site.nl/ad/0612345678 of mail 0612345678@gmail.com"), "NL") == []
    assert [e for e, *_ in extract(fold("Bel 0612345678.De rest later"), "NL")] == [NL]


def test_whatsapp_links_are_numbers() -> None:
    assert extract(fold("https://wa.me/31612345678"), "NL")[0][0] == NL


def test_evidence_quotes_the_original_text(extract) -> None:  # type: ignore[no-untyped-def]
    result = extract("App: 0\ufe0f\u20e36\ufe0f\u20e3 12345678 xx", title="Anna 06 12345678")
    assert result.phones[0].e164 == NL
    assert result.phones[0].styles == ("keycap_emoji",)
    # the plain title occurrence came first, but the obscured one is what an analyst needs
    evidence = result.phones[0].evidence
    assert evidence.field == "text"
    assert evidence.text == "0\ufe0f\u20e36\ufe0f\u20e3 12345678"
    assert result.to_json()["phone_obfuscation"][0]["evidence"] == evidence.text
