"""Token edges and entities read and written on a Doc's token array."""

import numpy
import pytest
import spacy
from spacy.attrs import ENT_IOB, ENT_TYPE
from spacy.tokens import Doc, Span, SpanGroup

from spacy_preseg.doc_arrays import entity_chars, set_entities, span_group, token_edges


@pytest.fixture(scope="module")
def vocab():
    return spacy.blank("zh").vocab


def make_doc(vocab):
    # Trailing spaces and a whitespace token, so that ends are not the next starts.
    return Doc(vocab, words=["中国", "与", "  ", "欧洲", "空间局", "合作"], spaces=[True, False, False, False, True, False])


def annotation(doc):
    return [(t.ent_iob, t.ent_type_, t.ent_id_, t.ent_kb_id) for t in doc]


def test_token_edges_are_those_of_the_tokens(vocab):
    doc = make_doc(vocab)
    starts, ends, edges, ordered = token_edges(doc)
    assert starts == {t.idx: t.i for t in doc}
    assert ends == {t.idx + len(t): t.i + 1 for t in doc}
    assert edges == starts.keys() | ends.keys()
    assert ordered == sorted(edges)
    assert token_edges(Doc(vocab, words=[])) == ({}, {}, set(), [])


def test_entity_chars_are_those_of_doc_ents(vocab):
    doc = make_doc(vocab)
    assert entity_chars(doc) == []
    # Adjacent entities, one with an id, one at the end.
    doc.set_ents([Span(doc, 0, 1, "GPE", span_id="CN"), Span(doc, 1, 2, "GPE"), Span(doc, 3, 6, "ORG")])
    expected = [(e.start_char, e.end_char, e.label_, e.ent_id_) for e in doc.ents]
    assert entity_chars(doc) == expected and len(expected) == 3
    # A B tag without a label is no entity, and ends the one before it, as in Doc.ents
    # (token 0 keeps its id: from_array sets only the columns it is given).
    doc.from_array([ENT_IOB, ENT_TYPE], numpy.array([[3, vocab.strings.add("GPE")], [3, 0]] + [[2, 0]] * 4, dtype="uint64"))
    assert entity_chars(doc) == [(e.start_char, e.end_char, e.label_, e.ent_id_) for e in doc.ents] == [(0, 2, "GPE", "CN")]
    doc.set_ents([], default="missing")
    assert entity_chars(doc) == [(e.start_char, e.end_char, e.label_, e.ent_id_) for e in doc.ents] == []


def test_entity_chars_refuse_an_entity_that_no_token_begins(vocab):
    doc = Doc(vocab, words=["中国", "美国"])
    doc.from_array([ENT_IOB, ENT_TYPE], numpy.array([[2, 0], [1, vocab.strings.add("GPE")]], dtype="uint64"))
    with pytest.raises(ValueError, match="token 1"):
        entity_chars(doc)


def test_set_entities_matches_set_ents(vocab):
    strings = vocab.strings
    expected = make_doc(vocab)
    expected.ents = [Span(expected, 5, 6, "OLD")]  # replaced, as with default="outside"
    expected.set_ents(
        [Span(expected, 0, 1, "GPE", span_id="CN"), Span(expected, 3, 5, "ORG", span_id="ESA")], default="outside"
    )
    doc = make_doc(vocab)
    doc.ents = [Span(doc, 5, 6, "OLD")]
    set_entities(doc, [(0, 1, strings.add("GPE"), strings.add("CN")), (3, 5, strings.add("ORG"), strings.add("ESA"))])
    assert annotation(doc) == annotation(expected)
    assert [(e.text, e.label_, e.ent_id_) for e in doc.ents] == [("中国", "GPE", "CN"), ("欧洲空间局", "ORG", "ESA")]


@pytest.mark.parametrize("entities", [[(0, 2, 1, 1), (1, 3, 1, 1)], [(2, 2, 1, 1)], [(5, 7, 1, 1)]])
def test_set_entities_refuses_overlaps_and_spans_off_the_doc(vocab, entities):
    doc = make_doc(vocab)
    with pytest.raises(ValueError, match="entity tokens"):
        set_entities(doc, entities)
    assert annotation(doc) == annotation(make_doc(vocab))


def test_span_group_matches_one_built_from_spans(vocab):
    strings = vocab.strings
    doc = make_doc(vocab)
    group = span_group(doc, "names", [(0, 1, strings.add("GPE"), strings.add("CN")), (3, 5, strings.add("ORG"), 0)])
    expected = SpanGroup(doc, name="names", spans=[Span(doc, 0, 1, "GPE", span_id="CN"), Span(doc, 3, 5, "ORG")])
    doc.spans["names"] = group
    assert group.name == "names"
    assert [(s.start, s.end, s.start_char, s.end_char, s.text, s.label_, s.id_) for s in doc.spans["names"]] == [
        (s.start, s.end, s.start_char, s.end_char, s.text, s.label_, s.id_) for s in expected
    ]
    assert doc.spans["names"][1].text == "欧洲空间局"


@pytest.mark.parametrize("spans", [[(0, 0, 1, 1)], [(4, 7, 1, 1)], [(-1, 1, 1, 1)]])
def test_span_group_refuses_spans_off_the_doc(vocab, spans):
    with pytest.raises(ValueError, match="span tokens"):
        span_group(make_doc(vocab), "names", spans)


def test_set_entities_checks_the_hashes_before_writing(vocab):
    doc = make_doc(vocab)
    doc.ents = [Span(doc, 5, 6, "OLD")]
    with pytest.raises(TypeError):
        set_entities(doc, [(0, 1, vocab.strings.add("GPE"), 1), (3, 5, "ORG", 2)])
    assert [(e.text, e.label_) for e in doc.ents] == [("合作", "OLD")]
