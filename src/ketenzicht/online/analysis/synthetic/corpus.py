"""A seeded, labelled corpus of advertisers for the linking and ranking benchmarks.

It plants, with their ground truth:

* ``hopping`` networks (of concern): two to four women at once, each moved every few days to
  another city, one or two phones (often a foreign mobile), one template with name, age and
  city slots, obscured numbers, low prices;
* ``salon`` networks (of concern): one city, one phone, a new young woman every week;
* ``club`` (not of concern): one city, a landline or plain mobile, a stable roster of names,
  market prices;
* ``independent`` (not of concern): one woman, her own text and number, one city, or two or
  three cities she works in turn (``independent_travelling``); some have a foreign mobile;
* site boilerplate (a footer per site, one with a premium-rate service number and an info@
  address that must not link anything) and every evasive phone spelling of :mod:`.ads`;
* photos: each woman's own perceptual hashes, reused across her ads, and a few stock photos
  that unrelated advertisers share (they must not link anything);
* ads of networks without any number ("reageer via de site"), found only by their text.

Each ad dict has the ``ketenzicht online link`` input shape; :class:`LabelledAd` adds the
entity, its kind, whether it is of concern, and the planted phone styles. Same seed, same
corpus.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

import phonenumbers as pn

from ketenzicht.online.analysis.synthetic import texts
from ketenzicht.online.analysis.synthetic.ads import STYLES, render

START: Final = date(2026, 8, 3)
DAYS: Final = 84
KINDS: Final = ("hopping", "salon", "club", "independent", "independent_travelling")
CONCERN: Final = frozenset({"hopping", "salon"})
# Share of ads per kind, and ads per entity (low, high).
MIX: Final = {"hopping": (0.18, 10, 36), "salon": (0.14, 10, 30), "club": (0.14, 10, 36),
              "independent": (0.38, 1, 8), "independent_travelling": (0.16, 3, 10)}
CITIES: Final = (
    "Amsterdam", "Rotterdam", "Den Haag", "Utrecht", "Eindhoven", "Groningen", "Tilburg",
    "Almere", "Breda", "Nijmegen", "Haarlem", "Arnhem", "Zwolle", "Hoofddorp", "Zaandam",
    "Enschede", "Apeldoorn", "Amersfoort", "Maastricht", "Leiden", "Dordrecht", "Zoetermeer",
    "Den Bosch", "Leeuwarden", "Alkmaar", "Venlo", "Deventer", "Delft", "Heerlen", "Emmen",
)
NAMES: Final = (
    "Anna", "Bella", "Chloe", "Daria", "Elena", "Fleur", "Gabi", "Ioana", "Kasia", "Lara",
    "Maria", "Nadia", "Olga", "Petra", "Roxana", "Sofia", "Tanja", "Vera", "Yana", "Zoe",
    "Alina", "Bianca", "Carmen", "Denisa", "Emma", "Flavia", "Greta", "Hanna", "Irina", "Julia",
    "Katya", "Lena", "Mila", "Nina", "Oana", "Paula", "Rita", "Sara", "Tina", "Ursula",
    "Valentina", "Wendy", "Xenia", "Yasmin", "Zara", "Adriana", "Beatriz", "Camila", "Diana",
    "Eva", "Fatima", "Gloria", "Helena", "Isabel", "Jasmijn", "Kim", "Lisa", "Monique",
    "Natasha", "Patricia", "Renata", "Simona", "Teodora", "Viktoria", "Luna", "Noor", "Jade",
)
SITES: Final = {
    "kinky-demo": "Geplaatst via Kinky Demo. Meld misbruik bij info@kinky-demo.nl.",
    "sexjobs-demo": "Alle advertenties op Sexjobs Demo zijn gecontroleerd. Klantenservice "
                    "0900-1234567 (80 cent per minuut).",
    "redlights-demo": "Redlights Demo: veilig afspreken begint hier. Lees onze tips.",
    "escort-demo": "Via Escort Demo gevonden? Zeg het erbij!",
}
FOREIGN: Final = ("RO", "BG", "PL", "HU", "ES", "DE")
CONCERN_EXTRA: Final = (
    "Jong meisje, net 18 en nieuw in dit werk.", "Roemeense schoonheid, heel lief.",
    "100% echte foto's, geen nep!", "Onze meiden staan voor je klaar.", "Bereikbaar 24/7.",
    "Bulgaarse dame, spreekt weinig Nederlands.", "Latina met een lekker lijf.",
)
STOCK_PHOTOS: Final = ("c3a5e1f00f1e5a3c", "ffe0c0808080c0ff", "0f0f0f0ff0f0f0f0",
                       "aa55aa55aa55aa55", "81c3e7ffffe7c381")
NO_PHONE_SHARE: Final = 0.08  # network ads that give no number at all
OWN_EXTRA: Final = ("Echte foto's, wat je ziet is wat je krijgt.", "Alleen op afspraak.",
                    "Nieuw in de stad, maar een paar dagen!", "Geen haast bij mij.")


@dataclass(frozen=True)
class LabelledAd:
    """One ad and its ground truth."""

    ad: dict[str, object]
    entity: str
    kind: str
    phones: tuple[str, ...]
    styles: tuple[str, ...]
    foreign_mobile: bool

    @property
    def concern(self) -> bool:
        """Whether the entity is a network of concern (the positive class)."""
        return self.kind in CONCERN


def _phone(rng: random.Random, kind: str, taken: set[str]) -> tuple[str, str]:
    """A valid number as (E.164, digits as an ad would write them), not in ``taken``.

    A number belongs to one subscriber: two advertisers drawing the same number would be
    labelled apart while the linker rightly joins them (at a million ads, some 230 such
    draws cost 0.0016 of B-cubed precision before numbers were kept unique).
    """
    while True:
        if kind == "nl":
            digits = "06" + str(rng.randint(1, 5)) + "".join(rng.choices("0123456789", k=7))
            region = "NL"
        elif kind == "landline":
            digits = rng.choice(("020", "010", "070", "030", "040")) + "".join(
                rng.choices("0123456789", k=7))
            region = "NL"
        else:
            region = rng.choice(FOREIGN)
            example = pn.example_number_for_type(region, pn.PhoneNumberType.MOBILE)
            assert example is not None
            nsn = str(example.national_number)
            digits = f"+{example.country_code}{nsn[:3]}" + "".join(
                rng.choices("0123456789", k=len(nsn) - 3))
        number = pn.parse(digits, region)
        e164 = pn.format_number(number, pn.PhoneNumberFormat.E164)
        if pn.is_valid_number(number) and e164 not in taken:
            taken.add(e164)
            return e164, digits


def _write(rng: random.Random, digits: str, obscure: float) -> tuple[str, str]:
    style = "plain" if rng.random() >= obscure else rng.choice(STYLES[1:])
    if style in ("lookalike_letters", "homoglyph", "mixed") and not set("01") & set(digits[1:]):
        style = "separators"
    text, _ = render(rng, digits, style)
    return text, style


def _decoys(rng: random.Random) -> str:
    pool = (f"Lengte {rng.randint(155, 182)} cm", f"maat {rng.randint(34, 42)}",
            f"postcode {rng.randint(1000, 9999)} {rng.choice(('AB', 'KL', 'XZ'))}",
            f"open van {rng.randint(10, 14)}:00 tot 23:00",
            f"vanaf {rng.randint(1, 28)}-{rng.randint(9, 11)}-2026")
    return ". ".join(rng.sample(pool, 2)) + "."


@dataclass
class _Entity:
    id: str
    kind: str
    phones: list[tuple[str, str]]
    text: str
    sites: list[str]
    obscure: float
    price: int
    foreign: bool


def _entity(rng: random.Random, eid: str, kind: str, taken: set[str]) -> _Entity:
    concern = kind in CONCERN
    if kind == "hopping":
        phone_kinds = ["foreign" if rng.random() < 0.6 else "nl" for _ in range(rng.randint(1, 2))]
    elif kind == "club":
        phone_kinds = ["landline" if rng.random() < 0.6 else "nl"]
    else:
        phone_kinds = ["foreign" if kind.startswith("independent") and rng.random() < 0.15
                       else "nl"]
    extra = tuple(rng.sample(CONCERN_EXTRA, rng.randint(1, 3))) if concern else tuple(
        rng.sample(OWN_EXTRA, rng.randint(0, 1)))
    if kind == "club":
        extra += (f"Vandaag aanwezig in club {rng.choice(texts.ADJ).title()} "
                  f"{rng.choice(('Venus', 'Paradise', 'Rose', 'Oase', 'Amour'))}.",)
    sites = rng.sample(list(SITES), 2 if concern and rng.random() < 0.5 else 1)
    phones = [_phone(rng, k, taken) for k in phone_kinds]
    return _Entity(eid, kind, phones, texts.own_text(rng, extra), sites,
                   obscure=0.75 if concern else 0.2,
                   price=rng.randint(50, 90) if concern else rng.randint(110, 220),
                   foreign="foreign" in phone_kinds)


def _schedule(rng: random.Random, kind: str, n: int) -> list[tuple[str, str, int]]:
    """(persona, city, day offset) for each of ``n`` ads."""
    names = rng.sample(NAMES, 14)
    if kind == "hopping":
        out = []
        for persona in names[:rng.randint(2, 4)]:
            day = rng.randint(0, 20)
            while day < DAYS:
                city, stay = rng.choice(CITIES), rng.randint(2, 5)
                out += [(persona, city, day + rng.randrange(stay))
                        for _ in range(rng.randint(1, 2))]
                day += stay
        return sorted(rng.sample(out, min(n, len(out))), key=lambda x: x[2])
    if kind == "salon":
        city, out = rng.choice(CITIES), []
        for week in range(DAYS // 7):
            persona = names[week % len(names)]
            out += [(persona, city, week * 7 + rng.randrange(7)) for _ in range(rng.randint(1, 3))]
        return sorted(rng.sample(out, min(n, len(out))), key=lambda x: x[2])
    if kind == "club":
        city, roster = rng.choice(CITIES), names[:rng.randint(5, 10)]
        return sorted(((rng.choice(roster), city, rng.randrange(DAYS)) for _ in range(n)),
                      key=lambda x: x[2])
    persona = names[0]
    if kind == "independent":
        city = rng.choice(CITIES)
        return sorted(((persona, city, rng.randrange(DAYS)) for _ in range(n)), key=lambda x: x[2])
    own = rng.sample(CITIES, rng.randint(2, 3))  # she works her own cities in turn, weeks long
    stay = rng.randint(7, 21)
    return sorted(((persona, own[(d // stay) % len(own)], d)
                   for d in (rng.randrange(DAYS) for _ in range(n))), key=lambda x: x[2])


def _ads(rng: random.Random, e: _Entity, n: int) -> Iterator[LabelledAd]:
    ages: dict[str, int] = {}
    photos: dict[str, list[str]] = {}
    concern = e.kind in CONCERN
    for persona, city, day in _schedule(rng, e.kind, n):
        age = ages.setdefault(persona, rng.randint(18, 24) if concern else rng.randint(21, 45))
        own = photos.setdefault(persona, [f"{rng.getrandbits(64):016x}" for _ in range(3)])
        images = rng.sample(own, rng.randint(1, 2))
        if rng.random() < 0.05:
            images.append(rng.choice(STOCK_PHOTOS))
        e164, digits = rng.choice(e.phones)
        body = texts.edit(rng, e.text, rng.randint(0, 4 if concern else 2)).format(
            name=persona, age=age, city=city, price=e.price)
        site = rng.choice(e.sites)
        if concern and rng.random() < NO_PHONE_SHARE:
            e164, written, style = "", "", "none"
            contact = rng.choice(("Reageer via de site.", "Stuur een bericht via dit platform."))
        else:
            written, style = _write(rng, digits, e.obscure)
            cue = rng.choice(("Bel", "Tel:", "WhatsApp", "Bel of app", "SMS"))
            contact = f"{cue} {written}."
        sentences = [body, contact, _decoys(rng), SITES[site]]
        title = f"{persona} {rng.choice(('in', 'escort', 'privé', 'nu in'))} {city}"
        posted = START + timedelta(days=min(day, DAYS - 1))
        yield LabelledAd(
            {"title": title, "text": " ".join(sentences), "city": city,
             "posted_at": posted.isoformat(), "site": site, "region": "NL", "images": images},
            e.id, e.kind, (e164,) if e164 else (), (style,), e.foreign)


def generate(n: int, seed: int = 0) -> list[LabelledAd]:
    """``n`` labelled ads in a shuffled order, ids ``ad-<seed>-<i>``."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    kinds = list(MIX)
    weights = [MIX[k][0] / ((MIX[k][1] + MIX[k][2]) / 2) for k in kinds]  # entities per kind
    out: list[LabelledAd] = []
    taken: set[str] = set()
    while len(out) < n:
        kind = rng.choices(kinds, weights)[0]
        entity = _entity(rng, f"e{seed}-{len(out)}", kind, taken)
        out.extend(_ads(rng, entity, min(rng.randint(*MIX[kind][1:]), n - len(out))))
    rng.shuffle(out)
    for i, item in enumerate(out):
        item.ad["id"] = f"ad-{seed}-{i}"
    return out
