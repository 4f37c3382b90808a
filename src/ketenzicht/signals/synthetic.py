"""Synthetic identities with the errors real registrations make, for the demo and benchmarks.

Nothing here describes a real person or business. Each entity is written several times with
typos (a character dropped, doubled or swapped), the name order swapped, Cyrillic instead of
Latin script, and phone numbers and plates in other formats; ``entity`` says which records
truly belong together, so linkage can be measured.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from ketenzicht.signals.enums import LinkKind
from ketenzicht.signals.linkage import normalise

FIRST = ["Ana", "Maria", "Elena", "Ioana", "Olena", "Iryna", "Natalia", "Svetlana", "Joy",
         "Blessing", "Precious", "Nguyen", "Mai", "Agnieszka", "Katarzyna", "Monika", "Ion",
         "Mihai", "Andrei", "Vasyl", "Petro", "Dmytro", "Tomasz", "Piotr", "Emeka", "Chidi",
         "Hoang", "Minh", "Lina", "Fatima", "Yusuf", "Samir", "Daria", "Oksana", "Bogdan"]
LAST = ["Popescu", "Ionescu", "Dumitru", "Kovalenko", "Shevchenko", "Bondarenko", "Okafor",
        "Adeyemi", "Tran", "Pham", "Kowalska", "Nowak", "Wisniewski", "Stoica", "Melnyk",
        "Tkachenko", "Eze", "Obi", "Le", "Zielinska", "Marin", "Petrov", "Ivanova", "Lungu"]
# Cyrillic spellings that transliterate back to the Latin names above.
CYRILLIC = {"Olena": "Олена", "Iryna": "Ірина", "Natalia": "Наталія", "Svetlana": "Светлана",
            "Vasyl": "Василь", "Petro": "Петро", "Dmytro": "Дмитро", "Oksana": "Оксана",
            "Bogdan": "Богдан", "Daria": "Дарія", "Kovalenko": "Коваленко",
            "Shevchenko": "Шевченко", "Bondarenko": "Бондаренко", "Melnyk": "Мельник",
            "Tkachenko": "Ткаченко", "Petrov": "Петров", "Ivanova": "Іванова"}
COMPANY_A = ["Agro", "Kas", "Vers", "Flex", "Bouw", "Clean", "Logi", "Euro", "Noord", "Zuid",
             "Groen", "Snel", "Top", "Prima", "West", "Delta", "Holland", "Polder"]
COMPANY_B = ["Personeel", "Diensten", "Teelt", "Service", "Uitzend", "Transport", "Schoonmaak",
             "Montage", "Oogst", "Verpakking", "Nagelstudio", "Massage", "Car Wash", "Bouw"]
LEGAL = ["B.V.", "BV", "bv", "V.O.F.", "", "Holding B.V."]
STREETS = ["Kerkstraat", "Dorpsweg", "Havenweg", "Industrieweg", "Stationsplein", "Molenlaan",
           "Tuinbouwweg", "Veilingweg", "Oude Haven", "Rijksstraatweg", "Polderweg"]
TOWNS = ["Demostad", "Westland", "Venlo", "Tiel", "Zwolle", "Almere", "Breda", "Emmen"]


@dataclass(frozen=True)
class Record:
    """One registration of an entity; ``entity`` is the ground truth."""

    entity: int
    kind: str
    value: str


def _typo(rng: random.Random, text: str) -> str:
    if len(text) < 5:
        return text
    i = rng.randrange(1, len(text) - 1)
    action = rng.choice(("drop", "double", "swap"))
    if action == "drop":
        return text[:i] + text[i + 1:]
    if action == "double":
        return text[:i] + text[i] + text[i:]
    return text[:i - 1] + text[i] + text[i - 1] + text[i + 1:]


def person_name(rng: random.Random) -> str:
    """A synthetic full name."""
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def person_variant(rng: random.Random, name: str) -> str:
    """The same name as another registration might write it."""
    first, last = name.split(" ", 1)
    roll = rng.random()
    if roll < 0.25:
        return f"{last} {first}"
    if roll < 0.45 and (first in CYRILLIC or last in CYRILLIC):
        return f"{CYRILLIC.get(first, first)} {CYRILLIC.get(last, last)}"
    if roll < 0.75:
        return _typo(rng, name)
    if roll < 0.85:
        return name.upper()
    return name


def company(rng: random.Random) -> str:
    """A synthetic business name."""
    return f"{rng.choice(COMPANY_A)} {rng.choice(COMPANY_B)} {rng.choice(LEGAL)}".strip()


def company_variant(rng: random.Random, name: str) -> str:
    """The same business with another legal form, a typo or other spacing."""
    base = name
    for form in ("Holding B.V.", "B.V.", "BV", "bv", "V.O.F."):
        base = base.replace(form, "").strip()
    roll = rng.random()
    if roll < 0.3:
        return f"{base} {rng.choice(LEGAL)}".strip()
    if roll < 0.6:
        return _typo(rng, base)
    if roll < 0.7:
        return base.lower()
    return name


def address(rng: random.Random) -> str:
    """A synthetic address with a postcode."""
    return (f"{rng.choice(STREETS)} {rng.randint(1, 200)}, {rng.randint(1000, 9999)} "
            f"{rng.choice('ABCDEFGHJKLMNPRSTVWXZ')}{rng.choice('ABCDEFGHJKLMNPRSTVWXZ')} "
            f"{rng.choice(TOWNS)}")


def address_variant(rng: random.Random, value: str) -> str:
    """The same address typed differently."""
    roll = rng.random()
    if roll < 0.3:
        return value.replace("straat", "str.").replace(", ", " ")
    if roll < 0.6:
        return _typo(rng, value)
    return value.lower()


def phone(rng: random.Random) -> str:
    """A synthetic Dutch mobile number."""
    return f"06{rng.randint(10_000_000, 99_999_999)}"


def phone_variant(rng: random.Random, value: str) -> str:
    """The same number in another notation."""
    digits = value[2:]
    return rng.choice([value, f"+316{digits}", f"06-{digits}", f"0031 6 {digits[:4]} {digits[4:]}"])


def plate(rng: random.Random) -> str:
    """A synthetic Dutch licence plate."""
    letters = "BDFGHJKLNPRSTVXZ"
    return (f"{rng.choice(letters)}{rng.choice(letters)}-{rng.randint(100, 999)}-"
            f"{rng.choice(letters)}")


def plate_variant(rng: random.Random, value: str) -> str:
    """The same plate without dashes or in lower case."""
    return rng.choice([value, value.replace("-", ""), value.lower()])


GENERATORS = {
    "person": (person_name, person_variant),
    "employer": (company, company_variant),
    "address": (address, address_variant),
    "phone": (phone, phone_variant),
    "vehicle": (plate, plate_variant),
}


def records(kind: str, entities: int, per_entity: tuple[int, int] = (1, 4), seed: int = 7
            ) -> list[Record]:
    """``entities`` distinct values of ``kind``, each registered 1-4 times with variations."""
    rng = random.Random(seed)  # noqa: S311 - reproducible synthetic data, not secrets
    make, vary = GENERATORS[kind]
    seen: set[str] = set()
    out: list[Record] = []
    entity = 0
    while entity < entities:
        value = make(rng)
        # Two entities must differ in more than the legal form or spelling of case.
        identity = normalise(LinkKind(kind), value)
        if identity is None or identity in seen:
            continue
        seen.add(identity)
        for i in range(rng.randint(*per_entity)):
            out.append(Record(entity, kind, value if i == 0 else vary(rng, value)))
        entity += 1
    rng.shuffle(out)
    return out


# Surnames built from parts, so that a benchmark of 100k people is not made of a few hundred
# names (it still has namesakes, as real registers do).
_STEMS = ["Pop", "Ion", "Dum", "Kov", "Shev", "Bond", "Ok", "Ad", "Tr", "Kow", "Now", "Wis",
          "Sto", "Mel", "Tka", "Zel", "Mar", "Pet", "Iv", "Lun", "Rad", "Gav", "Hal", "Mik",
          "Sav", "Vol", "Kr", "Bal", "Dob", "Ser"]
_ENDINGS = ["escu", "enko", "afor", "eyemi", "an", "ska", "ak", "ski", "ica", "nyk", "chenko",
            "ova", "ov", "u", "ic", "ovic", "iuk", "yshyn", "eanu", "ache"]
NATIONALITIES = ["RO", "BG", "PL", "UA", "NG", "VN", "MD", "NL", "ER", "SY", "MA", "HU"]
AGE_BANDS = ["12-17", "18-22", "23-29", "30-49", "50+"]


@dataclass(frozen=True)
class Registration:
    """One organisation's registration of a person; ``entity`` is the ground truth."""

    entity: int
    name: str
    nationality: str | None
    gender: str | None
    age_band: str | None


def _noisy(rng: random.Random, value: str, options: list[str], *, missing: float,
           wrong: float) -> str | None:
    roll = rng.random()
    if roll < missing:
        return None
    if roll < missing + wrong:
        return rng.choice(options)
    return value


def registrations(entities: int, *, per_entity: tuple[int, int] = (1, 4), seed: int = 7
                  ) -> list[Registration]:
    """People registered 1-4 times by different organisations, with realistic errors.

    Names get typos, swapped first and last names, Cyrillic spellings and other case (as in
    ``person_variant``); nationality, gender and age band are sometimes missing and sometimes
    wrong (a guessed age lands in the next band, a nationality is mistaken).
    """
    rng = random.Random(seed)  # noqa: S311 - reproducible synthetic data, not secrets
    out: list[Registration] = []
    seen: set[tuple[str, str, str, str]] = set()
    entity = 0
    while entity < entities:
        last = rng.choice(LAST) if rng.random() < 0.3 else rng.choice(_STEMS) + rng.choice(
            _ENDINGS)
        name = f"{rng.choice(FIRST)} {last}"
        nat, gender, band = (rng.choice(NATIONALITIES), rng.choice(("female", "male")),
                             rng.choice(AGE_BANDS))
        identity = (normalise(LinkKind.PERSON, name) or "", nat, gender, band)
        if identity in seen:
            continue
        seen.add(identity)
        for i in range(rng.randint(*per_entity)):
            if i == 0:
                out.append(Registration(entity, name, nat, gender, band))
                continue
            index = AGE_BANDS.index(band)
            near = AGE_BANDS[max(0, index - 1):index + 2]
            out.append(Registration(
                entity, person_variant(rng, name),
                _noisy(rng, nat, NATIONALITIES, missing=0.15, wrong=0.03),
                _noisy(rng, gender, ["female", "male"], missing=0.10, wrong=0.02),
                _noisy(rng, band, near, missing=0.20, wrong=0.15)))
        entity += 1
    rng.shuffle(out)
    return out
