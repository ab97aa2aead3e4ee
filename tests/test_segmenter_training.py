import json
import os
import re
import shutil

import numpy as np
import pytest
import spacy_pkuseg
from spacy_pkuseg.config import config as pkuseg_config
from spacy_pkuseg.data import DataSet
from spacy_pkuseg.feature_extractor import FeatureExtractor

from spacy_preseg.corpus import CorpusError
from spacy_preseg.segmenter import USER_DICT_FILE, PkusegSegmenter, load_segmenter
from spacy_preseg.segmenter_training import (
    MIN_TRAIN_SENTENCES,
    _example,
    dictionary_words,
    read_corpus,
    sample,
    split_held_out,
    train_model,
    train_segmenter,
)

from .conftest import SEED, SEGMENTER_ITERATIONS, SEGMENTER_NAMES, run_cli

PLAIN = "中国与欧洲空间局开展了工程技术合作，推动北斗卫星导航系统全球服务。"


@pytest.fixture
def model_copy(trained_segmenter, tmp_path):
    copy = tmp_path / "model"
    shutil.copytree(trained_segmenter[0], copy)
    return copy


def quiet(message):
    pass


# Training and the model directory --------------------------------------------


def test_model_dir_loads_in_pkuseg_and_leaves_nothing_behind(trained_segmenter):
    model_dir, _, messages = trained_segmenter
    assert sorted(p.name for p in model_dir.iterdir()) == ["features.msgpack", USER_DICT_FILE, "weights.npz"]
    assert [p.name for p in model_dir.parent.iterdir()] == ["model"]  # no build or trash dirs
    assert not os.path.exists(pkuseg_config.tempFile)  # pkuseg's scratch files are gone
    words = spacy_pkuseg.pkuseg(str(model_dir)).cut(PLAIN)
    assert "".join(words) == PLAIN
    assert [m for m in messages if m.startswith("Iteration")][-1].startswith(f"Iteration {SEGMENTER_ITERATIONS}/{SEGMENTER_ITERATIONS}")


def test_segments_unsegmented_text_into_multi_character_words(trained_segmenter):
    words = load_segmenter(trained_segmenter[0]).cut(PLAIN)
    assert "".join(words) == PLAIN
    assert sum(len(w) > 1 for w in words) >= len(words) // 2
    assert {"中国", "欧洲空间局", "合作"} <= set(words)


def test_beats_char_on_held_out_lines(trained_segmenter):
    scores = trained_segmenter[1]
    assert scores["char"].recall == 1.0
    assert scores["pkuseg"].f1 > scores["char"].f1 + 0.1


def test_training_is_deterministic_and_replaces_an_earlier_model(trained_segmenter, model_copy, tmp_path):
    train_segmenter([SEED], model_copy, iterations=SEGMENTER_ITERATIONS, user_dict=False, progress=quiet)
    assert [p.name for p in tmp_path.iterdir()] == ["model"]
    assert (model_copy / USER_DICT_FILE).read_text(encoding="utf-8") == ""
    weights = [np.load(d / "weights.npz")["w"] for d in (trained_segmenter[0], model_copy)]
    assert np.array_equal(*weights)


def test_trains_on_the_features_and_tags_pkuseg_trains_on(tmp_path):
    """The in-memory examples hold what spacy-pkuseg's own feature files hold (order aside)."""
    sentences = read_corpus([SEED])[:20] + [["２００４年", "ＡＢＣ", "卫星", "3.5", "km/s", "的", "数据"]]
    corpus = tmp_path / "train.txt"
    corpus.write_text("".join(" ".join(words) + "\n" for words in sentences), encoding="utf-8")
    extractor = FeatureExtractor()
    extractor.build(str(corpus))
    files = [str(tmp_path / name) for name in ("conll", "feat", "ids", "tags")]
    extractor.convert_text_file_to_feature_file(str(corpus), files[0], files[1])
    extractor.convert_feature_file_to_idx_file(files[1], files[2], files[3])
    expected = DataSet.load(files[2], files[3])
    model = spacy_pkuseg.model.Model(len(extractor.feature_to_idx), len(extractor.tag_to_idx))
    segmenter = PkusegSegmenter(extractor, model, spacy_pkuseg.Preprocesser(None), spacy_pkuseg.Postprocesser(None, None))
    examples = [_example(segmenter, words, extractor.tag_to_idx) for words in sentences]
    assert [x.tags for x in examples] == [x.tags for x in expected]
    assert [[sorted(f) for f in x.features] for x in examples] == [[sorted(f) for f in x.features] for x in expected]


def test_progress_within_each_iteration_with_the_time_left(tmp_path):
    messages = []
    train, held_out = split_held_out(read_corpus([SEED]))
    train_model(train, held_out, tmp_path / "model", iterations=2, user_dict=False,
                progress=messages.append, report_every=0)
    within = [m for m in messages if " sentences, " in m]
    assert len(within) == 2 * 10  # at sentences 6, 12, ... 60 (tenths of 62) of both iterations
    assert within[0] == f"Iteration 1/2: 6 of 62 sentences, {within[0].rsplit(', ', 1)[1]}"
    assert all(re.fullmatch(r"Iteration [12]/2: \d+ of 62 sentences, \d+:\d\d left", m) for m in within)
    ends = [m for m in messages if m.startswith("Iteration") and m not in within]
    assert re.fullmatch(r"Iteration 1/2, word-boundary F1 \d+\.\d% on the held-out part, \d+:\d\d left", ends[0])
    assert re.fullmatch(r"Iteration 2/2, word-boundary F1 \d+\.\d% on the held-out part", ends[1])
    quiet_messages = []
    train_model(train, [], tmp_path / "model", iterations=1, user_dict=False, progress=quiet_messages.append)
    assert [m for m in quiet_messages if m.startswith("Iteration")] == ["Iteration 1/1"]  # fast: no lines within


# User dictionary --------------------------------------------------------------


def test_dictionary_keeps_only_names_the_corpus_allows():
    sentences = [["发展", "中", "国家"], ["嫦娥", "六", "号", "任务"], ["北斗", "系统"]]
    words = dictionary_words(SEGMENTER_NAMES + ["嫦娥六号"], sentences)
    # 中: one character; 中国: cut across 发展/中/国家; 北斗: prefix of a longer name;
    # 亚太 空间: whitespace; 嫦娥六号: several corpus words, kept whole.
    assert words == ["北斗卫星导航系统", "天问一号", "嫦娥六号", "欧洲空间局"]


def test_user_dict_is_written_and_used(trained_segmenter):
    model_dir, _, messages = trained_segmenter
    train, _ = split_held_out(read_corpus([SEED]))
    lines = (model_dir / USER_DICT_FILE).read_text(encoding="utf-8").splitlines()
    assert lines == dictionary_words(SEGMENTER_NAMES, train)
    assert "User dictionary: 4 of 8 names" in " ".join(messages)
    assert "北斗卫星导航系统" in load_segmenter(model_dir).cut(PLAIN)


# The split and the sample ------------------------------------------------------


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


def test_sample_of_the_training_part():
    sentences = [[str(i)] for i in range(50)]
    chosen = sample(sentences, 10, seed=0)
    assert chosen == sample(sentences, 10, seed=0) != sample(sentences, 10, seed=1)
    assert len(chosen) == 10 and chosen == sorted(chosen, key=lambda s: int(s[0]))
    assert sample(sentences, 0) == sample(sentences, 50) == sentences
    with pytest.raises(ValueError, match="at least 0"):
        sample(sentences, -1)


def test_max_sentences_trains_on_a_sample_and_holds_out_the_same_lines(tmp_path):
    messages = []
    scores = train_segmenter([SEED], tmp_path / "model", iterations=2, max_sentences=20,
                             user_dict=False, progress=messages.append)
    assert messages[0] == "69 sentences: training on 62 (a sample of 20), holding out 7 (share 0.1, seed 0)."
    assert scores["char"] == train_segmenter([SEED], tmp_path / "model", iterations=1, user_dict=False,
                                             progress=quiet)["char"]


def test_lines_read_twice_are_trained_on_once(tmp_path):
    seed = read_corpus([SEED])
    gold = tmp_path / "seed.jsonl"
    gold.write_text("".join(json.dumps({"source": "/".join(words) + "/"}, ensure_ascii=False) + "\n"
                            for words in seed), encoding="utf-8")
    copy = tmp_path / "copy.txt"
    shutil.copy(SEED, copy)
    extra = tmp_path / "extra.txt"
    extra.write_text("新/句子/\n新/句子/\n" + "/".join(seed[0]) + "/\n", encoding="utf-8")
    assert read_corpus([SEED, gold]) == read_corpus([SEED, SEED]) == read_corpus([SEED, copy]) == seed
    assert read_corpus([SEED, extra]) == seed + [["新", "句子"], ["新", "句子"]]  # a file's own repeats stay
    messages = []
    train_segmenter([SEED, copy], tmp_path / "model", iterations=1, user_dict=False, progress=messages.append)
    assert messages[0].startswith("69 sentences; 69 that an earlier file had left out: training on 62")
    messages = []
    train_segmenter([SEED, gold], tmp_path / "model", iterations=1, user_dict=False, progress=messages.append)
    assert messages[0].startswith("69 sentences: training on 62")  # the .txt lines read from the gold


def test_another_delimiter(tmp_path):
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("中国|与|俄罗斯|\n北斗|系统|\n", encoding="utf8")
    assert read_corpus([corpus], delimiter="|") == [["中国", "与", "俄罗斯"], ["北斗", "系统"]]
    with pytest.raises(CorpusError, match="no '/' between words anywhere"):
        read_corpus([corpus])


# Errors --------------------------------------------------------------------


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
        train_segmenter([corpus], tmp_path / "model", dev_share=0, progress=quiet)
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
        train_segmenter([SEED], occupied, progress=quiet)
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


def test_cli_max_sentences(tmp_path):
    result = run_cli("train-segmenter", SEED, "out", "--iterations", 1, "--max-sentences", 15, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "training on 62 (a sample of 15)" in result.stderr
    result = run_cli("train-segmenter", SEED, "out", "--max-sentences", -1, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == "Error: The number of sentences must be at least 0, got -1"


def test_cli_errors_are_one_line(tmp_path):
    plain = tmp_path / "plain.txt"
    plain.write_text("中国与欧洲\n", encoding="utf8")
    result = run_cli("train-segmenter", plain, "out", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"Error: {plain}: no '/' between words anywhere: not a segmented corpus"
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plain.txt"]
