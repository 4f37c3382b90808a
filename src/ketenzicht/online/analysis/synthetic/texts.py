"""Ad prose for the labelled corpus: a small grammar, so that every advertiser writes her own.

Each advertiser (an independent, a club, a network) draws its own text once from the
grammar below; the chance that two advertisers draw the same text is negligible, so text
similarity between unrelated advertisers stays low, as in real data. Reposts of one text get
small random edits (a dropped, swapped or added word), as operators do to dodge duplicate
filters. ``{name}``, ``{age}``, ``{city}`` and ``{price}`` are the slots.
"""

from __future__ import annotations

import random
from typing import Final

ADJ: Final = (
    "lieve", "sportieve", "slanke", "rustige", "vrolijke", "sensuele", "spontane", "warme",
    "zachte", "speelse", "elegante", "verzorgde", "ondeugende", "charmante", "discrete",
    "exotische", "natuurlijke", "stijlvolle", "open", "geduldige", "ervaren", "enthousiaste",
    "romantische", "verleidelijke", "mooie", "gezellige", "vriendelijke", "lachende",
    "nieuwsgierige", "passievolle",
)
NOUN: Final = ("dame", "vrouw", "meid", "godin", "prinses", "vriendin", "verwenster",
               "masseuse", "gastvrouw", "escort")
PLACE: Final = ("appartement", "studio", "privéhuis", "kamer", "suite", "woning", "flat",
                "penthouse")
PLACE_ADJ: Final = ("schone", "rustige", "discrete", "luxe", "warme", "moderne", "sfeervolle",
                    "nette", "gezellige", "ruime")
SERVICE: Final = (
    "ontspannende massage", "erotische massage", "girlfriend experience", "tongzoenen",
    "lingerie show", "rollenspel", "douchen samen", "escort service", "uitgaan en dineren",
    "body to body massage", "striptease", "knuffelen", "trio met vriendin", "overnachting",
    "voetfetisj", "dominante spelletjes", "zachte verwennerij", "duo massage",
)
HOBBY: Final = ("dansen", "koken", "reizen", "yoga", "lezen", "wijn", "muziek", "fitness",
                "shoppen", "films", "de zee", "fotografie")
TIME: Final = ("overdag", "in de avond", "in het weekend", "na afspraak", "de hele dag",
               "vanaf de middag", "tot laat", "ook zondag")
OPENERS: Final = (
    "Hoi lieverd, ik ben {name}, een {a1} en {a2} {n} van {age} jaar.",
    "Hallo heren, mijn naam is {name}, {age} jaar, {a1} {n} met een {a2} karakter.",
    "Welkom bij {name}: {a1}, {a2} en altijd in voor een {a3} afspraak.",
    "Ik ben {name} ({age}), een {a1} {n} die houdt van {h1} en {h2}.",
    "Hey schat, {name} hier, {age} jaar jong, {a1} en {a2}.",
)
BODY: Final = (
    "Ik ontvang je in mijn {pa} {p} in {city}.",
    "Je vindt me in een {pa} {p} vlak bij het centrum van {city}.",
    "Mijn favoriete diensten zijn {s1} en {s2}.",
    "Bij mij kun je kiezen uit {s1}, {s2} of {s3}.",
    "Ik hou van {h1}, {h2} en een goed gesprek.",
    "Ik ben {a1}, {a2} en heel {a3}.",
    "Afspraken {t1} en {t2} zijn mogelijk.",
    "Geniet van {s1} in mijn {pa} {p}.",
    "Ik neem echt de tijd voor je, {t1} of {t2}.",
    "Na een {a1} begin volgt {s1}, daarna zien we wel.",
    "Mijn {pa} {p} heeft een douche en parkeren voor de deur.",
    "Een uur kost {price} euro, een half uur iets minder.",
    "Tarief vanaf {price} euro per uur, {s1} inbegrepen.",
)
CLOSERS: Final = (
    "Stuur een bericht en ik reageer snel.",
    "Tot snel, {name}.",
    "Liefs, je {a1} {name}.",
    "Ik kijk ernaar uit je te ontmoeten!",
    "Bel of app voor een afspraak.",
)
EXTRA: Final = ("echt", "heel", "zeker", "altijd", "graag", "lekker", "gewoon")


def _fill(rng: random.Random, sentence: str) -> str:
    """Fix the grammar choices of one sentence, leaving the slots open."""
    adj = rng.sample(ADJ, 3)
    services = rng.sample(SERVICE, 3)
    hobbies = rng.sample(HOBBY, 2)
    times = rng.sample(TIME, 2)
    return sentence.format(
        name="{name}", age="{age}", city="{city}", price="{price}", a1=adj[0], a2=adj[1],
        a3=adj[2], n=rng.choice(NOUN), p=rng.choice(PLACE), pa=rng.choice(PLACE_ADJ),
        s1=services[0], s2=services[1], s3=services[2], h1=hobbies[0], h2=hobbies[1],
        t1=times[0], t2=times[1])


def own_text(rng: random.Random, extra: tuple[str, ...] = ()) -> str:
    """An advertiser's own text with slots; ``extra`` sentences are mixed in (indicators)."""
    body = [_fill(rng, s) for s in rng.sample(BODY, rng.randint(4, 6))]
    body += list(extra)
    rng.shuffle(body)
    return " ".join([_fill(rng, rng.choice(OPENERS)), *body, _fill(rng, rng.choice(CLOSERS))])


def edit(rng: random.Random, text: str, edits: int) -> str:
    """Small random edits: drop, swap or add a word."""
    words = text.split()
    for _ in range(edits):
        i = rng.randrange(1, len(words) - 1)
        what = rng.random()
        if what < 0.4 and "{" not in words[i]:
            del words[i]
        elif what < 0.7 and "{" not in words[i] + words[i + 1]:
            words[i], words[i + 1] = words[i + 1], words[i]
        else:
            words.insert(i, rng.choice(EXTRA))
    return " ".join(words)
