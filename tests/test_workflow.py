"""The whole path with spaCy's own CLI: convert, assemble, train, evaluate and package; the spaCy project."""

import json
import os
import shutil
import subprocess
import sys
import venv

import pytest
import spacy
from spacy.tokens import DocBin
from spacy.util import load_config, resolve_dot_names

from .conftest import ROOT, SEED, SEED_GOLD

CONFIGS = ROOT / "configs"
PROJECT_FILES = ("project.yml", "configs", "seeds")


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


@pytest.mark.parametrize("train_from", ["text", "converted"])
def test_training_sees_the_corpus_words(seed_lines, gold_dir, train_from):
    train = SEED if train_from == "text" else gold_dir
    overrides = {"paths.train": str(train), "paths.dev": str(SEED_GOLD)}
    config = load_config(CONFIGS / "ner.cfg", overrides=overrides, interpolate=True)
    nlp = spacy.util.load_model_from_config(config, auto_fill=True)
    (train_corpus,) = resolve_dot_names(config, ["corpora.train"])
    examples = list(train_corpus(nlp))
    words = sorted([t.text for t in eg.predicted] for eg in examples)
    if train_from == "text":
        assert words == sorted([w for w in line.split("/") if w] for line in seed_lines)
    else:  # the stored words: the corpus's, split where a gold entity lies inside one (中 + 美)
        vocab = spacy.blank("zh").vocab
        stored = [d for p in gold_dir.glob("*.spacy") for d in DocBin().from_disk(p).get_docs(vocab)]
        assert words == sorted([t.text for t in doc] for doc in stored)
    assert all(not eg.predicted.has_annotation("ENT_IOB") for eg in examples)
    assert {e.label_ for eg in examples for e in eg.reference.ents} == {"GPE", "ORG", "MISSION"}


def test_configs_ner_trains_from_converts_output(tmp_path, gold_dir):
    spacy_cli(
        "train", CONFIGS / "ner.cfg", "--output", tmp_path / "ner",
        "--paths.train", gold_dir, "--paths.dev", SEED_GOLD,
        "--training.max_steps", "20", "--training.eval_frequency", "10",
    )
    nlp = spacy.load(tmp_path / "ner" / "model-last")
    assert set(nlp.get_pipe("ner").labels) == {"GPE", "ORG", "MISSION"}
    assert [t.text for t in nlp("中国/与/俄罗斯/")] == ["中国", "与", "俄罗斯"]
    result = spacy_cli("evaluate", tmp_path / "ner" / "model-last", gold_dir, "--gold-preproc")
    assert "NER P" in result.stdout


def test_the_package_meta_asks_for_spacys_minor_version_only():
    meta = json.loads((CONFIGS / "package_meta.json").read_text())
    major, minor = spacy.__version__.split(".")[:2]
    assert meta["spacy_version"] == f">={major}.{minor}.0,<{major}.{int(minor) + 1}.0"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """`python -m spacy project run all` on a copy of the project, with a short training."""
    root = tmp_path_factory.mktemp("project")
    for name in PROJECT_FILES:
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy
        copy(ROOT / name, root / name)
    spacy_cli("project", "run", "all", root, "--vars.max_steps", "30", "--vars.eval_frequency", "10", "--vars.source", ROOT)
    return root


@pytest.mark.slow
def test_project_evaluates_on_lines_it_did_not_train_on(project, seed_lines):
    vocab = spacy.blank("zh").vocab
    texts = {}
    for part in ("train", "dev", "test"):
        docs = [d for p in (project / "corpus" / part).glob("*.spacy") for d in DocBin().from_disk(p).get_docs(vocab)]
        assert docs, part
        texts[part] = {d.text for d in docs}
    assert not texts["test"] & (texts["train"] | texts["dev"])
    assert not texts["train"] & texts["dev"]
    assert sum(map(len, texts.values())) == len(set(seed_lines))
    metrics = json.loads((project / "metrics" / "test.json").read_text())
    assert {"ents_p", "ents_r", "ents_f", "ents_per_type"} <= set(metrics)
    nlp = spacy.load(project / "training" / "model-best")
    assert nlp.pipe_names == ["tok2vec", "ner"]
    # Run again, nothing changed: weasel skips every step.
    result = spacy_cli("project", "run", "all", project, "--vars.max_steps", "30", "--vars.eval_frequency", "10", "--vars.source", ROOT)
    assert result.stdout.count("nothing changed") == 5


@pytest.fixture(scope="module")
def segmenting(tmp_path_factory):
    """A pipeline assembled from configs/segmenter.cfg with a small model trained on the seed."""
    root = tmp_path_factory.mktemp("segmenting")
    run(sys.executable, "-m", "spacy_preseg", "train-segmenter", SEED, root / "model", "--iterations", "3")
    spacy_cli("assemble", CONFIGS / "segmenter.cfg", root / "pipeline", "--paths.segmenter", root / "model")
    return root / "pipeline"


@pytest.mark.slow
def test_packages_install_offline_and_load_in_a_fresh_venv(project, assembled, segmenting, tmp_path):
    """The project's wheels (pipeline and spacy-preseg) install without an index beside spaCy, and load."""
    dist = next((project / "packages").glob("zh_preseg_ner-*/dist"))
    meta = json.loads(next((project / "packages").glob("zh_preseg_ner-*/meta.json")).read_text())
    major, minor = spacy.__version__.split(".")[:2]
    assert sorted(meta["requirements"]) == ["spacy-preseg>=0.1.0,<0.2.0", f"spacy>={major}.{minor}.0,<{major}.{int(minor) + 1}.0"]
    assert sorted(p.name.split("-")[0] for p in dist.glob("*.whl")) == ["spacy_preseg", "zh_preseg_ner"]
    plain = "中国与俄罗斯联合发起国际月球科研站计划"
    expected_words = [t.text for t in spacy.load(segmenting)(plain)]
    assert any(len(w) > 1 for w in expected_words)
    for pipeline, name in ((assembled, "preseg_rules"), (segmenting, "preseg_segmenting")):
        spacy_cli("package", pipeline, tmp_path, "--name", name, "--version", "0.0.1", "--build", "wheel")
        for wheel in tmp_path.glob(f"zh_{name}-*/dist/*.whl"):
            shutil.copy(wheel, dist)
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    quiet = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    # A machine with spaCy; then nothing but the folder of wheels.
    run(python, "-m", "pip", "install", "-q", f"spacy=={spacy.__version__}", "spacy-pkuseg")
    run(python, "-m", "pip", "install", "-q", "--no-index", "--find-links", dist, "zh_preseg_ner", "zh_preseg_rules", "zh_preseg_segmenting")
    code = (
        "import sys, spacy\n"
        "ner = spacy.load('zh_preseg_ner')\n"
        "print(ner.pipe_names, [t.text for t in ner('中国/与/俄罗斯/')])\n"
        "nlp = spacy.load('zh_preseg_rules')\n"
        "print([(e.text, e.ent_id_) for e in nlp('与/欧洲/空间局/合作/').ents])\n"
        "print([t.text for t in spacy.load('zh_preseg_segmenting')(sys.argv[1])])\n"
    )
    result = subprocess.run([python, "-c", code, plain], capture_output=True, text=True, cwd=tmp_path, env=quiet)
    assert result.returncode == 0, result.stderr
    ner, rules, words = result.stdout.strip().splitlines()
    assert ner == "['tok2vec', 'ner'] ['中国', '与', '俄罗斯']"
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
