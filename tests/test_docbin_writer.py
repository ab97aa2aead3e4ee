"""DocBinWriter: the same bytes as DocBin.add, on random Docs and on the pipeline's."""

import random
import zlib

import pytest
import spacy
from spacy.tokens import Doc, DocBin, Span

from spacy_preseg.docbin_writer import DocBinWriter
from spacy_preseg.entities import rule_pipeline
from spacy_preseg.shard_tasks import ENTITY_ATTRS
from spacy_preseg.tokenizer import doc_source_offsets

WORDS = ["中国", "与", "欧洲", "空间局", "合作", "a", "B", "19", " ", "\n", "嫦娥", "六", "号", "km/s", "é"]
TAGS = ["", "NN", "VV", "PU", "NR"]
MORPHS = ["", "Number=Sing", "Case=Nom|Number=Plur"]
DEPS = ["", "nsubj", "ROOT", "dobj"]
LABELS = ["GPE", "ORG", "MISSION", "PERSON"]
VALUES = [None, 0, -3, 2**40, 1.5, "x", "名字", [1, "a"], {"k": [True, None]}, b"\x00\xff", (1, 2)]


def random_doc(vocab, rng: random.Random) -> Doc:
    n = rng.randint(0, 12)
    words = [rng.choice(WORDS) for _ in range(n)]
    spaces = [rng.random() < 0.3 for _ in range(n)] if rng.random() < 0.8 else None
    tagged = rng.random() < 0.5
    doc = Doc(
        vocab,
        words=words,
        spaces=spaces,
        tags=[rng.choice(TAGS) for _ in words] if tagged else None,
        lemmas=[rng.choice(WORDS) + "_" for _ in words] if tagged else None,
        morphs=[rng.choice(MORPHS) for _ in words] if tagged else None,
        deps=[rng.choice(DEPS) for _ in words] if tagged and n else None,
        heads=[rng.randrange(n) for _ in words] if tagged and n else None,
    )
    if tagged:
        for token in doc:
            if rng.random() < 0.2:
                token.norm_ = token.text.upper() + "!"
    if n and rng.random() < 0.7:
        start = rng.randrange(n)
        end = rng.randint(start + 1, n)
        doc.ents = [Span(doc, start, end, label=rng.choice(LABELS), kb_id=rng.choice(["", "Q1"]), span_id=rng.choice(["", "CN"]))]
    for key in rng.sample(["a", "b", "preseg_entities"], rng.randint(0, 3)):
        spans = []
        for _ in range(rng.randint(0, 4) if n else 0):
            start = rng.randrange(n)
            end = rng.randint(start + 1, n)
            spans.append(Span(doc, start, end, label=rng.choice(LABELS), kb_id=rng.choice([0, 5, "kb"]), span_id=rng.choice([0, "id"])))
        doc.spans[key] = spans
        if rng.random() < 0.3:
            doc.spans[key].attrs["note"] = rng.choice(VALUES)
    if "a" in doc.spans and rng.random() < 0.3:
        doc.spans["copy"] = doc.spans["a"]  # one group under two keys
    for i in range(rng.randint(0, 3)):
        key = rng.choice([("._.", f"attr{i}", None, None), f"key{i}", i])
        doc.user_data[key] = rng.choice(VALUES)
    if rng.random() < 0.3:
        doc.cats = {"POS": rng.random(), "NEG": 0.5}
    return doc


@pytest.mark.parametrize("store_user_data", [True, False])
def test_random_docs_give_the_bytes_of_docbin_add(store_user_data):
    rng = random.Random(7)
    vocab = spacy.blank("zh").vocab
    for _ in range(20):
        docs = [random_doc(vocab, rng) for _ in range(rng.randint(0, 40))]
        expected = DocBin(store_user_data=store_user_data, docs=docs)
        writer = DocBinWriter(store_user_data=store_user_data)
        for doc in docs:
            writer.add(doc)
        assert len(writer) == len(docs)
        assert writer.to_docbin().to_bytes() == expected.to_bytes()
        assert writer.to_bytes(6) == expected.to_bytes()  # DocBin's own zlib level
        assert zlib.decompress(writer.to_bytes()) == zlib.decompress(expected.to_bytes())


def test_other_attrs_give_the_bytes_of_docbin_add():
    rng = random.Random(3)
    vocab = spacy.blank("zh").vocab
    docs = [random_doc(vocab, rng) for _ in range(50)]
    attrs = ["LEMMA", "ENT_IOB", "ENT_TYPE"]
    writer = DocBinWriter(attrs, store_user_data=True)
    for doc in docs:
        writer.add(doc)
    assert writer.to_docbin().to_bytes() == DocBin(attrs, store_user_data=True, docs=docs).to_bytes()


def test_pipeline_docs_read_back_with_offsets_spans_and_subtoken_entities(tmp_path, seed_lines):
    nlp = rule_pipeline()
    docs = list(nlp.pipe(seed_lines))
    writer = DocBinWriter(store_user_data=True)
    for doc in docs:
        writer.add(doc)
    assert writer.to_docbin().to_bytes() == DocBin(store_user_data=True, docs=docs).to_bytes()
    writer.to_disk(tmp_path / "docs.spacy")
    back = list(DocBin().from_disk(tmp_path / "docs.spacy").get_docs(nlp.vocab))
    assert any(doc._.subtoken_ents for doc in back)
    for doc, read in zip(docs, back):
        assert [t.text for t in read] == [t.text for t in doc]
        assert [(e.start, e.end, e.label_, e.ent_id_) for e in read.ents] == [
            (e.start, e.end, e.label_, e.ent_id_) for e in doc.ents
        ]
        assert [(s.start, s.end, s.label_) for s in read.spans["preseg_entities"]] == [
            (s.start, s.end, s.label_) for s in doc.spans["preseg_entities"]
        ]
        assert [list(e) for e in read._.subtoken_ents] == doc._.subtoken_ents  # DocBin reads tuples
        assert doc_source_offsets(read) == doc_source_offsets(doc)
        assert [t._.source_span for t in read] == [t._.source_span for t in doc]


def test_a_doc_from_another_class_is_refused():
    with pytest.raises(TypeError):
        DocBinWriter().add("not a doc")


def test_the_entity_attrs_read_back_as_all_attrs_do_for_the_rule_pipeline(seed_lines):
    nlp = rule_pipeline(split_tokens=True)
    docs = list(nlp.pipe(seed_lines))
    writer = DocBinWriter(ENTITY_ATTRS, store_user_data=True)
    for doc in docs:
        writer.add(doc)
    vocab = spacy.blank("zh").vocab
    short = list(DocBin().from_bytes(writer.to_bytes()).get_docs(vocab))
    full = list(DocBin(store_user_data=True, docs=docs).get_docs(vocab))
    attrs = ["ORTH", "NORM", "TAG", "POS", "MORPH", "LEMMA", "DEP", "HEAD", "SENT_START", "ENT_IOB", "ENT_TYPE", "ENT_ID"]
    assert [d.to_array(attrs).tolist() for d in short] == [d.to_array(attrs).tolist() for d in full]
    assert [d.to_json() for d in short] == [d.to_json() for d in full]
