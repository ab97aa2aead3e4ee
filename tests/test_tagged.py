import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.parts_of_speech import IDS

from spacy_preseg.tagged import (
    DEFAULT_ENTITY_TAGS,
    SPACE_TAG,
    TaggedFormatError,
    is_tagged,
    load_compound_surnames,
    load_upos_map,
    parse_tagged,
    person_names,
    tag_entities,
    tagged_plain_text,
    tagged_source_offsets,
    upos_of,
)

# Lines written in the format of the People's Daily corpus (not taken from it).
LINE = "新华社/nt  北京/ns  １月/t  ２日/t  电/n  ，/w  江/nr  泽民/nr  会见/v  了/u  代表团/n  。/w"
FULL = "19980102-03-004-005/m  [国务院/nt  侨务/n  办公室/n]nt  主任/n  欧阳/nr  山尊/nr  说/v  ：/w  "


def pairs(text, delimiter="/"):
    parsed = parse_tagged(text, delimiter)
    return list(zip(parsed.words, parsed.tags))


def test_words_and_tags():
    assert pairs(LINE)[:5] == [("新华社", "nt"), ("北京", "ns"), ("１月", "t"), ("２日", "t"), ("电", "n")]
    assert tagged_plain_text(LINE) == "新华社北京１月２日电，江泽民会见了代表团。"
    assert is_tagged(LINE) and not is_tagged("新华社北京电")


def test_separators_of_any_width_and_a_slash_in_a_word():
    assert pairs("增长/v\t１/２/m 左右/f   ，/w") == [("增长", "v"), ("１/２", "m"), ("左右", "f"), ("，", "w")]
    assert pairs("http://www.people.com.cn/nx") == [("http://www.people.com.cn", "nx")]


def test_document_ids_are_no_words():
    parsed = parse_tagged(FULL)
    assert parsed.words[:4] == ["国务院", "侨务", "办公室", "主任"]
    assert parse_tagged(FULL).starts[0] == FULL.index("国务院")
    # Only the first item of a line is an id.
    assert pairs("共/d  19980102-03-004-005/m") == [("共", "d"), ("19980102-03-004-005", "m")]
    text = "19980101-01-001-001/m  迈向/v\n19980101-01-001-002/m  中共中央/nt  "
    assert parse_tagged(text).words == ["迈向", "\n", "中共中央"]


def test_brackets_become_compounds_with_their_tag():
    parsed = parse_tagged(FULL)
    assert parsed.brackets == [(0, 3, "nt")]
    nested = parse_tagged("[[中国/ns  共产党/nt]nt  中央/n  委员会/n]nt  [北京/ns]ns")
    assert nested.words == ["中国", "共产党", "中央", "委员会", "北京"]
    assert nested.brackets == [(0, 2, "nt"), (0, 4, "nt"), (4, 5, "ns")]


def test_brackets_as_punctuation_are_words():
    assert pairs("[/w  注/n  ]/w") == [("[", "w"), ("注", "n"), ("]", "w")]
    assert parse_tagged("[/w  注/n  ]/w").brackets == []


@pytest.mark.parametrize(
    "text, message",
    [
        ("新华社/nt  北京", "item '北京' has no tag"),
        ("北京/  电/n", "item '北京/' has no tag"),
        ("/n  电/n", "item '/n' has an empty word"),
        ("[国务院/nt  侨务/n", "the bracket of item '\\[国务院/nt' is not closed on its line"),
        ("侨务/n  办公室/n]nt", "item '办公室/n\\]nt' closes a bracket that was not opened"),
        ("[侨务/n  办公室/n]", "item '办公室/n\\]' closes a bracket without its tag"),
        ("[侨务/n  办公室/]nt", "item '办公室/\\]nt' has no tag"),
    ],
)
def test_malformed_items_are_named(text, message):
    with pytest.raises(TaggedFormatError, match=f"^{message}"):
        parse_tagged(text)


def test_errors_say_which_line_of_a_text():
    with pytest.raises(TaggedFormatError, match=r"^line 3: item '北京' has no tag") as info:
        parse_tagged("迈向/v\n\r\n新华社/nt  北京")
    assert info.value.line == 2 and info.value.reason.startswith("item '北京'")
    with pytest.raises(TaggedFormatError, match=r"^line 1: the bracket of item '\[国务院/nt'"):
        parse_tagged("[国务院/nt  侨务/n\n办公室/n]nt")


def test_line_breaks_are_kept_other_whitespace_is_not():
    parsed = parse_tagged("\ufeff迈向/v  \n  \n充满/v\r\n")
    assert parsed.words == ["迈向", "\n  \n", "充满", "\r\n"]
    assert parsed.tags == ["v", SPACE_TAG, "v", SPACE_TAG]
    assert parsed.starts == [1, 7, 11, 15]


def test_offsets_point_at_every_character_in_the_source():
    for text in (LINE, FULL, "\ufeff[中国/ns  共产党/nt]nt\r\n１/２/m  "):
        starts, ends = tagged_source_offsets(text)
        plain = tagged_plain_text(text)
        assert len(starts) == len(ends) == len(plain)
        assert "".join(text[a:b] for a, b in zip(starts, ends)) == plain


def test_other_delimiters():
    assert pairs("北京|ns  a|b|nx", "|") == [("北京", "ns"), ("a|b", "nx")]
    assert pairs("北京<>ns  [a<>n]nt", "<>") == [("北京", "ns"), ("a", "n")]
    assert parse_tagged("北京<>ns  [a<>n]nt", "<>").brackets == [(1, 2, "nt")]


items = st.tuples(
    st.text(st.characters(blacklist_categories=("Z", "C")), min_size=1, max_size=6).filter(
        lambda w: not w.startswith("[") and "]" not in w
    ),
    st.text("abcdefghijklmnopqrstuvwxyzNVA", min_size=1, max_size=3),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(items, max_size=12), st.sampled_from([" ", "  ", "\t", " \u3000 "]))
def test_any_items_read_back_as_written(written, separator):
    text = separator.join(f"{word}/{tag}" for word, tag in written)
    expected = [(w, t) for w, t in written]
    if expected and parse_tagged(text).words[:1] != [expected[0][0]]:
        expected = expected[1:]  # a first word that looks like a document id
    assert pairs(text) == expected


# Universal POS ----------------------------------------------------------------


def test_every_tag_maps_to_a_universal_pos():
    table = load_upos_map()
    assert len(table) >= 40
    assert all(upos in IDS for upos in table.values())
    assert table["nr"] == "PROPN" and table["w"] == "PUNCT" and table["vn"] == "NOUN"


def test_unlisted_tags_take_their_longest_listed_prefix():
    assert upos_of("nr1") == "PROPN"
    assert upos_of("vvn") == "VERB"
    assert upos_of("vd") == "ADV"
    assert upos_of("Qg") == "X"
    assert upos_of(SPACE_TAG) == "SPACE"


# Entities from tags -------------------------------------------------------------


def entities(text, entity_tags=DEFAULT_ENTITY_TAGS):
    parsed = parse_tagged(text)
    return [
        ("".join(parsed.words[a:b]), label)
        for a, b, label in tag_entities(parsed.words, parsed.tags, parsed.brackets, entity_tags)
    ]


def test_entities_from_tags():
    assert entities(LINE) == [("新华社", "ORG"), ("北京", "LOC"), ("江泽民", "PERSON")]
    assert entities(LINE, {"ns": "GPE"}) == [("北京", "GPE")]
    assert entities(LINE, {}) == []


def test_compounds_take_their_outer_tag():
    assert entities(FULL) == [("国务院侨务办公室", "ORG"), ("欧阳山尊", "PERSON")]
    assert entities("[[中国/ns  共产党/nt]nt  中央/n]nt") == [("中国共产党中央", "ORG")]
    # A compound whose tag is no entity leaves its words their own.
    assert entities("[中国/ns  人民/n]nz") == [("中国", "LOC")]


@pytest.mark.parametrize(
    "names, expected",
    [
        ("江 泽民", ["江泽民"]),
        ("李 鹏 乔 石 朱 镕基", ["李鹏", "乔石", "朱镕基"]),
        ("陈 方 安生", ["陈方安生"]),
        ("欧阳 山尊 司马 迁", ["欧阳山尊", "司马迁"]),
        ("克林顿", ["克林顿"]),
        ("马克思 恩格斯", ["马克思", "恩格斯"]),
        ("焦 秋生 银春", ["焦秋生", "银春"]),
    ],
)
def test_person_names_split_into_surname_and_given_name_are_joined(names, expected):
    words = names.split()
    assert ["".join(words[a:b]) for a, b in person_names(words, 0, len(words))] == expected
    text = "  ".join(f"{w}/nr" for w in words) + "  说/v"
    assert entities(text) == [(name, "PERSON") for name in expected]


def test_compound_surnames_are_two_characters():
    surnames = load_compound_surnames()
    assert {"欧阳", "司马", "诸葛"} <= surnames
    assert all(len(name) == 2 for name in surnames)


def test_the_table_is_a_tag_map_for_the_attribute_ruler():
    from .conftest import run_python

    code = (
        "import spacy\n"
        "from spacy.tokens import Doc\n"
        "nlp = spacy.blank('zh')\n"
        "ruler = nlp.add_pipe('attribute_ruler')\n"
        "ruler.initialize(lambda: [], tag_map=spacy.util.registry.misc.get('spacy_preseg.pku_tag_map.v1')())\n"
        "doc = ruler(Doc(nlp.vocab, words=['江', '泽民', '说'], tags=['nr', 'nr', 'v']))\n"
        "print(' '.join(t.pos_ for t in doc))\n"
    )
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["PROPN", "PROPN", "VERB"]
