"""The preseg_entities component, through spaCy."""

import json
import pickle
import warnings

import pytest
import spacy
import srsly
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab
from spacy.training import Example
from spacy.util import load_model_from_config

from spacy_preseg.corpus import read_records
from spacy_preseg.entities import CHUNK_SIZE, DISPLACY_COLORS, PresegEntities, UnsplitDelimiterWarning
from spacy_preseg.gazetteer import PatternError
from spacy_preseg.scoring import score

from .conftest import PRESEG, SEED_GOLD, blank_preseg, run_python

SPANS_KEY = "preseg_entities"
NLO = {"label": "ORG", "pattern": "北极光天文台", "id": "NLO"}  # in no shipped list


def preseg_nlp(**config):
    nlp = blank_preseg()
    nlp.add_pipe("preseg_entities", config=config)
    return nlp


def ents(doc):
    return [(e.text, e.label_, e.ent_id_) for e in doc.ents]


def spans(doc, key=SPANS_KEY):
    return [(s.text, s.label_, s.id_) for s in doc.spans[key]]


def tokens(doc):
    return [t.text for t in doc]


@pytest.fixture(scope="module")
def ner():
    return preseg_nlp()


@pytest.fixture(scope="module")
def split_ner():
    return preseg_nlp(split_tokens=True)


# Labels and ids ----------------------------------------------------------


@pytest.mark.parametrize(
    "source,expected",
    [
        ("俄罗斯/", [("俄罗斯", "GPE", "RU")]),
        ("欧洲/空间局/", [("欧洲空间局", "ORG", "ESA")]),
        ("欧洲航天局/", [("欧洲航天局", "ORG", "ESA")]),
        ("嫦娥/六/号/", [("嫦娥六号", "MISSION", "Chang'e-6")]),
        ("嫦娥六号/", [("嫦娥六号", "MISSION", "Chang'e-6")]),
        ("嫦娥6号/", [("嫦娥6号", "MISSION", "Chang'e-6")]),
        ("亚太/空间/合作/组织/", [("亚太空间合作组织", "ORG", "APSCO")]),
    ],
)
def test_entities_have_labels_and_normalized_ids(ner, source, expected):
    assert ents(ner(source)) == expected


def test_every_entity_has_an_id(ner, seed_lines):
    for doc in ner.pipe(seed_lines):
        assert all(e.ent_id_ for e in doc.ents)
        assert all(e.label_ in ("GPE", "ORG", "MISSION") for e in doc.ents)


def test_one_character_abbreviation_has_the_country_code(split_ner):
    doc = split_ner("中俄/合作/")
    assert ents(doc) == [("中", "GPE", "CN"), ("俄", "GPE", "RU")]


def test_label_map_renames_labels_everywhere():
    nlp = preseg_nlp(label_map={"GPE": "COUNTRY", "MISSION": "SPACECRAFT"})
    doc = nlp("中俄/与/俄罗斯/和/欧洲/空间局/发射/嫦娥/六/号/")
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("俄罗斯", "COUNTRY"), ("欧洲空间局", "ORG"), ("嫦娥六号", "SPACECRAFT"),
    ]
    assert [label for _, _, label, _ in doc._.subtoken_ents] == ["COUNTRY", "COUNTRY"]
    assert {label for _, label, _ in spans(doc)} == {"COUNTRY", "ORG", "SPACECRAFT"}
    assert nlp.get_pipe("preseg_entities").labels == ("COUNTRY", "ORG", "SPACECRAFT")


# Token boundaries and sub-token names ------------------------------------


@pytest.mark.parametrize("source", ["发展/中/国家/", "研究/方法/国际/", "精英/国际/"])
def test_names_must_start_and_end_on_token_boundaries(ner, split_ner, source):
    for nlp in (ner, split_ner):
        doc = nlp(source)
        assert ents(doc) == [] and spans(doc) == [] and doc._.subtoken_ents == []
        assert tokens(doc) == [t for t in source.split("/") if t]


_NAMES = [
    ("欧洲空间局", "ORG", "ESA"),
    ("亚太空间合作组织", "ORG", "APSCO"),
    ("嫦娥六号", "MISSION", "Chang'e-6"),
    ("天问一号", "MISSION", "Tianwen-1"),
    ("俄罗斯", "GPE", "RU"),
    ("中国", "GPE", "CN"),
    ("巴基斯坦遥感卫星一号", "MISSION", "Pakistan Remote Sensing Satellite-1"),
    ("联合国和平利用外层空间委员会", "ORG", "COPUOS"),
]
_FILLERS = ["与", "和", "、", "合作", "签署", "。"]


def _split(text, cuts):
    edges = sorted({0, len(text), *(c for c in cuts if 0 < c < len(text))})
    return [text[a:b] for a, b in zip(edges, edges[1:])]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(_NAMES),
            st.lists(st.integers(1, 12), max_size=4),
            st.sampled_from(_FILLERS),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_matching_does_not_depend_on_how_a_name_is_split(items):
    words, expected, pos = [], [], 0
    for (name, label, ent_id), cuts, filler in items:
        words.extend(_split(name, cuts))
        words.append(filler)
        expected.append((pos, pos + len(name), label, ent_id))
        pos += len(name) + len(filler)
    doc = _SHARED_NER("/".join(words) + "/")
    assert [(e.start_char, e.end_char, e.label_, e.ent_id_) for e in doc.ents] == expected


def test_a_compound_stays_out_of_doc_ents_by_default(ner):
    doc = ner("利用/中俄/合作/机制/")
    assert ents(doc) == []
    assert doc._.subtoken_ents == [[2, 3, "GPE", "CN"], [3, 4, "GPE", "RU"]]
    assert tokens(doc) == ["利用", "中俄", "合作", "机制"]


def test_subtoken_ents_is_always_set(ner):
    assert ner("俄罗斯/")._.subtoken_ents == []
    assert ner("")._.subtoken_ents == []


def test_split_tokens_makes_subtoken_names_real_entities(split_ner):
    doc = split_ner("利用/中俄/合作/机制/，/北斗导航/")
    assert tokens(doc) == ["利用", "中", "俄", "合作", "机制", "，", "北斗", "导航"]
    assert ents(doc) == [("中", "GPE", "CN"), ("俄", "GPE", "RU"), ("北斗", "MISSION", "BeiDou")]
    assert doc._.subtoken_ents == []
    assert doc.text == "利用中俄合作机制，北斗导航"
    # The split tokens still point back into the source.
    assert [t._.source_span for t in doc[1:3]] == [(3, 4), (4, 5)]


@pytest.mark.parametrize("word", ["中心", "其中", "中美洲", "中意"])
def test_ordinary_words_are_not_split(ner, split_ner, word):
    source = f"数据/{word}/"
    for nlp in (ner, split_ner):
        doc = nlp(source)
        assert tokens(doc) == ["数据", word]
        assert ents(doc) == [] and doc._.subtoken_ents == []


# Longest match and nesting -----------------------------------------------


def test_longest_match_wins_and_nested_names_are_in_spans(ner):
    doc = ner("巴基斯坦/遥感/卫星/一/号/")
    assert ents(doc) == [("巴基斯坦遥感卫星一号", "MISSION", "Pakistan Remote Sensing Satellite-1")]
    assert spans(doc) == [
        ("巴基斯坦", "GPE", "PK"),
        ("巴基斯坦遥感卫星一号", "MISSION", "Pakistan Remote Sensing Satellite-1"),
    ]
    doc = ner("联合国/和平/利用/外层/空间/委员会/")
    assert ents(doc) == [("联合国和平利用外层空间委员会", "ORG", "COPUOS")]
    assert ("联合国", "ORG", "UN") in spans(doc)


def test_spans_and_ents_agree_on_ids(ner, seed_lines):
    # “月球—25”号 is found both by the quoted-name rule and as the series 月球 + 25.
    doc = ner("“/月球/—/25/”/号/")
    assert ents(doc) == [("月球—25", "MISSION", "Luna-25")]
    assert spans(doc) == ents(doc)
    for doc in ner.pipe(seed_lines):
        by_span = {(s.start, s.end, s.label_): s.id_ for s in doc.spans[SPANS_KEY]}
        for e in doc.ents:
            assert by_span[(e.start, e.end, e.label_)] == e.ent_id_


def test_spans_key_is_a_setting():
    nlp = preseg_nlp(spans_key="names")
    doc = nlp("巴基斯坦/遥感/卫星/一/号/")
    assert len(doc.spans["names"]) == 2 and SPANS_KEY not in doc.spans
    doc = preseg_nlp(spans_key=None)("俄罗斯/")
    assert not doc.spans and ents(doc) == [("俄罗斯", "GPE", "RU")]


# Existing entities -------------------------------------------------------


def _with_existing(nlp, source, start, end, label):
    doc = nlp.make_doc(source)
    doc.ents = [Span(doc, start, end, label)]
    return nlp.get_pipe("preseg_entities")(doc)


def test_existing_entities_are_respected(ner):
    doc = _with_existing(ner, "中国/与/欧洲/空间局/合作/", 0, 1, "LOC")
    assert [(e.text, e.label_) for e in doc.ents] == [("中国", "LOC"), ("欧洲空间局", "ORG")]
    doc = _with_existing(ner, "中国/与/欧洲/空间局/合作/", 2, 3, "LOC")
    assert [(e.text, e.label_) for e in doc.ents] == [("中国", "GPE"), ("欧洲", "LOC")]


def test_overwrite_ents_replaces_them():
    nlp = preseg_nlp(overwrite_ents=True)
    doc = _with_existing(nlp, "中国/与/欧洲/空间局/合作/", 2, 3, "LOC")
    assert ents(doc) == [("中国", "GPE", "CN"), ("欧洲空间局", "ORG", "ESA")]
    # An existing entity that overlaps nothing new stays.
    doc = _with_existing(nlp, "中国/与/欧洲/空间局/合作/", 4, 5, "EVENT")
    assert [(e.text, e.label_) for e in doc.ents] == [("中国", "GPE"), ("欧洲空间局", "ORG"), ("合作", "EVENT")]


def test_split_tokens_leaves_existing_entities_whole():
    nlp = preseg_nlp(split_tokens=True)
    doc = _with_existing(nlp, "中俄/合作/", 0, 1, "X")
    assert [(e.text, e.label_) for e in doc.ents] == [("中俄", "X")]
    doc = _with_existing(nlp, "利用/中俄/合作/俄罗斯/", 2, 3, "X")
    assert [(e.text, e.label_) for e in doc.ents] == [("中", "GPE"), ("俄", "GPE"), ("合作", "X"), ("俄罗斯", "GPE")]
    nlp = preseg_nlp(split_tokens=True, overwrite_ents=True)
    doc = _with_existing(nlp, "中俄/合作/", 0, 1, "X")
    assert [(e.text, e.label_) for e in doc.ents] == [("中", "GPE"), ("俄", "GPE")]


# User patterns -----------------------------------------------------------


def test_add_patterns():
    nlp = preseg_nlp()
    ruler = nlp.get_pipe("preseg_entities")
    assert ents(nlp("北极光/天文台/")) == []
    ruler.add_patterns([NLO, {"label": "MISSION", "pattern": "火星车"}])
    assert ents(nlp("北极光/天文台/")) == [("北极光天文台", "ORG", "NLO")]
    assert ents(nlp("火星车/")) == [("火星车", "MISSION", "火星车")]
    assert ruler.patterns == [NLO, {"label": "MISSION", "pattern": "火星车", "id": "火星车"}]
    # A user's pattern wins over a shipped one for the same text.
    ruler.add_patterns([{"label": "ORG", "pattern": "欧洲空间局", "id": "European Space Agency"}])
    assert ents(nlp("欧洲/空间局/")) == [("欧洲空间局", "ORG", "European Space Agency")]
    ruler.clear()
    assert ents(nlp("北极光/天文台/")) == [] and ruler.patterns == []
    assert ents(nlp("欧洲/空间局/")) == [("欧洲空间局", "ORG", "ESA")]


def test_user_patterns_without_the_gazetteer():
    nlp = preseg_nlp(use_gazetteer=False)
    ruler = nlp.get_pipe("preseg_entities")
    ruler.add_patterns([NLO])
    assert ents(nlp("俄罗斯/与/北极光/天文台/")) == [("北极光天文台", "ORG", "NLO")]
    assert ruler.labels == ("ORG",)


def test_a_segmented_pattern_is_refused_with_the_fix():
    with pytest.raises(PatternError, match="write '北极光天文台'"):
        preseg_nlp().get_pipe("preseg_entities").add_patterns([{"label": "ORG", "pattern": "北极光/天文台", "id": "NLO"}])
    nlp = preseg_nlp()
    nlp.get_pipe("preseg_entities").add_patterns([{"label": "ORG", "pattern": "TCP\\/IP", "id": "TCPIP"}])
    assert ents(nlp("TCP\\/IP/协议/")) == [("TCP/IP", "ORG", "TCPIP")]


_CONFIG = """
[nlp]
lang = "zh"
pipeline = ["preseg_entities"]

[nlp.tokenizer]
@tokenizers = "spacy_preseg.PresegTokenizer.v1"

[components]

[components.preseg_entities]
factory = "preseg_entities"

[initialize]

[initialize.components]

[initialize.components.preseg_entities]
"""


def _from_config(extra):
    config = spacy.util.load_config_from_str(_CONFIG + extra)
    return load_model_from_config(config, auto_fill=True, validate=True)


def test_initialize_with_patterns_from_a_reader(tmp_path):
    path = tmp_path / "patterns.jsonl"
    srsly.write_jsonl(path, [NLO])
    nlp = _from_config(
        f"""
[initialize.components.preseg_entities.patterns]
@readers = "srsly.read_jsonl.v1"
path = "{path}"
"""
    )
    assert ents(nlp("北极光/天文台/")) == []
    nlp.initialize()
    assert ents(nlp("北极光/天文台/")) == [("北极光天文台", "ORG", "NLO")]


def test_initialize_with_patterns_path(tmp_path):
    path = tmp_path / "patterns.jsonl"
    srsly.write_jsonl(path, [NLO])
    nlp = _from_config(f'patterns_path = "{path}"\n')
    nlp.initialize()
    assert ents(nlp("北极光/天文台/")) == [("北极光天文台", "ORG", "NLO")]


def test_initialize_names_the_bad_line_of_patterns_path(tmp_path):
    path = tmp_path / "patterns.jsonl"
    path.write_text(json.dumps(NLO) + "\n" + '{"label": "ORG", "pattern": ""}\n', "utf8")
    nlp = _from_config(f'patterns_path = "{path}"\n')
    with pytest.raises(PatternError, match=rf"{path}:2: missing or empty 'pattern'"):
        nlp.initialize()


@pytest.mark.parametrize(
    "pattern,message",
    [
        ({"pattern": "火星"}, "missing or empty 'label'"),
        ({"label": "MISSION", "pattern": ""}, "missing or empty 'pattern'"),
        ({"label": "MISSION", "pattern": [{"TEXT": "火星"}]}, "token patterns are not supported"),
    ],
)
def test_bad_patterns_fail_when_added(pattern, message):
    ruler = preseg_nlp().get_pipe("preseg_entities")
    with pytest.raises(PatternError, match=r"add_patterns\(\)\[1\]: " + message):
        ruler.add_patterns([NLO, pattern])
    assert ruler.patterns == []  # nothing half-added
    with pytest.raises(PatternError, match=message):
        ruler.initialize(patterns=[pattern])


def test_unknown_label_in_label_map_fails_when_the_pipe_is_added():
    nlp = blank_preseg()
    with pytest.raises(PatternError, match="label_map: unknown label 'LOC'"):
        nlp.add_pipe("preseg_entities", config={"label_map": {"LOC": "PLACE"}})
    with pytest.raises(PatternError, match="non-empty label"):
        nlp.add_pipe("preseg_entities", config={"label_map": {"GPE": ""}})


# Tokenizers --------------------------------------------------------------

_PLAIN = "中国与俄罗斯、欧洲空间局和欧洲航天局合作发射嫦娥六号，在发展中国家研究方法国际"
_PLAIN_ENTS = [
    ("中国", "GPE", "CN"),
    ("俄罗斯", "GPE", "RU"),
    ("欧洲空间局", "ORG", "ESA"),
    ("欧洲航天局", "ORG", "ESA"),
    ("嫦娥六号", "MISSION", "Chang'e-6"),
]


def test_behind_spacys_char_segmenter():
    nlp = spacy.blank("zh")
    nlp.add_pipe("preseg_entities")
    assert ents(nlp(_PLAIN)) == _PLAIN_ENTS
    # Every character is a token: a compound is two real entities.
    assert ents(nlp("中俄合作")) == [("中", "GPE", "CN"), ("俄", "GPE", "RU")]
    for word in ("中心", "其中", "中美洲", "中意"):
        assert ents(nlp(f"数据{word}")) == []


def test_char_segmenter_does_not_read_function_words_as_countries():
    nlp = spacy.blank("zh")
    nlp.add_pipe("preseg_entities")
    for text in ("可以加强合作", "比以往更加重视", "新中国成立"):
        assert [e.text for e in nlp(text).ents if e.label_ == "GPE"] in ([], ["中国"])


def test_char_segmenter_reads_the_words_of_a_dictionary():
    nlp = spacy.blank("zh")
    nlp.add_pipe("preseg_entities")
    # 中方 is a word, so "the X side"; 意 in 同意 and 加 in 加强 are inside words.
    assert ents(nlp("中方同意加强合作")) == [("中", "GPE", "CN")]
    # Codes are words: the designation is whole.
    assert [e.text for e in nlp("印度用PSLV-C60火箭发射两颗卫星").ents] == ["印度", "PSLV-C60"]
    assert [e.text for e in nlp("联盟-2.1b火箭从普列谢茨克发射").ents] == ["联盟-2.1b"]
    # A people written with its country holds no country.
    assert ents(nlp("不少法国人也在那里")) == []
    assert [e.text for e in nlp("法国政府表示").ents] == ["法国"]


def test_char_segmenter_reads_words_the_dictionary_lacks_as_segmented_text_writes_them():
    nlp = spacy.blank("zh")
    nlp.add_pipe("preseg_entities")
    # a word of relation with 华 is two words (访/华)
    assert [e.text for e in nlp("巴基斯坦总理访华期间").ents] == ["巴基斯坦", "华"]
    # single characters of a name no dictionary holds are no countries (马希亚)
    assert [e.text for e in nlp("火箭从新西兰马希亚半岛发射").ents] == ["新西兰"]
    # a run of abbreviations is a compound, which can start a body
    assert [(e.text, e.label_) for e in nlp("支持中日韩三国合作秘书处发挥作用").ents] == [("中日韩三国合作秘书处", "ORG")]
    # a head suffix ends the word before it
    assert [(e.text, e.label_) for e in nlp("德国联邦经济和气候保护部表示").ents] == [("德国联邦经济和气候保护部", "ORG")]
    # a people joins its country only where no word follows (巴勒斯坦/人民)
    assert [e.text for e in nlp("中方支持巴勒斯坦人民").ents] == ["中", "巴勒斯坦"]


def test_segmented_words_of_one_character_are_read_as_written(monkeypatch):
    nlp = preseg_nlp()
    ruler = nlp.get_pipe("preseg_entities")

    def no_dictionary(text):
        raise AssertionError("segmented text is not segmented again")

    monkeypatch.setattr(ruler.matcher, "word_edges", no_dictionary)
    assert [e.text for e in nlp("中/美/").ents] == ["中", "美"]
    assert list(nlp("（/完/）/").ents) == []


def test_behind_jieba():
    pytest.importorskip("jieba")
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.add_pipe("preseg_entities")
    assert ents(nlp(_PLAIN)) == _PLAIN_ENTS
    nlp = blank_preseg(segmenter="jieba")
    nlp.add_pipe("preseg_entities")
    assert ents(nlp(_PLAIN)) == _PLAIN_ENTS


def test_behind_the_preseg_tokenizer_fallback(ner):
    assert ents(ner(_PLAIN)) == _PLAIN_ENTS


def test_one_warning_for_segmented_text_through_another_tokenizer(seed_lines):
    nlp = spacy.blank("zh")
    nlp.add_pipe("preseg_entities")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        list(nlp.pipe(seed_lines[:10]))
        nlp("北斗/卫星/导航/系统/")
    relevant = [w for w in caught if issubclass(w.category, UnsplitDelimiterWarning)]
    assert len(relevant) == 1
    message = str(relevant[0].message)
    assert PRESEG in message and "@tokenizers" in message


def test_no_warning_for_the_preseg_tokenizer_or_plain_text(ner, seed_lines):
    char_nlp = spacy.blank("zh")
    char_nlp.add_pipe("preseg_entities")
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnsplitDelimiterWarning)
        list(ner.pipe(seed_lines))
        char_nlp("速度达到7.9km/s，与欧洲空间局合作")


# Serialization -----------------------------------------------------------


def _with_nlo_pattern(nlp):
    nlp.add_pipe("preseg_entities").add_patterns([NLO])
    return nlp


def test_to_bytes_from_bytes_keeps_user_patterns():
    nlp = _with_nlo_pattern(blank_preseg())
    data = nlp.to_bytes()
    other = blank_preseg()
    other.add_pipe("preseg_entities")
    other.from_bytes(data)
    assert other.get_pipe("preseg_entities").patterns == [NLO]
    assert ents(other("北极光/天文台/")) == [("北极光天文台", "ORG", "NLO")]
    ruler = PresegEntities(nlp.vocab).from_bytes(nlp.get_pipe("preseg_entities").to_bytes())
    assert ruler.patterns == [NLO]


def test_to_disk_from_disk_keeps_patterns_and_settings(tmp_path):
    nlp = blank_preseg()
    nlp.add_pipe("preseg_entities", config={"label_map": {"ORG": "ORGANIZATION"}, "split_tokens": True})
    nlp.get_pipe("preseg_entities").add_patterns([NLO])
    nlp.to_disk(tmp_path / "p")
    loaded = spacy.load(tmp_path / "p")
    assert [(e.text, e.label_, e.ent_id_) for e in loaded("中俄/与/北极光/天文台/").ents] == [
        ("中", "GPE", "CN"), ("俄", "GPE", "RU"), ("北极光天文台", "ORGANIZATION", "NLO"),
    ]
    empty = blank_preseg()
    empty.add_pipe("preseg_entities")
    empty.to_disk(tmp_path / "empty")
    assert spacy.load(tmp_path / "empty").get_pipe("preseg_entities").patterns == []


_LOAD_AND_RUN = """
import json, sys, spacy
out = {}
for path in sys.argv[2:]:
    nlp = spacy.load(path)
    out[path] = [
        [(e.start_char, e.end_char, e.label_, e.ent_id_) for e in doc.ents]
        for doc in nlp.pipe(json.loads(sys.argv[1]))
    ]
print(json.dumps(out))
"""


def test_user_patterns_match_after_load_in_a_fresh_process(tmp_path):
    # SPACY_NOTES item 2: spaCy's EntityRuler stores "欧洲/空间局" as "欧洲空间局" and
    # re-tokenizes it on load, so a split name stops matching. Ours matches on text.
    texts = ["北极光/天文台/", "北极光天文台/", "北极/光天文台/与/嫦娥/六/号/", "北极光天文台与中国合作"]
    pipelines = {"preseg": blank_preseg(), "char": spacy.blank("zh")}
    try:
        import jieba  # noqa: F401

        pipelines["jieba"] = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    except ImportError:
        pass
    expected, paths = {}, []
    for name, nlp in pipelines.items():
        _with_nlo_pattern(nlp)
        path = str(tmp_path / name)
        nlp.to_disk(path)
        paths.append(path)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UnsplitDelimiterWarning)
            expected[path] = [
                [[e.start_char, e.end_char, e.label_, e.ent_id_] for e in doc.ents] for doc in nlp.pipe(texts)
            ]
    assert expected[paths[0]][0] == [[0, 6, "ORG", "NLO"]]
    assert all(result[3][0] == [0, 6, "ORG", "NLO"] for result in expected.values())
    result = run_python(_LOAD_AND_RUN, json.dumps(texts), *paths)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == expected


# Processes, registration, scoring ----------------------------------------


def test_pickles_and_runs_in_two_processes(split_ner, ner, seed_lines):
    def summary(docs):
        return [(ents(d), d._.subtoken_ents, spans(d), tokens(d)) for d in docs]

    for nlp in (ner, split_ner):
        expected = summary(nlp.pipe(seed_lines))
        assert summary(pickle.loads(pickle.dumps(nlp)).pipe(seed_lines)) == expected
        assert summary(nlp.pipe(seed_lines, n_process=2, batch_size=8)) == expected
    assert any(sub for _, sub, _, _ in summary(ner.pipe(seed_lines)))


def test_factory_found_through_entry_points_in_a_fresh_interpreter():
    code = (
        "import sys, spacy\n"
        "nlp = spacy.blank('zh')\n"
        "nlp.add_pipe('preseg_entities')\n"
        "print([(e.text, e.label_, e.ent_id_) for e in nlp('俄罗斯与欧洲空间局').ents])\n"
        "print(spacy.registry.scorers.get('spacy_preseg.entities_scorer.v1') is not None)\n"
    )
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "[('俄罗斯', 'GPE', 'RU'), ('欧洲空间局', 'ORG', 'ESA')]",
        "True",
    ]


def test_displacy_colors_through_entry_points():
    code = (
        "import sys, spacy\n"
        "from spacy import displacy\n"
        "from spacy.tokens import Doc\n"
        "nlp = spacy.blank('zh')\n"
        "doc = Doc(nlp.vocab, words=['发射', '嫦娥六号'], ents=['O', 'B-MISSION'])\n"
        "print(displacy.render(doc, style='ent'))\n"
    )
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert DISPLACY_COLORS["MISSION"] in result.stdout
    assert "嫦娥六号" in result.stdout


def _examples(nlp, gold):
    char_nlp = spacy.blank("zh")
    examples = []
    for row in gold:
        reference = char_nlp.make_doc(row["text"])
        reference.ents = [reference.char_span(s["start"], s["end"], label=s["label"]) for s in row["spans"]]
        examples.append(Example(nlp.make_doc(row["source"]), reference))
    return examples


def test_evaluate_reports_ents_per_type(ner, seed_gold):
    scores = ner.evaluate(_examples(ner, seed_gold))
    assert set(scores["ents_per_type"]) == {"GPE", "ORG", "MISSION"}
    assert all(v["f"] > 0.8 for v in scores["ents_per_type"].values())
    assert scores["ents_f"] > 0.9
    assert ner.get_pipe_config("preseg_entities")["scorer"] == {"@scorers": "spacy_preseg.entities_scorer.v1"}


def test_quality_floor_on_the_seed(ner, split_ner, seed_gold):
    records = list(read_records(SEED_GOLD))
    assert sum(len(r.spans) for r in records) > 100
    micro = score(ner, records)["micro"]
    assert micro["p"] >= 0.97 and micro["f"] >= 0.95, micro
    micro = score(split_ner, records)["micro"]
    assert micro["f"] >= 0.97, micro


_SHARED_NER = preseg_nlp()


# Batches -----------------------------------------------------------------


def test_pipe_annotates_as_one_doc_at_a_time(ner, seed_lines):
    assert len(seed_lines) > CHUNK_SIZE
    one_by_one = [ner(line) for line in seed_lines]
    piped = list(ner.pipe(seed_lines))
    assert [ents(d) for d in piped] == [ents(d) for d in one_by_one]
    assert [spans(d) for d in piped] == [spans(d) for d in one_by_one]
    assert [d._.subtoken_ents for d in piped] == [d._.subtoken_ents for d in one_by_one]


def test_pipe_gives_only_the_docs_at_fault_to_the_error_handler(monkeypatch):
    nlp = preseg_nlp()
    ruler = nlp.get_pipe("preseg_entities")
    find = ruler.matcher.find

    def failing_find(text, *edges):
        if "坏" in text:
            raise RuntimeError("no names here")
        return find(text, *edges)

    monkeypatch.setattr(ruler.matcher, "find", failing_find)
    texts = ["俄罗斯/", "坏/文本/", "欧洲/空间局/"]
    with pytest.raises(RuntimeError, match="no names here"):
        list(nlp.pipe(texts))
    failed = []
    ruler.set_error_handler(lambda name, proc, docs, e: failed.append((name, [d.text for d in docs], str(e))))
    assert [ents(d) for d in nlp.pipe(texts)] == [[("俄罗斯", "GPE", "RU")], [("欧洲空间局", "ORG", "ESA")]]
    assert failed == [("preseg_entities", ["坏文本"], "no names here")]


def test_labels_and_ids_go_to_the_vocab_of_the_doc():
    ruler = preseg_nlp().get_pipe("preseg_entities")
    doc = ruler(Doc(Vocab(), words=["中国", "和", "俄罗斯"]))
    assert ents(doc) == [("中国", "GPE", "CN"), ("俄罗斯", "GPE", "RU")]
    assert spans(doc) == ents(doc)
