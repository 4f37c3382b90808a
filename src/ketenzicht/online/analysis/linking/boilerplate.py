"""Per-site boilerplate: sentences that many unrelated advertisers on one site share.

A site adds its own footer ("Geplaatst via ..., meld misbruik ..."), and advertisers copy
stock phrases ("Bel me gerust"). Left in, they make every ad of a site look like every
other and melt the site into one giant network. A sentence is boilerplate when, on one
site, it stands in ads of at least ``min_identities`` different advertisers (told apart by
their first phone, e-mail or handle). A network's own template is written by one
advertiser, so it survives however often it is posted. Names and places are masked before
sentences are compared (digits are masked by the key): stock wording copied by strangers
differs only in those, and must be recognised as one sentence.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final

from ketenzicht.online.analysis.extraction.types import Ad, Extraction
from ketenzicht.online.analysis.linking.features import (
    mask_words,
    masked,
    persona,
    sentence_key,
    sentences,
)

MIN_IDENTITIES: Final = 6


@dataclass
class BoilerplateLearner:
    """Counts, per site and sentence, the advertisers using it."""

    min_identities: int = MIN_IDENTITIES
    _seen: dict[tuple[str, int], set[str]] = field(default_factory=lambda: defaultdict(set))

    def add(self, ad: Ad, found: Extraction) -> None:
        """Count the sentences of one ad under its advertiser's identity."""
        identity = (found.phones[0].e164 if found.phones
                    else found.emails[0].value if found.emails
                    else found.handles[0].value if found.handles else f"ad:{ad.id}")
        site = ad.site or ""
        names = getattr(found, "personas", None)
        name = (str(names[0]) if isinstance(names, list | tuple) and len(names) == 1
                else persona(ad))
        masks = mask_words(ad, found, name)
        for sentence in set(sentences(ad.body)):
            users = self._seen[(site, sentence_key(masked(sentence, masks)))]
            if len(users) < self.min_identities:
                users.add(identity)

    def add_all(self, pairs: Iterable[tuple[Ad, Extraction]]) -> None:
        """Count many ads."""
        for ad, found in pairs:
            self.add(ad, found)

    def keys(self) -> frozenset[int]:
        """Sentence keys that are boilerplate (on any site: footers travel between sites)."""
        return frozenset(key for (_, key), users in self._seen.items()
                         if len(users) >= self.min_identities)
