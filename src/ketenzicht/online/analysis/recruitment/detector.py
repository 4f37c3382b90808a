"""The recruitment detector: lexicon features plus a char n-gram TF-IDF text classifier.

One logistic regression over both, so every part of a score is a term ``weight x value``
that can be shown: each sign's spans with its weight, and the n-grams that moved the text
classifier most. It is trained on the seeded synthetic corpus (``generator``, seed
``TRAIN_SEED``), deterministically, on first use; the fitted numbers are cached as plain
arrays (``.npz``, no pickle) under a name that changes with the lexicon, the generator and
scikit-learn, so an analyst's new term retrains the model on its next run.
"""

from __future__ import annotations

import contextlib
import hashlib
import heapq
import json
import math
import os
import re
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from ketenzicht.online.analysis.recruitment import features as F
from ketenzicht.online.analysis.recruitment import generator
from ketenzicht.online.analysis.recruitment.lexicon import Lexicon

TRAIN_SEED: Final = 20261207
TRAIN_N: Final = 4000
MODEL_VERSION: Final = "1"
NGRAMS: Final = (2, 4)
MAX_FEATURES: Final = 30_000
C: Final = 2.0
MIN_REASON: Final = 0.05  # smaller contributions are not worth a professional's time
# The shipped lexicon's model (76 kB), written by ``ketenzicht online recruitment train
# --ship``; used while its key matches, so a fresh installation scores without training.
SHIPPED_MODEL: Final = Path(__file__).resolve().parent / "data" / "model.npz"


@dataclass(frozen=True, slots=True)
class Reason:
    """One part of a score: a sign (or the text model) with its weight and spans."""

    code: str
    weight: float
    evidence: str
    spans: tuple[tuple[int, int], ...]

    def to_json(self) -> dict[str, Any]:
        """``{"code", "weight", "evidence", "start", "end", "spans"}``."""
        first = self.spans[0] if self.spans else (0, 0)
        return {"code": self.code, "weight": round(self.weight, 3), "evidence": self.evidence,
                "start": first[0], "end": first[1], "spans": [list(s) for s in self.spans]}


@dataclass(frozen=True, slots=True)
class Scored:
    """A post's score, its reasons (largest first) and its minimum age if the text says."""

    id: str
    score: float
    reasons: tuple[Reason, ...]
    min_age: int | None

    def to_json(self) -> dict[str, Any]:
        """The output line of ``online recruitment score``."""
        out: dict[str, Any] = {"id": self.id, "score": round(self.score, 4),
                               "reasons": [r.to_json() for r in self.reasons]}
        if self.min_age is not None:
            out["min_age"] = self.min_age
        return out


_SPACES: Final = re.compile(r"\s\s+")


def char_wb_ngrams(text: str, lo: int = NGRAMS[0], hi: int = NGRAMS[1]) -> list[str]:
    """scikit-learn's ``char_wb`` analyzer, written out so that scoring needs no SciPy.

    A test checks it against ``TfidfVectorizer(analyzer="char_wb")`` gram for gram.
    """
    out: list[str] = []
    extend = out.extend
    for word in _SPACES.sub(" ", text).split():
        w = f" {word} "
        size = len(w)
        for n in range(lo, hi + 1):
            if size <= n:  # a word no longer than n is counted once, as sklearn does
                out.append(w)
                break
            extend([w[i:i + n] for i in range(size - n + 1)])
    return out


class Detector:
    """A fitted detector for one lexicon: vocabulary, idf, weights, intercept."""

    def __init__(self, lexicon: Lexicon, vocabulary: dict[str, int],
                 idf: npt.NDArray[np.float64], coef: npt.NDArray[np.float64],
                 intercept: float) -> None:
        self.lexicon = lexicon
        self.vocabulary = vocabulary
        self.n_text = len(vocabulary)
        self.idf = [float(v) for v in idf]
        self.coef = coef
        self.text_coef = [float(v) for v in coef[:self.n_text]]
        self.lex_coef = coef[self.n_text:]
        self.intercept = intercept
        self.names = F.names(lexicon)
        self.terms = [""] * self.n_text
        for term, col in vocabulary.items():
            self.terms[col] = term.strip()
        # Short grams ("r,", " t") say nothing to a reader: explanations show 3+ letters.
        self.readable = [sum(c.isalnum() for c in t) >= 3 for t in self.terms]
        self.idf_coef = [i * c for i, c in zip(self.idf, self.text_coef, strict=True)]

    # --- training ---------------------------------------------------------------------

    @classmethod
    def train(cls, lexicon: Lexicon, texts: Sequence[str], labels: Sequence[int]) -> Detector:
        """Fit on ``texts``; deterministic (liblinear with a fixed random state)."""
        # Imported here: scoring runs on the fitted numbers alone and never loads SciPy.
        from scipy.sparse import csr_matrix, hstack
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        rows = [F.extract(lexicon, t) for t in texts]
        vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAMS, sublinear_tf=True,
                                     min_df=2, max_features=MAX_FEATURES, lowercase=False)
        text_x = vectorizer.fit_transform([r.folded.text for r in rows])
        x = hstack([text_x, csr_matrix(np.vstack([r.row for r in rows]))]).tocsr()
        model = LogisticRegression(C=C, solver="liblinear", random_state=0, max_iter=1000)
        model.fit(x, np.asarray(labels))
        vocabulary = {str(t): int(i) for t, i in vectorizer.vocabulary_.items()}
        return cls(lexicon, vocabulary, np.asarray(vectorizer.idf_, dtype=np.float64),
                   model.coef_[0].astype(np.float64), float(model.intercept_[0]))

    @classmethod
    def train_synthetic(cls, lexicon: Lexicon) -> Detector:
        """Fit on the synthetic corpus of ``TRAIN_SEED``."""
        posts = list(generator.generate(TRAIN_SEED, generator.Knobs(n=TRAIN_N)))
        return cls.train(lexicon, [p.text for p in posts], [p.label for p in posts])

    # --- cache ------------------------------------------------------------------------

    @staticmethod
    def cache_key(lexicon: Lexicon) -> str:
        """What the cached model depends on, hashed."""
        here = Path(generator.__file__).parent
        code = b"".join((here / name).read_bytes()
                        for name in ("generator.py", "phrases.py", "features.py"))
        from importlib.metadata import version

        parts = (MODEL_VERSION, lexicon.fingerprint, version("scikit-learn"), str(TRAIN_SEED),
                 str(TRAIN_N), str(NGRAMS), str(MAX_FEATURES), str(C),
                 hashlib.sha256(code).hexdigest())
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:20]

    def save(self, path: Path) -> None:
        """Write the fitted arrays and their key atomically (a crash leaves no half file)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        ordered = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        vocab = json.dumps(ordered, ensure_ascii=False)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".npz")
        with os.fdopen(fd, "wb") as fh:
            np.savez_compressed(fh, coef=self.coef, intercept=np.array([self.intercept]),
                                idf=np.asarray(self.idf), vocab=np.array([vocab]),
                                key=np.array([self.cache_key(self.lexicon)]))
        os.chmod(tmp, 0o644)  # mkstemp's 0600 would hide a shipped model from other users
        os.replace(tmp, path)

    @classmethod
    def load_file(cls, lexicon: Lexicon, path: Path) -> Detector:
        """Read arrays written by :meth:`save` (``allow_pickle`` stays off)."""
        with np.load(path, allow_pickle=False) as data:
            terms = json.loads(str(data["vocab"][0]))
            return cls(lexicon, {t: i for i, t in enumerate(terms)}, data["idf"], data["coef"],
                       float(data["intercept"][0]))

    @staticmethod
    def key_of(path: Path) -> str | None:
        """The key a model file was trained under, or None if it has none or is unreadable."""
        try:
            with np.load(path, allow_pickle=False) as data:
                return str(data["key"][0]) if "key" in data else None
        except (OSError, ValueError):
            return None

    @classmethod
    def for_lexicon(cls, lexicon: Lexicon, cache_dir: Path | None) -> Detector:
        """The detector of this lexicon: shipped, cached, or trained now (then cached)."""
        key = cls.cache_key(lexicon)
        if SHIPPED_MODEL.is_file() and cls.key_of(SHIPPED_MODEL) == key:
            return cls.load_file(lexicon, SHIPPED_MODEL)
        path = cache_dir / f"recruitment-{key}.npz" if cache_dir else None
        if path is not None and path.is_file():
            try:
                return cls.load_file(lexicon, path)
            except (OSError, ValueError, KeyError):
                pass  # a damaged cache is rebuilt, never trusted
        detector = cls.train_synthetic(lexicon)
        if path is not None:
            with contextlib.suppress(OSError):  # a read-only cache only costs training time
                detector.save(path)
        return detector

    # --- scoring ----------------------------------------------------------------------

    def text_vector(self, folded: str) -> dict[int, float]:
        """The post's TF-IDF row (sublinear tf, l2-normalised) as ``{column: value}``."""
        get, idf, log = self.vocabulary.get, self.idf, math.log
        row: dict[int, float] = {}
        for gram, n in Counter(char_wb_ngrams(folded)).items():
            col = get(gram)
            if col is not None:
                row[col] = (1.0 + log(n)) * idf[col]
        norm = math.sqrt(sum(v * v for v in row.values()))
        return {col: v / norm for col, v in row.items()} if norm else row

    def text_part(self, folded: str) -> tuple[float, dict[int, float]]:
        """The text classifier's weight and each readable n-gram's share of it (unscaled).

        One pass: the dot product and the norm are summed together and divided once, and
        only the n-grams an explanation may show are kept (the ranking needs no scaling).
        """
        get, idf, idf_coef, readable, log = (self.vocabulary.get, self.idf, self.idf_coef,
                                             self.readable, math.log)
        shares: dict[int, float] = {}
        dot = square = 0.0
        for gram, n in Counter(char_wb_ngrams(folded)).items():
            col = get(gram)
            if col is None:
                continue
            tf = 1.0 if n == 1 else 1.0 + log(n)
            value = tf * idf[col]
            square += value * value
            share = tf * idf_coef[col]
            dot += share
            if readable[col]:
                shares[col] = share
        return (dot / math.sqrt(square) if square else 0.0), shares

    def score_texts(self, ids: Sequence[str], texts: Sequence[str]) -> list[Scored]:
        """Score a batch of posts."""
        out = []
        for post_id, text in zip(ids, texts, strict=True):
            r = F.extract(self.lexicon, text)
            text_weight, row = self.text_part(r.folded.text)
            lex_terms = r.row * self.lex_coef
            z = self.intercept + text_weight + float(lex_terms.sum())
            score = 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0
            out.append(Scored(post_id, score, self._reasons(r, lex_terms, text_weight, row),
                              r.min_age))
        return out

    def _reasons(self, r: F.PostFeatures, lex_terms: npt.NDArray[np.float64],
                 text_weight: float, text_row: dict[int, float]) -> tuple[Reason, ...]:
        reasons: list[Reason] = []
        codes = self.lexicon.codes
        for i, code in enumerate(codes):
            weight = float(lex_terms[2 * i] + lex_terms[2 * i + 1])
            hits = sorted((h for h in r.hits if h.code == code), key=lambda h: h.start)
            if not hits or abs(weight) < MIN_REASON:
                continue
            reasons.append(Reason(code, weight, " … ".join(dict.fromkeys(h.text for h in hits)),
                                  tuple((h.start, h.end) for h in hits)))
        base = 2 * len(codes)
        quoted_weight = float(lex_terms[base + 1] + lex_terms[base + 2])
        if abs(quoted_weight) >= MIN_REASON:
            quoted = [h for h, q in zip(r.hits, r.quoted, strict=True) if q]
            quoted.sort(key=lambda h: h.start)
            reasons.append(Reason("quoted", quoted_weight,
                                  " … ".join(dict.fromkeys(h.text for h in quoted)),
                                  tuple((h.start, h.end) for h in quoted)))
        if abs(text_weight) >= MIN_REASON:
            reasons.append(self._text_reason(r, text_weight, text_row))
        reasons.sort(key=lambda x: -abs(x.weight))
        return tuple(reasons)

    def _text_reason(self, r: F.PostFeatures, weight: float, row: dict[int, float]
                     ) -> Reason:
        """The text classifier's part, shown as the n-grams that pushed it the most."""
        pick = heapq.nlargest if weight > 0 else heapq.nsmallest
        ranked = pick(3, sorted(row), key=row.__getitem__)
        grams = [self.terms[col] for col in ranked]
        spans = []
        for g in grams:
            at = r.folded.text.find(g)
            if at >= 0:
                spans.append(r.folded.span(at, at + len(g)))
        return Reason("text_model", weight, " | ".join(grams), tuple(sorted(spans)))
