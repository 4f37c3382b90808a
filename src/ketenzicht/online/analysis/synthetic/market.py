"""A second, independently structured labelled corpus: the ad market as the linker meets it.

:mod:`.corpus` gives every advertiser a text of her own, so text alone separates advertisers
and the linker scores near 1.0 there: an upper bound. This generator is built the other way
round, with a knob (:class:`Knobs`) for each phenomenon that broke the linker on an
independently written corpus:

* ``stock`` — short stock texts that unrelated advertisers copy from each other and from
  agencies; only name, age, city, price and number change (``stock_share`` of advertisers);
* short ads (median about 200 characters);
* ``network`` — a network running two or three numbers at once, tied only by the women
  advertised (same name and age, same city, within days);
* ``third_person``, ``agency`` and ``roster`` ads (a club lists the women present today);
* ``house_style`` — salons and clubs of different owners with the same wording;
* ``foreign_format`` — Belgian and German numbers in national formats with slashes and dots;
* ``photo_near_dup`` — near-duplicate photos (cropped, re-encoded, watermarked: the 64-bit
  perceptual hash differs in a few bits) and ``no_photo`` ads;
* ``scam`` — ads that copy the text and photos of a real advertiser under another number;
* ``repost`` (daily reposting), ``churn`` (a new number part-way) and ``recycled`` (a number
  given up by one advertiser and later used by an unrelated one);
* ``duo`` ads and a ``booking`` line shared by several women of one agency;
* ``bilingual`` place names (Antwerpen/Anvers, Den Haag/'s-Gravenhage);
* ``relative_date`` ("vandaag", "2 uur geleden").

Each :class:`MarketAd` carries the truth (advertiser, kind, concern) and the phenomena it
shows, so every figure can be reported per phenomenon. Same seed, same corpus.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Final

START: Final = date(2026, 9, 7)
DAYS: Final = 56
KINDS: Final = ("independent", "club", "salon", "agency", "network")
CONCERN: Final = frozenset({"network"})
# (share of advertisers, ads low, ads high)
MIX: Final = {"independent": (0.55, 2, 10), "club": (0.10, 8, 20), "salon": (0.10, 6, 16),
              "agency": (0.07, 8, 18), "network": (0.18, 10, 28)}
# City -> names it is written under (bilingual and official forms).
CITIES: Final = {
    "Amsterdam": ("Amsterdam",), "Rotterdam": ("Rotterdam",),
    "Den Haag": ("Den Haag", "'s-Gravenhage"), "Utrecht": ("Utrecht",),
    "Eindhoven": ("Eindhoven",), "Groningen": ("Groningen",), "Breda": ("Breda",),
    "Den Bosch": ("Den Bosch", "'s-Hertogenbosch"), "Arnhem": ("Arnhem",),
    "Maastricht": ("Maastricht",), "Antwerpen": ("Antwerpen", "Anvers"),
    "Brussel": ("Brussel", "Bruxelles"), "Gent": ("Gent", "Gand"), "Luik": ("Luik", "Liège"),
    "Aken": ("Aken", "Aachen"), "Keulen": ("Keulen", "Köln"), "Düsseldorf": ("Düsseldorf",),
}
COUNTRY: Final = {"Antwerpen": "BE", "Brussel": "BE", "Gent": "BE", "Luik": "BE",
                  "Aken": "DE", "Keulen": "DE", "Düsseldorf": "DE"}
NAMES: Final = (
    "Anna", "Bella", "Chloe", "Daria", "Elena", "Fleur", "Gabi", "Ioana", "Kasia", "Lara",
    "Maria", "Nadia", "Olga", "Petra", "Roxana", "Sofia", "Tanja", "Vera", "Yana", "Zoe",
    "Alina", "Bianca", "Carmen", "Denisa", "Emma", "Flavia", "Greta", "Hanna", "Irina", "Julia",
    "Katya", "Lena", "Mila", "Nina", "Oana", "Paula", "Rita", "Sara", "Tina", "Luna", "Noor",
)
# Stock texts: copied between unrelated advertisers and from agency templates.
STOCK: Final = (
    "Hoi, ik ben {name} ({age}), nieuw in {city}. Lief, sexy en discreet. Bel me!",
    "{name}, {age} jaar, net in {city}. Echte foto's. Alleen serieuze heren.",
    "Nieuw! {name} {age} jr in {city}. Massage en meer. Prive ontvangst.",
    "Sexy {name} ({age}) verwent je in {city}. Vanaf {price} euro. Bel of app.",
    "{name} is terug in {city}! {age} jaar, slank en lief. Ook weekend.",
    "Lekkere {name}, {age}, {city} centrum. Geen haast. Bel nu.",
)
# House style: one wording that several salons/clubs of different owners use.
HOUSE: Final = (
    "Welkom bij {biz} in {city}. Vandaag aanwezig: {roster}. Koffie staat klaar.",
    "{biz} {city}: gezellige sfeer, mooie dames. Vandaag: {roster}. Parkeren voor de deur.",
)
THIRD: Final = (
    "{name} ({age}) is deze week in {city}. Zij is lief en speels. Boek via ons.",
    "Onze {name}, {age} jaar, ontvangt in {city}. Zij spreekt Engels en Duits.",
)
DUO: Final = "Duo {name} ({age}) en {name2} ({age2}) in {city}. Samen of apart."
OWN_BITS: Final = (
    "Ik hou van {w1} en {w2}.", "Mijn {w1} kamer is {w2}.", "Graag {w1}, nooit {w2}.",
    "Jij bent {w1}? Ik ben {w2}.", "Liefst {w1} en {w2}.",
)
WORDS: Final = (
    "jazz", "wijn", "zeilen", "yoga", "tango", "sushi", "lavendel", "kaarslicht", "zijde",
    "marmer", "ochtendzon", "regen", "stilte", "zeelucht", "schaak", "poezie", "boeken", "salsa",
    "thee", "fietsen", "bergen", "musea", "rood", "goud", "fluweel", "jasmijn", "cello",
)
BIZ: Final = ("Venus", "Paradise", "Rose", "Oase", "Amour", "Lotus", "Bella Vista", "Eden",
              "Velvet", "Orchidee", "Diamond", "Palace")
# Generic filler every kind of advertiser writes (short ads still carry a line or two).
FILLER: Final = (
    "Ontvangst in een schone, discrete kamer.", "Ook escort naar hotel of thuis.",
    "Geen anoniem nummer.", "Alleen met afspraak, graag een half uur van tevoren.",
    "Douche aanwezig, parkeren gratis.", "Ik spreek Nederlands, Engels en Spaans.",
    "Massage, GFE, zoenen en meer.", "Open van 10 tot 22 uur, ook in het weekend.",
    "Niet op zondag.", "Eerst even appen aub.",
)
RELATIVE: Final = ("vandaag", "gisteren", "2 uur geleden", "30 minuten geleden",
                   "vanavond", "3 dagen geleden")


@dataclass(frozen=True)
class Knobs:
    """How much of each phenomenon the corpus holds (shares of advertisers or ads)."""

    stock_share: float = 0.45  # advertisers writing a stock text
    house_share: float = 0.5  # clubs/salons using a house style
    foreign_share: float = 0.1  # Belgian/German-written numbers (besides BE/DE cities)
    near_dup_share: float = 0.5  # ads whose photos are altered copies
    no_photo_share: float = 0.15
    scam_share: float = 0.06  # independents whose ads a scammer copies
    churn_share: float = 0.15  # advertisers that change number part-way
    recycled_share: float = 0.05  # numbers handed on to an unrelated advertiser
    repost_share: float = 0.3  # advertisers reposting daily
    duo_share: float = 0.08  # independents advertising as a duo
    relative_share: float = 0.4  # ads with a relative date
    bilingual_share: float = 0.5  # ads naming a city in its other language


@dataclass(frozen=True)
class MarketAd:
    """One ad, its true advertiser, and the phenomena it shows."""

    ad: dict[str, object]
    entity: str
    kind: str
    tags: tuple[str, ...]

    @property
    def concern(self) -> bool:
        """Whether the advertiser is a network of concern (the positive class)."""
        return self.kind in CONCERN


@dataclass
class _Adv:
    id: str
    kind: str
    numbers: list[tuple[str, str]]  # (country, national digits)
    template: str
    tags: set[str]
    personas: list[tuple[str, int, list[int]]]  # name, age, photo hashes
    cities: list[str]
    price: int
    biz: str = ""
    repost: bool = False
    churn_day: int = -1
    handle: str = ""
    extra: list[str] = field(default_factory=list)


class _Numbers:
    """Unique numbers per country; ``recycle`` hands a used one to a new owner."""

    def __init__(self, rng: random.Random) -> None:
        self.rng, self.taken = rng, set[str]()
        self.released: list[tuple[str, str]] = []

    def new(self, country: str) -> tuple[str, str]:
        while True:
            if country == "BE":
                digits = "04" + str(self.rng.randint(60, 99)) + "".join(
                    self.rng.choices("0123456789", k=6))
            elif country == "DE":
                digits = "01" + self.rng.choice(("51", "52", "57", "60", "62", "70", "76")) + \
                    "".join(self.rng.choices("0123456789", k=7))
            else:
                digits = "06" + str(self.rng.randint(1, 5)) + "".join(
                    self.rng.choices("0123456789", k=7))
            if digits not in self.taken:
                self.taken.add(digits)
                return country, digits


def _written(rng: random.Random, country: str, digits: str) -> str:
    """The number as a local would write it (slashes and dots in BE/DE)."""
    if country == "BE":
        return rng.choice((f"{digits[:4]}/{digits[4:6]}.{digits[6:8]}.{digits[8:]}",
                           f"{digits[:4]} {digits[4:6]} {digits[6:8]} {digits[8:]}",
                           f"+32 {digits[1:4]} {digits[4:]}"))
    if country == "DE":
        return rng.choice((f"{digits[:4]}/{digits[4:]}",
                           f"{digits[:4]}-{digits[4:7]} {digits[7:]}",
                           f"+49 {digits[1:4]} {digits[4:]}"))
    return rng.choice((digits, f"{digits[:2]}-{digits[2:]}",
                       f"{digits[:2]} {digits[2:6]} {digits[6:]}", f"+31 6 {digits[2:]}"))


def _photo(rng: random.Random) -> int:
    return rng.getrandbits(64)


def _near(rng: random.Random, h: int) -> int:
    """A cropped/re-encoded/watermarked copy: a few bits of the 64-bit hash flipped."""
    for bit in rng.sample(range(64), rng.randint(1, 5)):
        h ^= 1 << bit
    return h


def _own_text(rng: random.Random) -> str:
    bits = rng.sample(OWN_BITS, 2)
    return "Hoi, ik ben {name} ({age}) uit {city}. " + " ".join(
        b.format(w1=rng.choice(WORDS), w2=rng.choice(WORDS)) for b in bits)


def _advertiser(rng: random.Random, aid: str, kind: str, nums: _Numbers, k: Knobs) -> _Adv:
    tags: set[str] = set()
    home = rng.choice(list(CITIES))
    country = COUNTRY.get(home, "NL")
    if country == "NL" and rng.random() < k.foreign_share:
        country = rng.choice(("BE", "DE"))
    if country != "NL":
        tags.add("foreign_format")
    n_numbers = rng.randint(2, 3) if kind == "network" else 1
    numbers = []
    for _ in range(n_numbers):
        if nums.released and rng.random() < k.recycled_share:
            numbers.append(nums.released.pop())
            tags.add("recycled")
        else:
            numbers.append(nums.new(country))
    if kind in ("club", "salon") and rng.random() < k.house_share:
        template = rng.choice(HOUSE)
        tags.add("house_style")
    elif kind in ("club", "salon"):
        template = "{biz} in {city}. " + _own_text(rng).split(". ", 1)[1] + " Vandaag: {roster}."
        tags.add("roster")
    elif kind == "agency":
        template = rng.choice(THIRD)
        tags.update(("agency", "third_person"))
    elif rng.random() < k.stock_share:
        template = rng.choice(STOCK)
        tags.add("stock")
    else:
        template = _own_text(rng)
    if kind == "independent" and rng.random() < k.duo_share:
        template = DUO
        tags.add("duo")
    if kind == "network":
        tags.add("network")
    if kind == "agency":
        tags.add("booking")
    n_personas = {"independent": 1, "club": 6, "salon": 4, "agency": 5, "network": 4}[kind]
    if "duo" in tags:
        n_personas = 2
    personas = [(name, rng.randint(19, 38), [_photo(rng) for _ in range(2)])
                for name in rng.sample(NAMES, n_personas)]
    cities = (rng.sample(list(CITIES), rng.randint(3, 5)) if kind == "network" else [home])
    adv = _Adv(aid, kind, numbers, template, tags, personas, cities,
               price=rng.randint(60, 200), biz=f"Club {rng.choice(BIZ)}")
    adv.repost = rng.random() < k.repost_share
    if rng.random() < k.churn_share:
        adv.churn_day = rng.randint(10, DAYS - 10)
        adv.tags.add("churn")
    return adv


def _city_name(rng: random.Random, city: str, k: Knobs, tags: set[str]) -> str:
    forms = CITIES[city]
    if len(forms) > 1 and rng.random() < k.bilingual_share:
        tags.add("bilingual")
        return forms[1]
    return forms[0]


def _render(rng: random.Random, a: _Adv, day: int, persona: int, city: str, k: Knobs,
            number: tuple[str, str], tags: set[str]) -> dict[str, object]:
    name, age, photos = a.personas[persona]
    other = a.personas[(persona + 1) % len(a.personas)]
    shown = _city_name(rng, city, k, tags)
    roster = ", ".join(f"{n} ({g})" for n, g, _ in rng.sample(a.personas, min(3, len(a.personas))))
    body = a.template.format(name=name, age=age, city=shown, price=a.price, biz=a.biz,
                             roster=roster, name2=other[0], age2=other[1])
    body += " " + " ".join(rng.sample(FILLER, rng.randint(1, 3)))
    country, digits = number
    body += f" {rng.choice(('Bel', 'Tel', 'App', 'Bel/app'))} {_written(rng, country, digits)}."
    if rng.random() < k.relative_share:
        body = f"{rng.choice(RELATIVE).capitalize()}: {body}"
        tags.add("relative_date")
    images: list[str] = []
    if rng.random() < k.no_photo_share:
        tags.add("no_photo")
    else:
        for h in rng.sample(photos, rng.randint(1, 2)):
            if rng.random() < k.near_dup_share:
                h = _near(rng, h)
                tags.add("photo_near_dup")
            images.append(f"{h:016x}")
    region = COUNTRY.get(city, "NL")
    return {"title": f"{name} {shown}", "text": body, "city": shown,
            "posted_at": (START + timedelta(days=day)).isoformat(),
            "site": rng.choice(("markt-demo", "kontakt-demo", "rood-demo")), "region": region,
            "images": images}


def _ads(rng: random.Random, a: _Adv, n: int, k: Knobs, nums: _Numbers) -> list[MarketAd]:
    out: list[MarketAd] = []
    day = rng.randrange(DAYS // 2)
    stay, city_i = rng.randint(3, 7), 0
    start_day = day
    churned: tuple[str, str] | None = None
    while len(out) < n:
        if a.kind == "network" and day - start_day >= stay:  # the women move on together
            city_i, start_day, stay = (city_i + 1) % len(a.cities), day, rng.randint(3, 7)
        city = a.cities[city_i]
        persona = rng.randrange(len(a.personas))
        if a.kind == "network":  # each number advertises the woman of its own slot ...
            number = a.numbers[persona % len(a.numbers)]
            if rng.random() < 0.3:  # ... and sometimes a woman of another number
                number = rng.choice(a.numbers)
        else:
            number = a.numbers[0]
        if a.churn_day >= 0 and day >= a.churn_day:
            if churned is None:
                nums.released.append(a.numbers[0])
                churned = nums.new(a.numbers[0][0])
            number = churned if number == a.numbers[0] else number
        tags = set(a.tags)
        if a.repost and out:
            tags.add("repost")
        ad = _render(rng, a, min(day, DAYS - 1), persona, city, k, number, tags)
        out.append(MarketAd(ad, a.id, a.kind, tuple(sorted(tags))))
        day += 1 if a.repost else rng.randint(0, 3)
        if day >= DAYS:
            day = rng.randrange(DAYS)
    return out


def _scam(rng: random.Random, victim: list[MarketAd], sid: str, nums: _Numbers) -> list[MarketAd]:
    """A scammer copies a real advertiser's text and photos under a number of its own."""
    _, digits = nums.new("NL")
    out = []
    for src in rng.sample(victim, min(len(victim), rng.randint(1, 3))):
        ad = dict(src.ad)
        text = str(ad["text"])
        cut = text.rfind(" Bel") if " Bel" in text else text.rfind(" ")
        ad["text"] = text[:cut] + f" Alleen WhatsApp {digits}, vooruitbetaling."
        out.append(MarketAd(ad, sid, "scam", ("scam",)))
    return out


def generate(n: int, seed: int = 0, knobs: Knobs | None = None) -> list[MarketAd]:
    """``n`` labelled ads in a shuffled order, ids ``mk-<seed>-<i>``."""
    k = knobs or Knobs()
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    nums = _Numbers(rng)
    kinds = list(MIX)
    weights = [MIX[x][0] for x in kinds]
    out: list[MarketAd] = []
    while len(out) < n:
        kind = rng.choices(kinds, weights)[0]
        a = _advertiser(rng, f"m{seed}-{len(out)}", kind, nums, k)
        ads = _ads(rng, a, min(rng.randint(*MIX[kind][1:]), n - len(out)), k, nums)
        out.extend(ads)
        if kind == "independent" and rng.random() < k.scam_share and len(out) < n:
            out.extend(_scam(rng, ads, f"s{seed}-{len(out)}", nums)[: n - len(out)])
    rng.shuffle(out)
    for i, item in enumerate(out):
        item.ad["id"] = f"mk-{seed}-{i}"
    return out
