"""The rule pipeline scored on the seed, the development set and the held-out set (strict, micro).

Floors a little below the figures in the README, so that a change which
costs quality on text of the field fails here, not only in a benchmark.
"""

import pytest

from spacy_preseg.corpus import read_records
from spacy_preseg.entities import rule_pipeline
from spacy_preseg.scoring import score

from .conftest import ROOT, SEED_GOLD

SETS = {"seed": SEED_GOLD, "devset": ROOT / "devset", "heldout": ROOT / "heldout"}
# (how the text is read, minimum micro F1, minimum micro precision, minimum F1 of every label);
# "char": spaCy's own char tokenizer on the text without delimiters.
FLOORS = {
    ("seed", "split tokens"): (0.98, 0.98, 0.95),
    ("seed", "tokens kept"): (0.96, 0.98, 0.94),
    ("seed", "char"): (0.97, 0.98, 0.94),
    ("devset", "split tokens"): (0.97, 0.98, 0.95),
    ("devset", "tokens kept"): (0.87, 0.97, 0.68),
    ("devset", "char"): (0.95, 0.96, 0.94),
    ("heldout", "split tokens"): (0.94, 0.96, 0.91),
    ("heldout", "tokens kept"): (0.87, 0.96, 0.70),
    ("heldout", "char"): (0.95, 0.95, 0.91),
}


@pytest.fixture(scope="module", params=["tokens kept", "split tokens", "char"])
def pipeline(request):
    mode = request.param
    return mode, rule_pipeline(split_tokens=mode == "split tokens", char=mode == "char")


@pytest.mark.parametrize("name", SETS)
def test_scores_stay_above_their_floors(pipeline, name):
    mode, nlp = pipeline
    records = [r for r in read_records(SETS[name]) if r.spans is not None]
    assert len(records) >= 60
    scores = score(nlp, records)
    f1, precision, label_f1 = FLOORS[(name, mode)]
    assert scores["micro"]["f"] >= f1
    assert scores["micro"]["p"] >= precision
    assert set(scores["per_label"]) == {"GPE", "ORG", "MISSION"}
    assert all(s["f"] >= label_f1 for s in scores["per_label"].values())
