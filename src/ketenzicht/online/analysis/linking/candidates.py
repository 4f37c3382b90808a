"""Candidate edges between ads: shared strong identifiers and near-duplicate text.

Identifiers (phone, e-mail, messenger handle, perceptual image hash) link every ad that
carries them, unless the identifier is on the blocklist or is carried by more ads than the
degree cap allows: a number in hundreds of ads is a site's service line or a scraping
artefact, not an advertiser. A photo seen with more than ``MAX_IMAGE_PHONES`` different
numbers is a stock photo and links nothing.

Text: datasketch MinHash signatures of the cleaned words are banded (LSH, ``BANDS`` bands of
``ROWS`` rows), and every pair that shares a band is verified with rapidfuzz. The banding is
done over one NumPy matrix instead of datasketch's ``MinHashLSH``: that index keeps a Python
dict entry per band per ad, measured at 1.1 GB per 200,000 ads, which would not fit the 6 GB
budget at a million ads. The signatures, and so the candidate pairs, are the same.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Final

import numpy as np
import yaml
from rapidfuzz import fuzz
from rapidfuzz.process import cpdist

from ketenzicht.online.analysis.linking.features import NUM_PERM, AdFeatures

BANDS: Final = 16
ROWS: Final = NUM_PERM // BANDS  # 4 rows: pairs at Jaccard 0.5 meet with p = 0.65, 0.75 p = 0.99
MAX_BUCKET: Final = 200  # a band value shared by more ads is generic wording, not a template
MIN_RATIO: Final = 80.0  # rapidfuzz ratio of the cleaned words to accept a text edge
VERIFY_BLOCK: Final = 200_000  # candidate pairs verified at a time
MAX_IMAGE_PHONES: Final = 3  # a photo in ads with more numbers than this is a stock photo
# Near-duplicate photos (cropped, re-encoded, watermarked) differ in a few bits of the 64-bit
# perceptual hash. Found by multi-index hashing: the hash cut into four 16-bit chunks, pairs
# that agree on one chunk are verified; every pair within 3 bits agrees on a chunk
# (pigeonhole), most within MAX_HAMMING do. Cost: one sort per chunk, O(n log n).
MAX_HAMMING: Final = 8
MAX_CHUNK_BUCKET: Final = 64  # a chunk value shared by more photos is too common to pair on
# Persona bridge: the same name and age in the same city within this many days, under
# different numbers, is how a network running several numbers at once gives itself away.
BRIDGE_DAYS: Final = 3
BRIDGE_PERSONAS: Final = 2  # different women that must tie two numbers

# Edge kinds, strongest first; an oversized component is split by dropping the weakest.
PHONE, EMAIL, HANDLE, IMAGE, TEXT = 0, 1, 2, 3, 4
KIND_NAMES: Final = ("phone", "email", "handle", "image", "text")


@dataclass(frozen=True)
class Blocklist:
    """Generic identifiers that never link ads."""

    phone_prefixes: tuple[str, ...] = ()
    phones: frozenset[str] = frozenset()
    email_local_parts: frozenset[str] = frozenset()
    email_domains: frozenset[str] = frozenset()
    handles: frozenset[str] = frozenset()

    def blocks(self, kind: int, value: str) -> bool:
        """Whether ``value`` of edge kind ``kind`` is generic."""
        if kind == PHONE:
            return value in self.phones or value.startswith(self.phone_prefixes)
        if kind == EMAIL:
            local, _, domain = value.partition("@")
            return local in self.email_local_parts or domain in self.email_domains
        if kind == HANDLE:
            return value.partition(":")[2] in self.handles
        return False


@cache
def default_blocklist() -> Blocklist:
    """The shipped blocklist (``linking/data/blocklist.yaml``)."""
    from importlib.resources import files

    data = yaml.safe_load(files("ketenzicht.online.analysis.linking").joinpath(
        "data/blocklist.yaml").read_text(encoding="utf-8")) or {}
    return Blocklist(
        tuple(data.get("phone_prefixes") or ()), frozenset(data.get("phones") or ()),
        frozenset(data.get("email_local_parts") or ()),
        frozenset(data.get("email_domains") or ()), frozenset(data.get("handles") or ()))


@dataclass
class Edges:
    """Edges as parallel arrays (a million ads make millions of edges)."""

    src: list[int] = field(default_factory=list)
    dst: list[int] = field(default_factory=list)
    kind: list[int] = field(default_factory=list)
    strength: list[float] = field(default_factory=list)
    chunks: list[tuple[Any, Any, Any, Any]] = field(default_factory=list)

    def add(self, a: int, b: int, kind: int, strength: float) -> None:
        """Add one undirected edge."""
        self.src.append(a)
        self.dst.append(b)
        self.kind.append(kind)
        self.strength.append(strength)

    def extend(self, a: Any, b: Any, kind: int, strength: Any) -> None:
        """Add many edges of one kind at once (NumPy arrays)."""
        self.chunks.append((np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64),
                            np.full(len(a), kind, dtype=np.int8),
                            np.asarray(strength, dtype=np.float32)))

    def __len__(self) -> int:
        return len(self.src) + sum(len(c[0]) for c in self.chunks)

    def arrays(self) -> tuple[Any, Any, Any, Any]:
        """NumPy views for graph algorithms."""
        parts = [(np.asarray(self.src, dtype=np.int64), np.asarray(self.dst, dtype=np.int64),
                  np.asarray(self.kind, dtype=np.int8),
                  np.asarray(self.strength, dtype=np.float32)), *self.chunks]
        return tuple(np.concatenate([p[i] for p in parts]) for i in range(4))  # type: ignore[return-value]


def degree_cap(n_ads: int) -> int:
    """Most ads one identifier may link: generous for big networks, small next to the corpus."""
    return max(150, n_ads // 200)


def identifier_edges(ads: Sequence[AdFeatures], edges: Edges, stats: dict[str, int],
                     blocklist: Blocklist | None = None) -> None:
    """Chain the ads that share each identifier (a chain connects them with n-1 edges)."""
    blocklist = blocklist or default_blocklist()
    cap = degree_cap(len(ads))
    for kind, attr in ((PHONE, "phones"), (EMAIL, "emails"), (HANDLE, "handles"),
                       (IMAGE, "images")):
        holders: dict[str, list[int]] = defaultdict(list)
        for i, ad in enumerate(ads):
            for value in getattr(ad, attr):
                holders[value].append(i)
        name = KIND_NAMES[kind]
        for value, members in holders.items():
            if len(members) < 2:
                continue
            if blocklist.blocks(kind, value):
                stats[f"blocked/{name}/listed"] = stats.get(f"blocked/{name}/listed", 0) + 1
                continue
            if len(members) > cap:
                stats[f"blocked/{name}/degree"] = stats.get(f"blocked/{name}/degree", 0) + 1
                continue
            phones = {p for i in members for p in ads[i].phones} if kind == IMAGE else set()
            if len(phones) > MAX_IMAGE_PHONES:
                # a stock photo: many unrelated advertisers (told apart by number) use it
                stats["blocked/image/phones"] = stats.get("blocked/image/phones", 0) + 1
                continue
            for a, b in itertools.pairwise(members):
                edges.add(a, b, kind, 1.0)
            stats[f"edges/{name}"] = stats.get(f"edges/{name}", 0) + len(members) - 1


def near_image_edges(ads: Sequence[AdFeatures], edges: Edges, stats: dict[str, int]) -> None:
    """Edges between ads whose photos are near duplicates (Hamming distance <= MAX_HAMMING).

    Exact duplicates are linked by :func:`identifier_edges`; this adds altered copies. A
    photo whose near copies stand with more than ``MAX_IMAGE_PHONES`` numbers is treated as
    a stock photo there, and is skipped here in the same way.
    """
    values: list[int] = []
    owner: list[int] = []
    for i, ad in enumerate(ads):
        for h in ad.images:
            try:
                v = int(h, 16)
            except ValueError:
                continue
            if v < 1 << 64:
                values.append(v)
                owner.append(i)
    if len(values) < 2:
        return
    arr = np.asarray(values, dtype=np.uint64)
    own = np.asarray(owner, dtype=np.int64)
    pairs: set[tuple[int, int]] = set()
    for chunk in range(4):
        key = (arr >> np.uint64(16 * chunk)) & np.uint64(0xFFFF)
        order = np.argsort(key, kind="stable")
        sk = key[order]
        starts = np.flatnonzero(np.r_[True, sk[1:] != sk[:-1]])
        sizes = np.diff(np.r_[starts, len(order)])
        for start, size in zip(starts[(sizes > 1) & (sizes <= MAX_CHUNK_BUCKET)],
                               sizes[(sizes > 1) & (sizes <= MAX_CHUNK_BUCKET)], strict=True):
            members = order[start:start + size]
            for x, y in itertools.combinations(members.tolist(), 2):
                a, b = int(own[x]), int(own[y])
                if a == b or (values[x] ^ values[y]).bit_count() > MAX_HAMMING:
                    continue
                if values[x] == values[y]:
                    continue  # exact copies: identifier_edges decides (stock-photo guard)
                pairs.add((min(a, b), max(a, b)))
    added = 0
    for a, b in sorted(pairs):
        if len(set(ads[a].phones) | set(ads[b].phones)) > MAX_IMAGE_PHONES:
            continue
        edges.add(a, b, IMAGE, 0.9)
        added += 1
    stats["edges/image_near"] = stats.get("edges/image_near", 0) + added


def _bridge_key(ad: AdFeatures) -> tuple[str, int, str] | None:
    if not ad.persona or len(ad.ages) != 1 or not ad.city or ad.day is None:
        return None
    return ad.persona.lower(), ad.ages[0], ad.city


def persona_bridges(ads: Sequence[AdFeatures], edges: Edges, stats: dict[str, int]) -> None:
    """Edges between ads of the same women (name, age, city, within days) under other numbers.

    Sorted by day within each (name, age, city), each ad is paired with the next one when
    they are at most ``BRIDGE_DAYS`` apart and carry different numbers. One shared woman is
    chance (a common name and age in a big city: on the first corpus half of such bridges
    joined strangers); two numbers are bridged only when at least ``BRIDGE_PERSONAS``
    different women tie them, as a network running both numbers does. O(n log n).
    """
    groups: dict[tuple[str, int, str], list[int]] = defaultdict(list)
    for i, ad in enumerate(ads):
        key = _bridge_key(ad)
        if key is not None and ad.phones:
            groups[key].append(i)
    by_numbers: dict[tuple[str, str], list[tuple[int, int, str]]] = defaultdict(list)
    for key, members in groups.items():
        members.sort(key=lambda i: ads[i].day or 0)
        for a, b in itertools.pairwise(members):
            if set(ads[a].phones) & set(ads[b].phones):
                continue
            if abs((ads[a].day or 0) - (ads[b].day or 0)) <= BRIDGE_DAYS:
                pa, pb = ads[a].phones[0], ads[b].phones[0]
                by_numbers[(min(pa, pb), max(pa, pb))].append((a, b, key[0]))
    added = 0
    for bridges in by_numbers.values():
        if len({name for _, _, name in bridges}) < BRIDGE_PERSONAS:
            continue
        for a, b, _ in bridges:
            edges.add(a, b, HANDLE, 0.8)
            added += 1
    stats["edges/persona_bridge"] = stats.get("edges/persona_bridge", 0) + added


def corroborated(a: AdFeatures, b: AdFeatures) -> bool:
    """Whether a text match between ads is enough: same or no numbers, else a persona bridge.

    Stock wording is copied between unrelated advertisers, only name, age, city and number
    change; so a text match between ads with different numbers needs more evidence: the same
    woman (name and age) within days. (Photo, handle and e-mail matches are edges of their
    own and link without the text.)
    """
    if not a.phones or not b.phones or set(a.phones) & set(b.phones):
        return True
    return (a.persona is not None and a.persona == b.persona and bool(set(a.ages) & set(b.ages))
            and a.day is not None and b.day is not None and abs(a.day - b.day) <= 7)


def _band_keys(signatures: Any) -> Any:
    """One 64-bit key per ad and band, mixing the band's rows."""
    sig = signatures.astype(np.uint64).reshape(len(signatures), BANDS, ROWS)
    key = np.zeros((len(signatures), BANDS), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for r in range(ROWS):
            key = key * np.uint64(0x100000001B3) ^ sig[:, :, r]
    return key


def _sorted_unique(codes: Any) -> Any:
    """``np.unique`` by sorting in place: NumPy 2's hash-based ``unique`` took 40 times as
    long on tens of millions of int64 pair codes."""
    codes.sort()
    return codes[np.r_[True, codes[1:] != codes[:-1]]] if len(codes) else codes


def _bucket_pairs(order: Any, starts: Any, sizes: Any, n: int) -> Any:
    """Every unordered pair inside each bucket, coded as ``lo * n + hi`` (one int64 each).

    Buckets of one size are expanded together as a matrix, so the work is one NumPy call
    per distinct bucket size instead of one per bucket: at a million ads a band has
    hundreds of thousands of small buckets, and a Python loop over them was most of the
    text stage.
    """
    out: list[Any] = []
    for size in np.unique(sizes):
        members = order[starts[sizes == size][:, None] + np.arange(size)]
        left, right = np.triu_indices(int(size), 1)
        a, b = members[:, left].ravel(), members[:, right].ravel()
        out.append(np.minimum(a, b) * n + np.maximum(a, b))
    return np.concatenate(out) if out else np.zeros(0, dtype=np.int64)


def text_edges(ads: Sequence[AdFeatures], edges: Edges, stats: dict[str, int],
               workers: int = 1) -> None:
    """Edges between near-duplicate texts: exact duplicates, then LSH pairs verified.

    ``workers`` threads verify candidate pairs (rapidfuzz releases the GIL), so the
    stage uses every core without copying the texts into other processes.
    """
    # Exact duplicates of the cleaned text link directly, if the text is not too short.
    by_digest: dict[int, list[int]] = defaultdict(list)
    for i, ad in enumerate(ads):
        if ad.signature is not None:
            by_digest[ad.digest].append(i)
    cap = degree_cap(len(ads))
    unique: list[int] = []
    for members in by_digest.values():
        unique.append(members[0])
        if len(members) > cap:
            stats["blocked/text/degree"] = stats.get("blocked/text/degree", 0) + 1
            continue
        added = 0
        for a, b in itertools.pairwise(members):
            if corroborated(ads[a], ads[b]):
                edges.add(a, b, TEXT, 1.0)
                added += 1
        stats["edges/text_exact"] = stats.get("edges/text_exact", 0) + added
    del by_digest
    if len(unique) < 2:
        return
    unique_arr = np.asarray(sorted(unique), dtype=np.int64)
    n = len(unique_arr)
    signatures = np.stack([ads[i].signature for i in unique_arr])
    keys = _band_keys(signatures)
    codes = np.zeros(0, dtype=np.int64)
    for band in range(BANDS):
        column = keys[:, band]
        order = np.argsort(column, kind="stable")
        sorted_keys = column[order]
        starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
        sizes = np.diff(np.r_[starts, len(order)])
        generic = sizes > MAX_BUCKET
        stats["blocked/text/bucket"] = stats.get("blocked/text/bucket", 0) + int(generic.sum())
        shared = (sizes > 1) & ~generic
        pairs = _bucket_pairs(order, starts[shared], sizes[shared], n)
        if len(pairs):  # merged band by band: a template's clique recurs in every band
            codes = _sorted_unique(np.concatenate([codes, pairs]))
    del keys
    if not len(codes):
        return
    candidate = np.stack([codes // n, codes % n], axis=1)
    del codes
    stats["text/candidates"] = stats.get("text/candidates", 0) + len(candidate)
    tokens = np.empty(n, dtype=object)  # fancy indexing picks a block's texts without a loop
    tokens[:] = [ads[i].tokens for i in unique_arr]
    # In blocks, so that a million ads' candidate pairs never hold their signatures at once.
    for start in range(0, len(candidate), VERIFY_BLOCK):
        block = candidate[start:start + VERIFY_BLOCK]
        # Signature agreement estimates Jaccard; cheap, so it filters before rapidfuzz.
        agree = (signatures[block[:, 0]] == signatures[block[:, 1]]).mean(axis=1)
        block = block[agree >= 0.4]
        if not len(block):
            continue
        ratios = np.asarray(cpdist(tokens[block[:, 0]], tokens[block[:, 1]], scorer=fuzz.ratio,
                                   score_cutoff=MIN_RATIO, workers=max(1, workers)))
        ok = ratios >= MIN_RATIO
        for j in np.flatnonzero(ok):
            if not corroborated(ads[unique_arr[block[j, 0]]], ads[unique_arr[block[j, 1]]]):
                ok[j] = False
        edges.extend(unique_arr[block[ok, 0]], unique_arr[block[ok, 1]], TEXT, ratios[ok] / 100)
        stats["edges/text"] = stats.get("edges/text", 0) + int(ok.sum())
