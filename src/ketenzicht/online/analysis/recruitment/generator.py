"""A seeded generator of recruitment posts and their look-alikes, with a knob per phenomenon.

Positives carry a random subset of the six signs, each at its own rate (``Knobs.signs``);
negatives are of a named kind (``Knobs.negatives``): student-job ads, bank and police
warnings that quote a recruitment post, news items that quote one, second-hand sales with
"DM me", and everyday chatter. Posts come from recruiter accounts that reuse their handle,
phone number, payment tag, text and image, so the account linker can be tested on them.

The same seed gives the same corpus, byte for byte. The corpus is synthetic: figures
measured on it are an upper bound for real posts (see docs/domains/online-recruitment.md).
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Final

from ketenzicht.online.analysis.recruitment import phrases as P

SIGNS: Final = ("money_hook", "task", "low_bar", "secrecy", "emoji", "age_target")
NEGATIVE_KINDS: Final = ("student_job", "bank_warning", "news_quote", "marketplace", "chatter")
REGISTERS: Final = ("street", "plain", "en")
PLATFORMS: Final = ("telegram", "snapchat", "instagram", "tiktok", "forum")
START: Final = datetime(2026, 9, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Knobs:
    """How often each phenomenon occurs; every rate is a probability."""

    n: int = 3000
    positive_share: float = 0.4
    signs: dict[str, float] = field(default_factory=lambda: {
        "money_hook": 0.85, "task": 0.7, "low_bar": 0.5, "secrecy": 0.7, "emoji": 0.45,
        "age_target": 0.35})
    min_signs: int = 2
    registers: dict[str, float] = field(default_factory=lambda: {
        "street": 0.45, "plain": 0.3, "en": 0.25})
    negatives: dict[str, float] = field(default_factory=lambda: {
        "student_job": 0.25, "bank_warning": 0.2, "news_quote": 0.2, "marketplace": 0.15,
        "chatter": 0.2})
    obfuscation: float = 0.15  # "s.n.e.l", "c@sh": letters split or swapped
    contact: float = 0.8  # a positive names a handle, number or payment tag
    accounts: int = 60
    reuse_text: float = 0.3  # an account posts an earlier text of its own again
    image: float = 0.4


@dataclass(frozen=True, slots=True)
class Account:
    """A synthetic recruiter: what its posts give away."""

    key: str
    platform: str
    handle: str
    phone: str
    pay_tag: str
    image: str


@dataclass(frozen=True, slots=True)
class Post:
    """One synthetic post with its truth: label, kind, signs and register."""

    id: str
    text: str
    label: int
    kind: str
    signs: frozenset[str]
    register: str
    platform: str
    posted_at: str
    account: str | None = None
    image: str | None = None

    def to_json(self) -> dict[str, object]:
        """The input shape of ``online recruitment score`` plus the truth fields."""
        return {"id": self.id, "text": self.text, "platform": self.platform,
                "posted_at": self.posted_at, "label": self.label, "kind": self.kind,
                "signs": sorted(self.signs), "register": self.register,
                "account": self.account, "image": self.image}


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    keys = sorted(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _amount(rng: random.Random) -> str:
    value = rng.choice((50, 100, 150, 200, 250, 300, 400, 500, 750, 1000))
    return rng.choice((f"€{value}", f"{value} euro", f"€ {value},-", f"{value}€"))


def _fill(rng: random.Random, template: str) -> str:
    return template.format(amount=_amount(rng), city=rng.choice(P.CITIES),
                           wage=rng.choice(("7,90", "8,40", "10,20", "12,50", "14,06")))


def _obfuscate(rng: random.Random, text: str) -> str:
    """Split a word with dots or swap letters for look-alikes, as posts do to evade filters."""
    words = text.split(" ")
    i = rng.randrange(len(words))
    word = words[i]
    if len(word) >= 4 and word.isalpha():
        words[i] = rng.choice((".".join(word), word.replace("a", "@").replace("o", "0"),
                               " ".join(word)))
    return " ".join(words)


def _accounts(rng: random.Random, n: int) -> list[Account]:
    out = []
    for i in range(n):
        name = rng.choice(("cash", "money", "snel", "easy", "klus", "plug", "bank", "runner"))
        suffix = rng.randrange(10, 9999)
        out.append(Account(
            key=f"acc{i:03d}", platform=rng.choice(PLATFORMS), handle=f"{name}_{suffix}",
            phone=f"06{rng.randrange(10_000_000, 99_999_999)}",
            pay_tag=rng.choice(("tikkie.me/pay/", "bunq.me/", "paypal.me/")) + f"{name}{suffix}",
            image=hashlib.sha256(f"img-{i}".encode()).hexdigest()))
    return out


def _contact(rng: random.Random, account: Account, register: str) -> str:
    choice = rng.randrange(4)
    if choice == 0:
        return rng.choice(("snap: ", "Snapchat: @", "tg @", "t.me/")) + account.handle
    if choice == 1:
        return rng.choice(("app ", "WhatsApp ", "bel ", "text ")) + account.phone
    if choice == 2:
        return rng.choice(("betaling via ", "pay via ", "")) + account.pay_tag
    return f"@{account.handle}"


def recruitment_text(rng: random.Random, knobs: Knobs, register: str,
                     account: Account | None) -> tuple[str, frozenset[str]]:
    """A recruitment post in ``register`` and the signs it carries."""
    chosen = [s for s in SIGNS if rng.random() < knobs.signs.get(s, 0.0)]
    while len(chosen) < knobs.min_signs:
        extra = rng.choice(SIGNS)
        if extra not in chosen:
            chosen.append(extra)
    banks = {"money_hook": P.MONEY, "task": P.TASK, "low_bar": P.LOW_BAR,
             "secrecy": P.SECRECY, "age_target": P.AGE}
    parts = [_fill(rng, rng.choice(banks[s][register])) for s in chosen if s in banks]
    rng.shuffle(parts)
    if rng.random() < 0.4:
        parts.append(rng.choice(P.FILLER[register]))
    text = " ".join(parts)
    if "emoji" in chosen:
        marks = "".join(rng.choice(P.EMOJI) for _ in range(rng.randint(1, 3)))
        text = f"{marks} {text}" if rng.random() < 0.5 else f"{text} {marks}"
    if rng.random() < knobs.obfuscation:
        text = _obfuscate(rng, text)
    if account is not None and rng.random() < knobs.contact:
        text = f"{text} {_contact(rng, account, register)}"
    return text, frozenset(chosen)


def negative_text(rng: random.Random, knobs: Knobs, kind: str, register: str) -> str:
    """A look-alike of ``kind``; warnings and news quote a generated recruitment post."""
    if kind in ("bank_warning", "news_quote"):
        frames = (P.WARNING_FRAMES if kind == "bank_warning" else P.NEWS_FRAMES)[register] \
            or P.NEWS_FRAMES["plain"]
        quote, _ = recruitment_text(rng, knobs, register if register != "street" else "plain",
                                    None)
        frame = rng.choice(frames)
        return frame.replace("{quote}", quote).replace("{city}", rng.choice(P.CITIES))
    bank = {"student_job": P.JOB_ADS, "marketplace": P.MARKET, "chatter": P.CHATTER}[kind]
    return _fill(rng, rng.choice(bank[register] or bank["plain"]))


def generate(seed: int, knobs: Knobs | None = None) -> Iterator[Post]:
    """``knobs.n`` posts, positives and negatives mixed, the same for the same seed."""
    knobs = knobs or Knobs()
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    accounts = _accounts(rng, knobs.accounts)
    said: dict[str, list[tuple[str, frozenset[str]]]] = {}
    for i in range(knobs.n):
        register = _pick(rng, knobs.registers)
        at = (START + timedelta(minutes=rng.randrange(0, 90 * 24 * 60))).isoformat()
        if rng.random() < knobs.positive_share:
            account = rng.choice(accounts)
            earlier = said.get(account.key)
            if earlier and rng.random() < knobs.reuse_text:
                text, signs = rng.choice(earlier)
            else:
                text, signs = recruitment_text(rng, knobs, register, account)
                said.setdefault(account.key, []).append((text, signs))
            image = account.image if rng.random() < knobs.image else None
            yield Post(f"p{seed}-{i}", text, 1, "recruitment", signs, register,
                       account.platform, at, account.key, image)
        else:
            kind = _pick(rng, knobs.negatives)
            yield Post(f"p{seed}-{i}", negative_text(rng, knobs, kind, register), 0, kind,
                       frozenset(), register, rng.choice(PLATFORMS), at)
