import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest
import spacy
import spacy_pkuseg
from spacy_pkuseg.config import config as pkuseg_config

from spacy_preseg.corpus import CorpusError
from spacy_preseg.segmenter import (
    MIN_TRAIN_SENTENCES,
    USER_DICT_FILE,
    Scores,
    boundary_scores,
    dictionary_words,
    load_segmenter,
    read_corpus,
    split_held_out,
    train_segmenter,
)

from .conftest import ROOT, SEED, blank_preseg, run_cli, run_python

NAMES = ["嫦娥六号", "天问一号", "欧洲空间局", "中国", "中", "北斗", "北斗卫星导航系统", "亚太 空间"]
PLAIN = "中国与欧洲空间局开展了工程技术合作，推动北斗卫星导航系统全球服务。"
ITERATIONS = 5


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """One small model for the module: (model dir, held-out scores, progress messages)."""
    messages = []
    model_dir = tmp_path_factory.mktemp("segmenter") / "model"
    scores = train_segmenter(
        [SEED], model_dir, iterations=ITERATIONS, user_dict=NAMES, progress=messages.append
    )
    return model_dir, scores, messages


@pytest.fixture
def model_copy(trained, tmp_path):
    copy = tmp_path / "model"
    shutil.copytree(trained[0], copy)
    return copy



# Training and the model directory --------------------------------------------


def test_model_dir_loads_in_pkuseg_and_leaves_nothing_behind(trained):
    model_dir, _, messages = trained
    assert sorted(p.name for p in model_dir.iterdir()) == ["features.msgpack", USER_DICT_FILE, "weights.npz"]
    assert [p.name for p in model_dir.parent.iterdir()] == ["model"]  # no build or trash dirs
    assert not os.path.exists(pkuseg_config.tempFile)  # pkuseg's scratch files are gone
    words = spacy_pkuseg.pkuseg(str(model_dir)).cut(PLAIN)
    assert "".join(words) == PLAIN
    assert [m for m in messages if m.startswith("Iteration")][-1].startswith(f"Iteration {ITERATIONS}/{ITERATIONS}")


def test_segments_unsegmented_text_into_multi_character_words(trained):
    words = load_segmenter(trained[0]).cut(PLAIN)
    assert "".join(words) == PLAIN
    assert sum(len(w) > 1 for w in words) >= len(words) // 2
    assert {"中国", "欧洲空间局", "合作"} <= set(words)


def test_beats_char_on_held_out_lines(trained):
    scores = trained[1]
    assert scores["char"].recall == 1.0
    assert scores["pkuseg"].f1 > scores["char"].f1 + 0.1


def test_training_is_deterministic_and_replaces_an_earlier_model(trained, model_copy, tmp_path):
    train_segmenter([SEED], model_copy, iterations=ITERATIONS, user_dict=False, progress=lambda m: None)
    assert [p.name for p in tmp_path.iterdir()] == ["model"]
    assert (model_copy / USER_DICT_FILE).read_text(encoding="utf-8") == ""
    weights = [np.load(d / "weights.npz")["w"] for d in (trained[0], model_copy)]
    assert np.array_equal(*weights)


# User dictionary --------------------------------------------------------------


def test_dictionary_keeps_only_names_the_corpus_allows():
    sentences = [["发展", "中", "国家"], ["嫦娥", "六", "号", "任务"], ["北斗", "系统"]]
    words = dictionary_words(NAMES + ["嫦娥六号"], sentences)
    # 中: one character; 中国: cut across 发展/中/国家; 北斗: prefix of a longer name;
    # 亚太 空间: whitespace; 嫦娥六号: several corpus words, kept whole.
    assert words == ["北斗卫星导航系统", "天问一号", "嫦娥六号", "欧洲空间局"]


def test_user_dict_is_written_and_used(trained):
    model_dir, _, messages = trained
    train, _ = split_held_out(read_corpus([SEED]))
    lines = (model_dir / USER_DICT_FILE).read_text(encoding="utf-8").splitlines()
    assert lines == dictionary_words(NAMES, train)
    assert "User dictionary: 4 of 8 names" in " ".join(messages)
    assert "北斗卫星导航系统" in load_segmenter(model_dir).cut(PLAIN)
    # No general dictionary: pkuseg's merging step is off and empty.
    segmenter = load_segmenter(model_dir)
    assert segmenter.postprocesser.do_process is False
    assert not segmenter.postprocesser.other_words
    assert not load_segmenter(model_dir, user_dict=None).preprocesser.trie.children


# Scoring and the split -----------------------------------------------------------


def test_boundary_scores_count_word_ends():
    gold = [["中国", "与", "欧洲"]]
    assert boundary_scores(list, gold) == pytest.approx(Scores(3 / 5, 1.0, 0.75))
    assert boundary_scores(lambda text: ["中国", "与", "欧洲"], gold) == Scores(1.0, 1.0, 1.0)
    assert boundary_scores(lambda text: [text], gold) == pytest.approx(Scores(1.0, 1 / 3, 0.5))
    with pytest.raises(ValueError, match="changed the text"):
        boundary_scores(lambda text: ["中国"], gold)


def test_held_out_split_is_deterministic():
    sentences = [[str(i)] for i in range(69)]
    train, held = split_held_out(sentences, 0.1, seed=0)
    assert (train, held) == split_held_out(sentences, 0.1, seed=0)
    assert len(held) == 7 and len(train) == 62
    assert train + held != sentences and sorted(train + held, key=lambda s: int(s[0])) == sentences
    assert held == sorted(held, key=lambda s: int(s[0]))  # corpus order kept
    assert split_held_out(sentences, 0.1, seed=1)[1] != held
    assert split_held_out(sentences, 0) == (sentences, [])
    with pytest.raises(ValueError, match="held-out share"):
        split_held_out(sentences, 1.0)


# spaCy ---------------------------------------------------------------------


def test_preseg_tokenizer_uses_the_model_for_plain_text_only(trained):
    nlp = blank_preseg(segmenter="pkuseg")
    nlp.tokenizer.initialize(pkuseg_model=trained[0])
    fallback = nlp.tokenizer.fallback.pkuseg_seg
    assert np.array_equal(fallback.model.w, np.load(trained[0] / "weights.npz")["w"])
    doc = nlp(PLAIN)
    assert [t.text for t in doc] == fallback.cut(PLAIN)
    assert any(len(t) > 1 for t in doc)
    assert [t.text for t in nlp("嫦娥/六/号/任务/")] == ["嫦娥", "六", "号", "任务"]


def test_entities_behind_the_trained_segmenter(trained):
    nlp = blank_preseg(segmenter="pkuseg")
    nlp.tokenizer.initialize(pkuseg_model=trained[0])
    nlp.add_pipe("preseg_entities")
    texts = ["中国与俄罗斯联合发起国际月球科研站计划", "与/欧洲/空间局/开展/合作/"]
    expected = [[("中国", "GPE"), ("俄罗斯", "GPE"), ("国际月球科研站", "MISSION")], [("欧洲空间局", "ORG")]]
    assert [[(e.text, e.label_) for e in doc.ents] for doc in nlp.pipe(texts)] == expected
    assert [[(e.text, e.label_) for e in doc.ents] for doc in nlp.pipe(texts, n_process=2)] == expected


def test_model_travels_with_the_pipeline(model_copy, tmp_path):
    nlp = blank_preseg(segmenter="pkuseg")
    nlp.tokenizer.initialize(pkuseg_model=model_copy)
    texts = [PLAIN, "与俄罗斯联合发起国际月球科研站计划", "嫦娥/六/号/任务/"]
    expected = [[t.text for t in nlp(text)] for text in texts]
    nlp.to_disk(tmp_path / "pipeline")
    shutil.rmtree(model_copy)
    code = (
        "import json, sys, spacy\n"
        "nlp = spacy.load(sys.argv[1])\n"
        "print(json.dumps([[t.text for t in nlp(x)] for x in json.loads(sys.argv[2])]))\n"
    )
    result = run_python(code, str(tmp_path / "pipeline"), json.dumps(texts))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == expected


def test_config_assembles_a_pipeline_holding_the_model(model_copy, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "spacy", "assemble", str(ROOT / "configs" / "segmenter.cfg"),
         str(tmp_path / "pipeline"), "--paths.segmenter", str(model_copy)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    expected = blank_preseg(segmenter="pkuseg")
    expected.tokenizer.initialize(pkuseg_model=model_copy)
    shutil.rmtree(model_copy)
    nlp = spacy.load(tmp_path / "pipeline")
    assert [t.text for t in nlp(PLAIN)] == [t.text for t in expected(PLAIN)]
    assert [t.text for t in nlp("嫦娥/六/号/")] == ["嫦娥", "六", "号"]


def test_spacy_chinese_tokenizer_takes_the_model(trained):
    model_dir = trained[0]
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "pkuseg"}}})
    nlp.tokenizer.initialize(pkuseg_model=str(model_dir))
    words = [t.text for t in nlp(PLAIN)]
    assert "".join(words) == PLAIN and "欧洲空间局" in words
    nlp.tokenizer.initialize(pkuseg_model=str(model_dir), pkuseg_user_dict=str(model_dir / USER_DICT_FILE))
    assert "北斗卫星导航系统" in [t.text for t in nlp(PLAIN)]


# Errors --------------------------------------------------------------------


def test_unusable_model_dirs_fail_clearly(model_copy, tmp_path):
    with pytest.raises(FileNotFoundError, match="No pkuseg model directory"):
        load_segmenter(tmp_path / "missing")
    (model_copy / "weights.npz").write_bytes(b"")
    with pytest.raises(ValueError, match=f"Could not load the pkuseg model in {model_copy}"):
        load_segmenter(model_copy)
    nlp = blank_preseg(segmenter="pkuseg")
    with pytest.raises(ValueError, match="Could not load the pkuseg model"):
        nlp.tokenizer.initialize(pkuseg_model=model_copy)


@pytest.mark.parametrize(
    "content,message",
    [
        (b"", "empty corpus"),
        (b"\n  \n", "empty corpus"),
        ("中国与欧洲\n合作\n".encode("utf8"), "no '/' between words"),
        ("中国/与/\n".encode("utf8") + b"\xff/\n", ":2: not UTF-8"),
        ("中国/与/\n".encode("utf8") * (MIN_TRAIN_SENTENCES - 1), "at least 10 sentences"),
    ],
)
def test_bad_corpora_fail_before_training(tmp_path, content, message):
    corpus = tmp_path / "corpus.txt"
    corpus.write_bytes(content)
    with pytest.raises(ValueError, match=message) as err:
        train_segmenter([corpus], tmp_path / "model", dev_share=0, progress=lambda m: None)
    if "sentences" not in message:
        assert str(corpus) in str(err.value)
    assert [p.name for p in tmp_path.iterdir()] == ["corpus.txt"]


def test_plain_lines_are_left_out_of_training(tmp_path):
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("中国/与/俄罗斯/\n中国与俄罗斯合作\n北斗/\n", encoding="utf8")
    assert read_corpus([corpus]) == [["中国", "与", "俄罗斯"], ["北斗"]]


def test_missing_corpus_and_occupied_output_dir(tmp_path):
    with pytest.raises(CorpusError, match="missing.txt: no such file"):
        read_corpus([tmp_path / "missing.txt"])
    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "notes.txt").write_text("mine")
    with pytest.raises(ValueError, match="notes.txt.*not replacing it"):
        train_segmenter([SEED], occupied, progress=lambda m: None)
    assert [p.name for p in occupied.iterdir()] == ["notes.txt"]


# Command line ------------------------------------------------------------------


def test_cli_trains_scores_and_leaves_only_the_model(tmp_path):
    result = run_cli("train-segmenter", SEED, "out", "--iterations", 2, "--seed", 3, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    table = result.stdout.splitlines()
    assert table[0].split() == ["held-out", "P", "R", "F1"]
    rows = {line.split()[0]: [float(x.rstrip("%")) for x in line.split()[1:]] for line in table[1:]}
    assert rows["pkuseg"][2] > rows["char"][2]
    assert "Iteration 2/2" in result.stderr and "User dictionary:" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
    assert (tmp_path / "out" / USER_DICT_FILE).read_text(encoding="utf-8").strip()  # gazetteer names
    assert load_segmenter(tmp_path / "out").cut(PLAIN)


def test_cli_errors_are_one_line(tmp_path):
    plain = tmp_path / "plain.txt"
    plain.write_text("中国与欧洲\n", encoding="utf8")
    result = run_cli("train-segmenter", plain, "out", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"Error: {plain}: no '/' between words anywhere: not a segmented corpus"
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plain.txt"]
