"""The whole path with spaCy's own CLI: convert, assemble, train, evaluate and package."""

import json
import os
import subprocess
import sys
import venv

import pytest
import spacy
from spacy.util import load_config, resolve_dot_names

from .conftest import ROOT, SEED, SEED_GOLD

CONFIGS = ROOT / "configs"


def run(*args, cwd=None):
    result = subprocess.run([*map(str, args)], capture_output=True, text=True, cwd=cwd, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def spacy_cli(*args):
    return run(sys.executable, "-m", "spacy", *args)


@pytest.fixture(scope="module")
def assembled(tmp_path_factory):
    out = tmp_path_factory.mktemp("assembled") / "pipeline"
    spacy_cli("assemble", CONFIGS / "entities.cfg", out)
    return out


@pytest.fixture(scope="module")
def gold_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("gold") / "gold"
    run(sys.executable, "-m", "spacy_preseg", "convert", SEED_GOLD, out)
    return out


def test_assembled_pipeline_loads_and_finds_entities(assembled):
    nlp = spacy.load(assembled)
    assert nlp.pipe_names == ["preseg_entities"]
    doc = nlp("与/欧洲/空间局/开展/了/工程/技术/合作/")
    assert [(e.text, e.label_, e.ent_id_) for e in doc.ents] == [("欧洲空间局", "ORG", "ESA")]


def test_assemble_takes_a_patterns_file(tmp_path):
    patterns = tmp_path / "patterns.jsonl"
    patterns.write_text(json.dumps({"label": "ORG", "pattern": "月球与深空探测联合实验室", "id": "LDSEL"}) + "\n", encoding="utf8")
    spacy_cli("assemble", CONFIGS / "entities.cfg", tmp_path / "p", "--paths.patterns", patterns)
    nlp = spacy.load(tmp_path / "p")
    doc = nlp("建设/月球/与/深空探测/联合/实验室/")
    assert [(e.text, e.ent_id_) for e in doc.ents] == [("月球与深空探测联合实验室", "LDSEL")]


def test_evaluate_with_gold_preproc_equals_our_scoring(assembled, gold_dir, tmp_path):
    spacy_cli("evaluate", assembled, gold_dir, "--gold-preproc", "--output", tmp_path / "metrics.json")
    metrics = json.loads((tmp_path / "metrics.json").read_text())
    run(
        sys.executable, "-m", "spacy_preseg", "score", SEED_GOLD, "--model", assembled,
        "--gold-preproc", "--output", tmp_path / "ours.json",
    )
    ours = json.loads((tmp_path / "ours.json").read_text())
    assert metrics["ents_f"] == pytest.approx(ours["micro"]["f"])
    assert metrics["ents_p"] == pytest.approx(ours["micro"]["p"])
    assert metrics["ents_r"] == pytest.approx(ours["micro"]["r"])
    for label, scores in ours["per_label"].items():
        assert metrics["ents_per_type"][label]["f"] == pytest.approx(scores["f"])
    assert metrics["ents_f"] >= 0.95


def test_training_sees_the_corpus_words(seed_lines):
    overrides = {"paths.train": str(SEED), "paths.dev": str(SEED_GOLD)}
    config = load_config(CONFIGS / "ner.cfg", overrides=overrides, interpolate=True)
    nlp = spacy.util.load_model_from_config(config, auto_fill=True)
    (train_corpus,) = resolve_dot_names(config, ["corpora.train"])
    examples = list(train_corpus(nlp))
    assert sorted([t.text for t in eg.predicted] for eg in examples) == sorted(
        [w for w in line.split("/") if w] for line in seed_lines
    )
    assert {e.label_ for eg in examples for e in eg.reference.ents} == {"GPE", "ORG", "MISSION"}


def test_short_training_run_then_evaluate(tmp_path, gold_dir):
    spacy_cli(
        "train", CONFIGS / "ner.cfg", "--output", tmp_path / "ner",
        "--paths.train", SEED, "--paths.dev", SEED_GOLD,
        "--training.max_steps", "20", "--training.eval_frequency", "10",
    )
    nlp = spacy.load(tmp_path / "ner" / "model-last")
    assert set(nlp.get_pipe("ner").labels) == {"GPE", "ORG", "MISSION"}
    assert [t.text for t in nlp("中国/与/俄罗斯/")] == ["中国", "与", "俄罗斯"]
    result = spacy_cli("evaluate", tmp_path / "ner" / "model-last", gold_dir, "--gold-preproc")
    assert "NER P" in result.stdout


@pytest.fixture(scope="module")
def segmenting(tmp_path_factory):
    """A pipeline assembled from configs/segmenter.cfg with a small model trained on the seed."""
    root = tmp_path_factory.mktemp("segmenting")
    run(sys.executable, "-m", "spacy_preseg", "train-segmenter", SEED, root / "model", "--iterations", "3")
    spacy_cli("assemble", CONFIGS / "segmenter.cfg", root / "pipeline", "--paths.segmenter", root / "model")
    return root / "pipeline"


@pytest.mark.slow
def test_packages_install_and_load_in_a_fresh_venv(assembled, segmenting, tmp_path):
    plain = "中国与俄罗斯联合发起国际月球科研站计划"
    expected_words = [t.text for t in spacy.load(segmenting)(plain)]
    assert any(len(w) > 1 for w in expected_words)
    sdists = []
    for pipeline, name in ((assembled, "preseg_rules"), (segmenting, "preseg_segmenting")):
        dist = tmp_path / name
        dist.mkdir()
        spacy_cli("package", pipeline, dist, "--name", name, "--version", "0.0.1")
        meta = json.loads(next(dist.glob("*/meta.json")).read_text())
        assert any(r.startswith("spacy-preseg") for r in meta["requirements"])
        sdists.extend(str(p) for p in dist.glob("*/dist/*.tar.gz"))
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    quiet = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    subprocess.run([python, "-m", "pip", "install", "-q", str(ROOT)], check=True, env=quiet)
    subprocess.run([python, "-m", "pip", "install", "-q", *sdists], check=True, env=quiet)
    code = (
        "import sys, spacy\n"
        "nlp = spacy.load('zh_preseg_rules')\n"
        "print([(e.text, e.ent_id_) for e in nlp('与/欧洲/空间局/合作/').ents])\n"
        "print([t.text for t in spacy.load('zh_preseg_segmenting')(sys.argv[1])])\n"
    )
    result = subprocess.run([python, "-c", code, plain], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rules, words = result.stdout.strip().splitlines()
    assert rules == "[('欧洲空间局', 'ESA')]"
    assert words == str(expected_words)


# Lines in the People's Daily word/TAG format, written for the tests.
TAGGED_LINES = [
    "新华社/nt  北京/ns  １月/t  ５日/t  电/n  ，/w  江/nr  泽民/nr  今天/t  会见/v  了/u  代表团/n  。/w",
    "[国务院/nt  侨务/n  办公室/n]nt  主任/n  欧阳/nr  山尊/nr  访问/v  上海/ns  。/w",
    "李/nr  鹏/nr  在/p  人民/n  大会堂/n  出席/v  招待会/n  ，/w  中国/ns  代表团/n  参加/v  。/w",
    "[中国/ns  共产党/nt]nt  中央/n  委员会/n  发表/v  讲话/n  ，/w  广东/ns  人民/n  欢迎/v  。/w",
]


def test_tagger_config_trains_tags_and_entities_from_a_tagged_corpus(tmp_path):
    train = tmp_path / "train.txt"
    train.write_text("\n".join(TAGGED_LINES * 3) + "\n", encoding="utf8")
    dev = tmp_path / "dev.txt"
    dev.write_text("\n".join(TAGGED_LINES[:2]) + "\n", encoding="utf8")
    spacy_cli(
        "train", CONFIGS / "tagger.cfg", "--output", tmp_path / "model",
        "--paths.train", train, "--paths.dev", dev,
        "--training.max_steps", "20", "--training.eval_frequency", "10",
    )
    nlp = spacy.load(tmp_path / "model" / "model-last")
    assert nlp.pipe_names == ["tok2vec", "tagger", "attribute_ruler", "ner"]
    assert set(nlp.get_pipe("ner").labels) == {"PERSON", "LOC", "ORG"}
    assert {"nr", "ns", "nt", "w"} <= set(nlp.get_pipe("tagger").labels)
    doc = nlp("江/泽民/会见/代表团/。/")
    assert [t.text for t in doc] == ["江", "泽民", "会见", "代表团", "。"]
    assert all(t.tag_ and t.pos_ for t in doc)  # the attribute_ruler maps every tag to its POS
    assert doc[3].suffix_ == "团"
    run(sys.executable, "-m", "spacy_preseg", "convert", "--tagged", dev, tmp_path / "docs")
    spacy_cli("evaluate", tmp_path / "model" / "model-last", tmp_path / "docs", "--gold-preproc",
              "--output", tmp_path / "metrics.json")
    metrics = json.loads((tmp_path / "metrics.json").read_text())
    assert 0 < metrics["tag_acc"] <= 1 and metrics["pos_acc"] > 0
    assert set(metrics["ents_per_type"] or {}) <= {"PERSON", "LOC", "ORG"}
