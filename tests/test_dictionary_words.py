"""dictionary_words: the words the rules read in text cut into characters."""

import spacy
from spacy.tokens import Doc

from spacy_preseg.dictionary_words import cut_into_characters, dictionary, word_edges
from spacy_preseg.doc_arrays import token_edges


def words(text, names=None):
    edges = word_edges(text, names or {})
    return [text[a:b] for a, b in zip(edges, edges[1:])]


def test_char_tokens_are_told_from_segmented_ones():
    nlp = spacy.blank("zh")
    text = "中方同意加强合作"
    _, _, bounds, _ = token_edges(nlp(text))
    assert cut_into_characters(text, bounds)
    doc = Doc(nlp.vocab, words=["中方", "同意", "加强", "合作"], spaces=[False] * 4)
    _, _, bounds, _ = token_edges(doc)
    assert not cut_into_characters(doc.text, bounds)


def test_dictionary_words_come_from_spacy_pkuseg():
    assert {"同意", "加强", "中方", "研究所"} <= dictionary()
    assert all(2 <= len(w) for w in list(dictionary())[:1000])


def test_words_by_maximum_matching():
    assert words("中方同意加强合作") == ["中方", "同意", "加强", "合作"]


def test_a_listed_name_is_a_word():
    text = "巴基斯坦空间技术研究所成立"
    assert words(text, {0: 11})[0] == "巴基斯坦空间技术研究所"


def test_backward_matching_where_forward_cuts_a_name():
    # forward: 从新/西/兰; backward keeps the listed name 新西兰
    assert words("火箭从新西兰发射", {3: 6}) == ["火箭", "从", "新西兰", "发射"]


def test_latin_codes_and_numbers_are_one_word():
    assert words("用PSLV-C60火箭") == ["用", "PSLV-C60", "火箭"]
    assert words("发射GSAT-24卫星") == ["发射", "GSAT-24", "卫星"]


def test_a_dash_and_code_end_the_word_before():
    assert words("联盟-2.1b火箭") == ["联盟-2.1b", "火箭"]
    assert words("哨兵-1C卫星") == ["哨兵-1C", "卫星"]


def test_a_year_after_a_code_is_a_word_of_its_own():
    assert words("卫星SATRIA-12023年发射") == ["卫星", "SATRIA-1", "2023年", "发射"]


def test_a_name_that_ends_inside_a_code_runs_to_its_end():
    text = "联盟MS-26飞船"
    assert words(text, {0: 4}) == ["联盟MS-26", "飞船"]
