"""Seeded generator of synthetic escort ads with planted, evasively written phone numbers.

Every ad is about 500 characters of Dutch or English ad prose with decoys that must never be
read as phone numbers (prices, dates, times, postcodes, heights, weights, ages, ad ids, house
numbers, number words in prose) and zero, one or two planted numbers, each written in one
obfuscation style.  The ground truth travels with the ad, so extraction, linking and
benchmark code can all score against it.  Same seed, same corpus.

Used by ``benchmarks/online/bench_extract.py``, the demo site and the tests; the labelled
network corpus (:mod:`ketenzicht.online.analysis.synthetic.corpus`) writes its phones with it.
Kept dependency-free apart from phonenumbers.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

import phonenumbers as pn

STYLES = (
    "plain",
    "spelled_words",
    "lookalike_letters",
    "separators",
    "unicode_digits",
    "keycap_emoji",
    "zero_width",
    "homoglyph",
    "mixed",
)

# Expected style labels per planted style; "mixed" is checked per component.
EXPECTED = {
    "plain": set(),
    "spelled_words": {"spelled_words"},
    "lookalike_letters": {"lookalike_letters"},
    "separators": {"separators"},
    "unicode_digits": {"unicode_digits"},
    "keycap_emoji": {"keycap_emoji"},
    "zero_width": {"zero_width"},
    "homoglyph": {"homoglyph"},
}

WORDS = {
    "nl": ["nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen"],
    "en": ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"],
    "es": ["cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"],
    "ro": ["zero", "unu", "doi", "trei", "patru", "cinci", "șase", "șapte", "opt", "nouă"],
    "pl": [
        "zero",
        "jeden",
        "dwa",
        "trzy",
        "cztery",
        "pięć",
        "sześć",
        "siedem",
        "osiem",
        "dziewięć",
    ],
    "bg": ["нула", "едно", "две", "три", "четири", "пет", "шест", "седем", "осем", "девет"],
}
UNICODE_DIGIT_BASES = (0xFF10, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6)
ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")
HOMOGLYPH_ZERO = ("О", "о", "Ο", "ο")  # Cyrillic and Greek O
HOMOGLYPH_ONE = ("І", "ӏ", "Ι")  # Cyrillic/Greek I and palochka
_NEEDS_0_OR_1 = ("lookalike_letters", "homoglyph", "mixed")
ODD_SEPS = (" ", ".", "-", "*", "/", "_", " . ", "~", " - ")

NL_FILLER = [
    "Hoi lieverd, ik ben {name}, een lieve en sportieve dame met een mooi figuur.",
    "Ik ontvang je graag in mijn schone en discrete appartement.",
    "Geen haast, alles in alle rust en met respect.",
    "Ik spreek Nederlands, Engels en een beetje Duits.",
    "Bel me gerust voor een afspraak of meer informatie.",
    "Kom langs voor een ontspannen massage en een gezellig uurtje.",
    "Ik ben er voor heren die houden van kwaliteit en hygiëne.",
    "Twee meiden tegelijk is ook mogelijk, vraag gerust.",
    "Je bent van harte welkom, ook voor een eerste keer.",
]
EN_FILLER = [
    "Hello gentlemen, I am {name}, a sweet and sporty lady with a beautiful body.",
    "I receive you in my clean and discreet apartment near the centre.",
    "No rush, everything relaxed and with respect.",
    "I speak English, Spanish and a little German.",
    "Call me for an appointment or more information.",
    "Come by for a relaxing massage and a good time.",
    "One hour or more, overnight on request.",
    "Two girls together is also possible, just ask.",
]
NAMES = [
    "Anna",
    "Bella",
    "Chloe",
    "Daria",
    "Elena",
    "Fleur",
    "Gabi",
    "Ioana",
    "Kasia",
    "Lara",
    "Maria",
    "Nadia",
    "Olga",
    "Petra",
    "Roxana",
    "Sofia",
    "Tanja",
    "Vera",
    "Yana",
    "Zoë",
]
CITIES = [
    "Amsterdam",
    "Rotterdam",
    "Den Haag",
    "Utrecht",
    "Eindhoven",
    "Groningen",
    "Tilburg",
    "Almere",
    "Breda",
    "Nijmegen",
    "Haarlem",
    "Arnhem",
    "Zwolle",
    "Hoofddorp",
    "Zaandam",
]


def _decoys(rng: random.Random) -> list[str]:
    """Numbers that are not phones, in the places ads put them."""
    d, m, y = rng.randint(1, 28), rng.randint(1, 12), rng.choice((2024, 2025, 2026))
    pool = [
        f"1 uur €{rng.randint(10, 30) * 10}",
        f"half uur {rng.randint(6, 12) * 10} euro",
        f"30 min €{rng.randint(6, 12) * 10}",
        f"€{rng.randint(10, 30) * 10} per uur",
        f"{rng.randint(10, 30) * 10}/h",
        f"{rng.randint(100, 300)},-",
        f"{d:02d}-{m:02d}-{y}",
        f"{y}-{m:02d}-{d:02d}",
        f"{d}/{m}/{y}",
        f"{rng.randint(9, 14)}:00-{rng.randint(0, 3):02d}:00",
        f"van {rng.randint(9, 12)}.00 tot 23.00",
        f"{rng.randint(1000, 9999)} {rng.choice(['AB', 'CD', 'XK', 'TR'])}",
        f"{rng.randint(155, 185)} cm",
        f"1.{rng.randint(55, 85)} m",
        f"{rng.randint(48, 75)} kg",
        f"{rng.randint(19, 45)} jaar",
        f"I'm {rng.randint(19, 45)}",
        f"age: {rng.randint(19, 45)}",
        f"ID# {rng.randint(100000, 999999)}",
        f"advertentie {rng.randint(1000000, 9999999)}",
        f"Damstraat {rng.randint(1, 250)}",
        f"cup {rng.randint(70, 90)}C",
        "24/7",
        "100% echt",
        "twee uur",
        "one hour",
        f"{rng.randint(2, 9)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
    ]
    return rng.sample(pool, rng.randint(3, 6))


@dataclass(frozen=True)
class Planted:
    """A planted phone number: what it is, how it was written, which style it stands for."""

    e164: str
    style: str
    rendered: str
    components: tuple[str, ...] = ()  # for "mixed": the styles combined


@dataclass
class SyntheticAd:
    """One generated ad with its ground truth."""

    ad: dict[str, object]
    planted: list[Planted] = field(default_factory=list)

    @property
    def phones(self) -> set[str]:
        """E.164 numbers that must be found."""
        return {p.e164 for p in self.planted}


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _random_number(rng: random.Random) -> tuple[str, str, bool]:
    """A valid number as (E.164, digits as written, written internationally?)."""
    while True:
        kind = rng.random()
        if kind < 0.75:
            digits = "06" + str(rng.randint(1, 5)) + _digits(rng, 7)
            region, intl = "NL", rng.random() < 0.15
        elif kind < 0.85:
            digits = rng.choice(("020", "010", "070", "030")) + _digits(rng, 7)
            region, intl = "NL", False
        else:
            region = rng.choice(("RO", "BG", "PL", "ES", "DE", "HU"))
            example = pn.example_number_for_type(region, pn.PhoneNumberType.MOBILE)
            assert example is not None
            nsn = str(example.national_number)
            keep = rng.randint(2, 3)
            nsn = nsn[:keep] + _digits(rng, len(nsn) - keep)
            digits, intl = f"+{example.country_code}{nsn}", True
        number = pn.parse(digits, region)
        if pn.is_valid_number(number):
            e164 = pn.format_number(number, pn.PhoneNumberFormat.E164)
            if intl and not digits.startswith("+"):
                digits = rng.choice(("+31", "0031")) + digits[1:]
            return e164, digits, digits.startswith(("+", "00"))


def _plain(rng: random.Random, digits: str) -> str:
    if digits.startswith("+") or digits.startswith("00"):
        return rng.choice(
            (
                digits,
                digits[:3] + " " + digits[3:],
                digits[:3] + " " + digits[3:6] + " " + digits[6:],
            )
        )
    return rng.choice(
        (
            digits,
            f"{digits[:2]}-{digits[2:]}",
            f"{digits[:2]} {digits[2:6]} {digits[6:]}",
            " ".join([digits[:2], digits[2:4], digits[4:6], digits[6:8], digits[8:]]),
            f"({digits[:3]}) {digits[3:]}",
            f"{digits[:4]} {digits[4:7]} {digits[7:]}",
        )
    )


def _spelled(rng: random.Random, digits: str) -> str:
    lang = rng.choice(tuple(WORDS))
    words = WORDS[lang]
    if rng.random() < 0.4 and digits[0] != "+":  # mixed: "06-123vier5678"
        a = rng.randint(2, len(digits) - 4)
        b = a + rng.randint(1, 3)
        middle = "".join(words[int(c)] for c in digits[a:b])
        return f"{digits[:2]}-{digits[2:a]}{middle}{digits[b:]}"
    glue = rng.choice((" ", " ", "-", "")) if lang in ("nl", "en") else " "
    case = rng.choice((str.lower, str.upper, str.title))
    head = "+" if digits[0] == "+" else ""
    return head + glue.join(case(words[int(c)]) for c in digits.lstrip("+"))


def _lookalike(rng: random.Random, digits: str) -> str:
    out = []
    for c in digits:
        if c == "0" and rng.random() < 0.6:
            out.append(rng.choice("Oo"))
        elif c == "1" and rng.random() < 0.7:
            out.append(rng.choice("lI|"))
        else:
            out.append(c)
    if out == list(digits):  # guarantee one look-alike: NL numbers start with 0
        i = digits.index("0") if "0" in digits else digits.index("1")
        out[i] = "O" if digits[i] == "0" else "l"
    return "".join(out)


def _separators(rng: random.Random, digits: str) -> str:
    head = "+" if digits[0] == "+" else ""
    body = digits.lstrip("+")
    if rng.random() < 0.5:
        sep = rng.choice(ODD_SEPS)
        return head + sep.join(body)
    sep = rng.choice(("*", "/", "_", "~", ";"))
    return head + sep.join(body[i : i + 2] for i in range(0, len(body), 2))


def _unicode(rng: random.Random, digits: str) -> str:
    base = rng.choice(UNICODE_DIGIT_BASES)
    share = rng.choice((1.0, 1.0, 0.5))
    return (
        "".join(chr(base + int(c)) if c.isdigit() and rng.random() < share else c for c in digits)
        if share < 1
        else "".join(chr(base + int(c)) if c.isdigit() else c for c in digits)
    )


def _keycap(rng: random.Random, digits: str) -> str:
    vs = rng.choice(("\ufe0f", ""))
    return "".join(f"{c}{vs}\u20e3" if c.isdigit() else c for c in digits)


def _zero_width(rng: random.Random, digits: str) -> str:
    chars = list(_plain(rng, digits))
    for _ in range(rng.randint(2, 5)):
        chars.insert(rng.randint(1, len(chars) - 1), rng.choice(ZERO_WIDTH))
    return "".join(chars)


def _homoglyph(rng: random.Random, digits: str) -> str:
    out = [
        rng.choice(HOMOGLYPH_ZERO)
        if c == "0" and rng.random() < 0.7
        else rng.choice(HOMOGLYPH_ONE)
        if c == "1" and rng.random() < 0.5
        else c
        for c in digits
    ]
    if out == list(digits):
        i = digits.index("0") if "0" in digits else digits.index("1")
        out[i] = HOMOGLYPH_ZERO[0] if digits[i] == "0" else HOMOGLYPH_ONE[0]
    return "".join(out)


RENDERERS: dict[str, Callable[[random.Random, str], str]] = {
    "plain": _plain,
    "spelled_words": _spelled,
    "lookalike_letters": _lookalike,
    "separators": _separators,
    "unicode_digits": _unicode,
    "keycap_emoji": _keycap,
    "zero_width": _zero_width,
    "homoglyph": _homoglyph,
}
_MIXABLE = (
    ("spelled_words", "separators"),
    ("unicode_digits", "zero_width"),
    ("lookalike_letters", "separators"),
    ("keycap_emoji", "zero_width"),
    ("spelled_words", "zero_width"),
)


def render(rng: random.Random, digits: str, style: str) -> tuple[str, tuple[str, ...]]:
    """Write ``digits`` in ``style``; returns the text and the component styles."""
    if style != "mixed":
        return RENDERERS[style](rng, digits), (style,)
    first, second = rng.choice(_MIXABLE)
    if first == "spelled_words" and second == "separators":
        words = WORDS[rng.choice(("nl", "en"))]
        sep = rng.choice(("*", "/", "_", "~"))
        head = "+" if digits[0] == "+" else ""
        body = digits.lstrip("+")
        text = sep.join(words[int(c)] if i % 2 else c for i, c in enumerate(body))
        return head + text, (first, second)
    if second == "zero_width":
        chars = list(RENDERERS[first](rng, digits))
        for _ in range(rng.randint(2, 4)):
            chars.insert(rng.randint(1, len(chars) - 1), rng.choice(ZERO_WIDTH))
        return "".join(chars), (first, second)
    return RENDERERS[second](rng, _lookalike(rng, digits)), (first, second)


def generate(n: int, seed: int = 0, target_chars: int = 500) -> list[SyntheticAd]:
    """``n`` synthetic ads; styles are spread evenly over the planted numbers."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    ads: list[SyntheticAd] = []
    for i in range(n):
        lang = rng.choice(("nl", "nl", "en"))
        filler = NL_FILLER if lang == "nl" else EN_FILLER
        name = rng.choice(NAMES)
        sentences = [s.format(name=name) for s in rng.sample(filler, len(filler))]
        decoys = _decoys(rng)
        count = rng.choices((0, 1, 2), weights=(1, 8, 1))[0]
        planted: list[Planted] = []
        for _ in range(count):
            style = STYLES[(i + len(planted)) % len(STYLES)]
            if rng.random() < 0.1:
                style = rng.choice(STYLES)
            e164, digits, _intl = _random_number(rng)
            # look-alikes need a 0 or a 1 to disguise
            while style in _NEEDS_0_OR_1 and not set("01") & set(digits[1:]):
                e164, digits, _intl = _random_number(rng)
            text, components = render(rng, digits, style)
            planted.append(Planted(e164, style, text, components))
        pieces = []
        for j, sentence in enumerate(sentences):
            pieces.append(sentence)
            if j < len(decoys):
                label = rng.choice(("Prijs:", "Info:", "", "Tarief", "Rates:"))
                pieces.append(f"{label} {decoys[j]}.")
            if len(" ".join(pieces)) > target_chars - 120:
                break
        for p in planted:
            cue = rng.choice(("Bel", "Call", "Tel:", "WhatsApp", "SMS of bel", "App me op", ""))
            end = rng.choice((".", " !", "", " xx"))
            pieces.insert(rng.randint(1, len(pieces)), f"{cue} {p.rendered}".strip() + end)
        body = " ".join(pieces)
        title = f"{name} {rng.choice(('nieuw in', 'in', 'escort', 'privé'))} {rng.choice(CITIES)}"
        ad: dict[str, object] = {
            "id": f"syn-{seed}-{i}",
            "title": title,
            "text": body,
            "region": "NL",
            "site": "synthetic",
        }
        ads.append(SyntheticAd(ad, planted))
    return ads
