"""The entrapment guard: every decoy-side message is checked against the order's rules.

Each rule answers in words a prosecutor and the defence can read: flagged or not, and why,
citing the message that decides it. Three rules:

- ``decoy_first_offer`` (Tallon, "did not solicit unless offered"): the decoy may speak of
  an act or a price only after the counterpart did. Under a power that allows no purchase
  (126j, 248e) the decoy never names a price at all.
- ``stated_age``: an age the decoy states must be the persona's stated age; under 248e the
  persona must present as younger than the law's threshold.
- ``service_outside_order``: the decoy may speak only of services the order covers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ketenzicht.core.i18n import N_
from ketenzicht.operations.frame import Frame, terms_pattern


@dataclass(frozen=True)
class Check:
    """The outcome of one rule on one message."""

    rule: str
    flagged: bool
    reason: str
    params: dict[str, str | int] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        """The check as stored in the capture chain."""
        return {"rule": self.rule, "flagged": self.flagged, "reason": self.reason,
                "params": dict(self.params)}


@dataclass(frozen=True)
class OrderTerms:
    """The parts of an order and persona the guard reads."""

    power_allows_purchase: bool
    persona_age_below: int | None
    persona_age: int
    services: tuple[str, ...]


def offers(frame: Frame, text: str) -> list[str]:
    """The offer words and prices in ``text`` (an act or a price), in order of appearance."""
    found = [m.group(0) for m in terms_pattern(frame.offer_terms).finditer(text)]
    found += [m.group(0) for m in frame.price_pattern.finditer(text)]
    return found


def _prices(frame: Frame, text: str) -> list[str]:
    return [m.group(0) for m in frame.price_pattern.finditer(text)]


def _first_offer(frame: Frame, text: str, counterpart_offer: int | None,
                 terms: OrderTerms) -> Check:
    rule = "decoy_first_offer"
    mine = offers(frame, text)
    if not mine:
        return Check(rule, False, N_("No act or price is proposed in this message."))
    prices = _prices(frame, text)
    if prices and not terms.power_allows_purchase:
        return Check(rule, True, N_("The decoy names a price (%(words)s), but the order's "
                                    "power allows no purchase."),
                     {"words": ", ".join(prices)})
    if counterpart_offer is not None:
        return Check(rule, False, N_("The counterpart proposed an act or price first, in "
                                     "message %(seq)s; the decoy responds to it (%(words)s)."),
                     {"seq": counterpart_offer, "words": ", ".join(mine)})
    return Check(rule, True, N_("The decoy is the first to propose an act or price "
                                "(%(words)s): the counterpart has not offered one."),
                 {"words": ", ".join(mine)})


def _stated_age(frame: Frame, text: str, terms: OrderTerms) -> Check:
    rule = "stated_age"
    ages = [int(next(g for g in m.groups() if g)) for m in frame.age_pattern.finditer(text)]
    if not ages:
        return Check(rule, False, N_("No age is stated in this message."))
    wrong = [a for a in ages if a != terms.persona_age]
    if wrong:
        return Check(rule, True, N_("The decoy states the age %(age)s, but the persona's "
                                    "stated age is %(persona)s."),
                     {"age": wrong[0], "persona": terms.persona_age})
    if terms.persona_age_below is not None and terms.persona_age >= terms.persona_age_below:
        return Check(rule, True, N_("The persona's age %(age)s is not below %(below)s, which "
                                    "the order's power requires."),
                     {"age": terms.persona_age, "below": terms.persona_age_below})
    return Check(rule, False, N_("The stated age %(age)s is the persona's stated age."),
                 {"age": ages[0]})


def _service(frame: Frame, text: str, terms: OrderTerms) -> Check:
    rule = "service_outside_order"
    outside = []
    for key, service in frame.services.items():
        if key in terms.services:
            continue
        hit = terms_pattern(service.terms).search(text)
        # A word shared with a covered service ("afspraak", "kamer") is not outside it.
        if hit and not any(hit.group(0).lower() in frame.services[s].terms
                           for s in terms.services if s in frame.services):
            outside.append((key, hit.group(0)))
    if outside:
        key, word = outside[0]
        return Check(rule, True, N_("'%(word)s' concerns %(service)s, which the order does "
                                    "not cover."),
                     {"word": word, "service": frame.services[key].title})
    return Check(rule, False, N_("Nothing in this message lies outside the order's services."))


def classify(frame: Frame, *, text: str, counterpart_offer: int | None,
             terms: OrderTerms) -> list[Check]:
    """Every rule's answer for one decoy-side message.

    ``counterpart_offer`` is the seq of the first counterpart message that proposed an act
    or price, if any came before this one (see :func:`offers`).
    """
    return [_first_offer(frame, text, counterpart_offer, terms), _stated_age(frame, text, terms),
            _service(frame, text, terms)]


def flagged(checks: Sequence[Check]) -> list[Check]:
    """The checks that flag the message."""
    return [c for c in checks if c.flagged]
