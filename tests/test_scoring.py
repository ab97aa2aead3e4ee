import json

import pytest

from spacy_preseg.corpus import read_records
from spacy_preseg.scoring import Scores, boundary_scores, prf, score, word_ends, word_scores

from .conftest import blank_preseg


def test_prf():
    assert prf(3, 1, 2) == pytest.approx({"p": 0.75, "r": 0.6, "f": 2 / 3, "tp": 3, "fp": 1, "fn": 2})
    assert prf(0, 0, 0) == {"p": 0.0, "r": 0.0, "f": 0.0, "tp": 0, "fp": 0, "fn": 0}


@pytest.fixture
def gold(tmp_path):
    rows = [
        # 中国 and 欧洲空间局 found; the gold's 合作 (a wrong label on purpose) missed.
        {"source": "中国/与/欧洲/空间局/合作/", "spans": [
            {"start": 0, "end": 2, "label": "GPE"}, {"start": 3, "end": 8, "label": "ORG"},
            {"start": 8, "end": 10, "label": "ORG"}]},
        # 俄罗斯 found but not in the gold: a false positive.
        {"source": "俄罗斯/", "spans": []},
        # A country inside the token 中美: found only when tokens are split.
        {"source": "中美/合作/", "spans": [{"start": 0, "end": 1, "label": "GPE"}, {"start": 1, "end": 2, "label": "GPE"}]},
    ]
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf8")
    return list(read_records(path))


def build(**config):
    nlp = blank_preseg()
    nlp.add_pipe("preseg_entities", config=config)
    return nlp


def test_strict_counts_per_label(gold):
    scores = score(build(), gold)
    assert {k: scores["micro"][k] for k in ("tp", "fp", "fn")} == {"tp": 2, "fp": 1, "fn": 3}
    assert {label: (s["tp"], s["fp"], s["fn"]) for label, s in scores["per_label"].items()} == {
        "GPE": (1, 1, 2),
        "ORG": (1, 0, 1),
    }


def test_split_tokens_and_gold_words_find_the_countries_inside_a_token(gold):
    assert score(build(split_tokens=True), gold)["micro"]["tp"] == 4
    assert score(build(), gold, gold_preproc=True)["micro"]["tp"] == 4


def test_word_ends():
    assert word_ends(["中国", "与", "欧洲"]) == {2, 3, 5}
    assert word_ends([]) == set()


def test_boundary_scores_count_word_ends():
    gold = [["中国", "与", "欧洲"]]
    assert boundary_scores(list, gold) == pytest.approx(Scores(3 / 5, 1.0, 0.75))
    assert boundary_scores(lambda text: ["中国", "与", "欧洲"], gold) == Scores(1.0, 1.0, 1.0)
    assert boundary_scores(lambda text: [text], gold) == pytest.approx(Scores(1.0, 1 / 3, 0.5))
    with pytest.raises(ValueError, match="changed the text"):
        boundary_scores(lambda text: ["中国"], gold)


def test_word_scores_count_whole_words():
    gold = [["中国", "与", "欧洲"], ["合作"]]
    # char: only 与 is a gold word among the 7 characters; 4 gold words.
    assert word_scores(list, gold) == pytest.approx(Scores(1 / 7, 1 / 4, 2 / 11))
    # One wrong boundary (中国与 / 欧洲) costs two words, not one end.
    cut = {"中国与欧洲": ["中国与", "欧洲"], "合作": ["合作"]}
    assert word_scores(cut.get, gold) == pytest.approx(Scores(2 / 3, 2 / 4, 4 / 7))
    assert boundary_scores(cut.get, gold) == pytest.approx(Scores(1.0, 3 / 4, 6 / 7))
    with pytest.raises(ValueError, match="changed the text"):
        word_scores(lambda text: [text[:1]], gold)
