import json
import pickle
import shutil
import subprocess
import sys

import numpy as np
import pytest
import spacy
import spacy_pkuseg

from spacy_preseg.segmenter import USER_DICT_FILE, PkusegSegmenter, check_pkuseg_model, load_segmenter

from .conftest import ROOT, blank_preseg, run_python

PLAIN = "中国与欧洲空间局开展了工程技术合作，推动北斗卫星导航系统全球服务。"
# Digits, letters and pkuseg's keyword characters (normalized or renamed before its features), spaces.
MIXED = ["2024年5月3日，嫦娥六号在文昌发射。", "ＡＢＣ卫星/载荷-1的数据：3.5 km/s", "中俄 航天合作", "号"]


@pytest.fixture
def model_copy(trained_segmenter, tmp_path):
    copy = tmp_path / "model"
    shutil.copytree(trained_segmenter[0], copy)
    return copy


def pkuseg_own(model_dir, like):
    """spacy-pkuseg's own segmenter for the model, with the dictionaries of `like`."""
    segmenter = spacy_pkuseg.pkuseg(str(model_dir), user_dict=None)
    segmenter.preprocesser, segmenter.postprocesser = like.preprocesser, like.postprocesser
    return segmenter


# The faster path ----------------------------------------------------------------


def test_cuts_text_as_pkuseg_does(trained_segmenter, seed_lines):
    fast = load_segmenter(trained_segmenter[0])
    own = pkuseg_own(trained_segmenter[0], fast)
    assert type(own) is spacy_pkuseg.pkuseg and isinstance(fast, PkusegSegmenter)
    texts = [line.replace("/", "") for line in seed_lines if line.strip()] + MIXED + [PLAIN]
    assert [fast.cut(text) for text in texts] == [own.cut(text) for text in texts]
    assert fast.cut("") == [] and fast.cut("  ") == []


def test_of_keeps_the_model_and_dictionaries(trained_segmenter):
    own = spacy_pkuseg.pkuseg(str(trained_segmenter[0]))  # with pkuseg's general dictionary
    fast = PkusegSegmenter.of(own)
    assert fast.model is own.model and fast.preprocesser is own.preprocesser
    assert fast.postprocesser is own.postprocesser and fast.postprocesser.do_process
    assert fast.cut(PLAIN) == own.cut(PLAIN)
    assert PkusegSegmenter.of(fast) is fast


def test_survives_pickling(trained_segmenter):
    fast = load_segmenter(trained_segmenter[0])
    copy = pickle.loads(pickle.dumps(fast))
    assert isinstance(copy, PkusegSegmenter) and copy.cut(PLAIN) == fast.cut(PLAIN)


# Loading ------------------------------------------------------------------------


def test_loads_the_models_own_dictionary_and_no_general_one(trained_segmenter):
    model_dir = trained_segmenter[0]
    segmenter = load_segmenter(model_dir)
    names = (model_dir / USER_DICT_FILE).read_text(encoding="utf-8").split()
    assert "北斗卫星导航系统" in names and "北斗卫星导航系统" in segmenter.cut(PLAIN)
    # No general dictionary: pkuseg's merging step is off and empty.
    assert segmenter.postprocesser.do_process is False
    assert not segmenter.postprocesser.other_words
    assert not load_segmenter(model_dir, user_dict=None).preprocesser.trie.children


def test_another_dictionary_file(model_copy, tmp_path):
    words = tmp_path / "words.txt"
    words.write_text("工程技术合作\n", encoding="utf-8")
    assert "工程技术合作" in load_segmenter(model_copy, user_dict=words).cut(PLAIN)
    with pytest.raises(FileNotFoundError, match="no such pkuseg user dictionary"):
        load_segmenter(model_copy, user_dict=tmp_path / "missing.txt")


def test_a_model_without_its_own_dictionary_gets_pkusegs(model_copy):
    (model_copy / USER_DICT_FILE).unlink()
    segmenter = load_segmenter(model_copy)
    assert segmenter.postprocesser.do_process and segmenter.postprocesser.other_words


def test_unusable_model_dirs_fail_clearly(model_copy, tmp_path):
    with pytest.raises(ValueError, match="needs a pkuseg model.*train-segmenter"):
        check_pkuseg_model(None)
    with pytest.raises(FileNotFoundError, match="No pkuseg model directory"):
        load_segmenter(tmp_path / "missing")
    (model_copy / "features.msgpack").rename(tmp_path / "features.msgpack")
    with pytest.raises(FileNotFoundError, match="features.msgpack missing"):
        load_segmenter(model_copy)
    (tmp_path / "features.msgpack").rename(model_copy / "features.msgpack")
    (model_copy / "weights.npz").write_bytes(b"")
    with pytest.raises(ValueError, match=f"Could not load the pkuseg model in {model_copy}"):
        load_segmenter(model_copy)
    nlp = blank_preseg(segmenter="pkuseg")
    with pytest.raises(ValueError, match="Could not load the pkuseg model"):
        nlp.tokenizer.initialize(pkuseg_model=model_copy)


# In spaCy -------------------------------------------------------------------------


def test_preseg_tokenizer_uses_the_model_for_plain_text_only(trained_segmenter):
    nlp = blank_preseg(segmenter="pkuseg")
    nlp.tokenizer.initialize(pkuseg_model=trained_segmenter[0])
    fallback = nlp.tokenizer.fallback.pkuseg_seg
    assert isinstance(fallback, PkusegSegmenter)
    assert np.array_equal(fallback.model.w, np.load(trained_segmenter[0] / "weights.npz")["w"])
    doc = nlp(PLAIN)
    assert [t.text for t in doc] == fallback.cut(PLAIN)
    assert any(len(t) > 1 for t in doc)
    assert [t.text for t in nlp("嫦娥/六/号/任务/")] == ["嫦娥", "六", "号", "任务"]


def test_entities_behind_the_trained_segmenter(trained_segmenter):
    nlp = blank_preseg(segmenter="pkuseg")
    nlp.tokenizer.initialize(pkuseg_model=trained_segmenter[0])
    nlp.add_pipe("preseg_entities")
    texts = ["中国与俄罗斯联合发起国际月球科研站计划", "与/欧洲/空间局/开展/合作/"]
    expected = [[("中国", "GPE"), ("俄罗斯", "GPE"), ("国际月球科研站", "MISSION")], [("欧洲空间局", "ORG")]]
    assert [[(e.text, e.label_) for e in doc.ents] for doc in nlp.pipe(texts)] == expected
    assert [[(e.text, e.label_) for e in doc.ents] for doc in nlp.pipe(texts, n_process=2)] == expected


def test_model_travels_with_the_pipeline_and_keeps_the_faster_path(model_copy, tmp_path):
    nlp = blank_preseg(segmenter="pkuseg")
    nlp.tokenizer.initialize(pkuseg_model=model_copy)
    texts = [PLAIN, "与俄罗斯联合发起国际月球科研站计划", "嫦娥/六/号/任务/"]
    expected = [[t.text for t in nlp(text)] for text in texts]
    nlp.to_disk(tmp_path / "pipeline")
    from_bytes = blank_preseg(segmenter="pkuseg").from_bytes(nlp.to_bytes())
    assert isinstance(from_bytes.tokenizer.fallback.pkuseg_seg, PkusegSegmenter)
    assert [[t.text for t in from_bytes(text)] for text in texts] == expected
    shutil.rmtree(model_copy)
    code = (
        "import json, sys, spacy\n"
        "nlp = spacy.load(sys.argv[1])\n"
        "print(type(nlp.tokenizer.fallback.pkuseg_seg).__name__)\n"
        "print(json.dumps([[t.text for t in nlp(x)] for x in json.loads(sys.argv[2])]))\n"
    )
    result = run_python(code, str(tmp_path / "pipeline"), json.dumps(texts))
    assert result.returncode == 0, result.stderr
    kind, words = result.stdout.splitlines()
    assert kind == "PkusegSegmenter" and json.loads(words) == expected


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


def test_spacy_chinese_tokenizer_takes_the_model(trained_segmenter):
    model_dir = trained_segmenter[0]
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "pkuseg"}}})
    nlp.tokenizer.initialize(pkuseg_model=str(model_dir))
    words = [t.text for t in nlp(PLAIN)]
    assert "".join(words) == PLAIN and "欧洲空间局" in words
    nlp.tokenizer.initialize(pkuseg_model=str(model_dir), pkuseg_user_dict=str(model_dir / USER_DICT_FILE))
    assert "北斗卫星导航系统" in [t.text for t in nlp(PLAIN)]
