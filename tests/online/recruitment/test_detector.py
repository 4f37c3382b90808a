"""The recruitment detector: lexicon as data, scores with reasons, hard negatives low."""

from __future__ import annotations

from pathlib import Path

import pytest

from ketenzicht.online.analysis.recruitment import evaluation, generator, lexicon
from ketenzicht.online.analysis.recruitment.detector import Detector, char_wb_ngrams

RECRUITMENT = "Wil je snel geld verdienen? €500 per dag, pakketje wegbrengen. Geen ervaring, " \
              "vanaf 15. Alleen via Snap 💸"
WARNING = (f"Pas op! Krijg je een bericht als “{RECRUITMENT}”? Ga er niet op in. Wie zijn pas "
           "uitleent is een geldezel en dat is strafbaar. Meld het bij de politie.")
NEWS = (f"Volgens de politie worden jongeren in Zwolle gelokt met berichten als \"{RECRUITMENT}\""
        ". Twee jongens werden aangehouden.")
JOB = ("Vakkenvuller gezocht bij onze supermarkt. Vanaf 15 jaar, geen ervaring nodig. Jeugdloon "
       "volgens cao, €8,40 per uur bruto. Solliciteer via onze website.")


def _score(detector: Detector, text: str) -> float:
    return detector.score_texts(["x"], [text])[0].score


def test_every_lexicon_example_raises_its_sign() -> None:
    lx = lexicon.load()
    for sign in lx.signs:
        assert sign.examples, f"{sign.code} has no examples"
        for example in sign.examples:
            assert any(h.code == sign.code for h in lx.find(example)), (sign.code, example)
    assert {"money_hook", "task", "low_bar", "secrecy", "emoji", "age_target"} <= set(lx.codes)
    assert all(t.source in lx.sources for s in lx.signs for t in s.terms)


def test_override_adds_and_drops_terms_without_a_release(tmp_path: Path) -> None:
    path = tmp_path / "local.yaml"
    path.write_text('version: "local-1"\nsources: {team: "Team analysis, week 49"}\n'
                    'signs:\n  money_hook:\n    terms: [{pattern: "knetter ?cash", source: team}]\n'
                    '    drop: ["cashen|cashe|cash verdienen|cash maken|money maken|paper maken|'
                    'geld maken"]\n', encoding="utf-8")
    lx = lexicon.load(path)
    assert [h.text for h in lx.find("knettercash vandaag")] == ["knettercash"]
    assert not [h for h in lx.find("wie wil cashen") if h.code == "money_hook"]
    assert lx.fingerprint != lexicon.load().fingerprint  # so the detector retrains


def test_a_term_with_an_unknown_source_or_bad_regex_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("signs:\n  task:\n    terms: [{pattern: 'klus', source: nobody}]\n")
    with pytest.raises(lexicon.LexiconError, match="nobody"):
        lexicon.load(path)
    path.write_text("sources: {a: b}\nsigns:\n  task:\n    terms: [{pattern: '(', source: a}]\n")
    with pytest.raises(lexicon.LexiconError, match="regex"):
        lexicon.load(path)


def test_the_ngram_analyzer_matches_scikit_learn() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    analyzer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4),
                               lowercase=False).build_analyzer()
    for text in ("a", "ab  cd\te", "snel geld 💸 verdienen!!", "  x  ", RECRUITMENT):
        assert char_wb_ngrams(text) == analyzer(text)


def test_recruitment_scores_high_with_reasons_that_quote_the_post(detector: Detector) -> None:
    [s] = detector.score_texts(["r"], [RECRUITMENT])
    assert s.score > 0.9
    assert s.min_age == 15
    codes = {r.code for r in s.reasons}
    assert {"money_hook", "task", "low_bar", "secrecy", "emoji", "age_target"} <= codes
    for r in s.reasons:
        if r.code != "text_model":
            for a, b in r.spans:
                assert RECRUITMENT[a:b] in r.evidence
    out = s.to_json()
    assert set(out) == {"id", "score", "reasons", "min_age"}
    assert {"code", "weight", "evidence"} <= set(out["reasons"][0])


def test_a_warning_that_quotes_a_recruitment_post_scores_low(detector: Detector) -> None:
    assert _score(detector, RECRUITMENT) > 0.9
    [warning] = detector.score_texts(["w"], [WARNING])
    assert warning.score < 0.2
    assert {"warning", "quoted"} <= {r.code for r in warning.reasons if r.weight < 0}
    assert _score(detector, NEWS) < 0.2
    assert _score(detector, JOB) < 0.3


def test_the_model_is_deterministic_and_survives_its_cache(detector: Detector, tmp_path: Path
                                                          ) -> None:
    path = tmp_path / "m.npz"
    detector.save(path)
    again = Detector.load_file(detector.lexicon, path)
    texts = [RECRUITMENT, WARNING, JOB]
    assert [s.to_json() for s in again.score_texts(["a", "b", "c"], texts)] == \
        [s.to_json() for s in detector.score_texts(["a", "b", "c"], texts)]


def test_the_generator_is_seeded_and_writes_three_registers() -> None:
    a = [p.text for p in generator.generate(5, generator.Knobs(n=300))]
    b = [p.text for p in generator.generate(5, generator.Knobs(n=300))]
    assert a == b
    posts = list(generator.generate(5, generator.Knobs(n=300)))
    assert {p.register for p in posts} == set(generator.REGISTERS)
    assert {p.kind for p in posts} == {"recruitment", *generator.NEGATIVE_KINDS}


def test_on_a_fresh_seed_the_detector_meets_the_bar(detector: Detector) -> None:
    posts = list(generator.generate(11, generator.Knobs(n=800)))
    report = evaluation.report(detector, posts)
    assert report["roc_auc"] >= 0.95
    assert report["precision_at_recall_0.8"] >= 0.9
    assert set(report["per_sign"]) == set(generator.SIGNS)
    assert set(report["per_negative_kind"]) == set(generator.NEGATIVE_KINDS)


def test_the_shipped_model_is_the_shipped_lexicons() -> None:
    from ketenzicht.online.analysis.recruitment.detector import SHIPPED_MODEL

    # After a change to the lexicon, the generator or the features, run
    # `ketenzicht online recruitment train --ship` and commit data/model.npz.
    assert Detector.key_of(SHIPPED_MODEL) == Detector.cache_key(lexicon.load())
