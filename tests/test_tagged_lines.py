import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.parts_of_speech import IDS
from spacy.tokens import Doc

from spacy_preseg.tagged import upos_of
from spacy_preseg.tagged_lines import scan_plain_line, write_tags

VOCAB = spacy.blank("zh").vocab


def test_a_plain_line_gives_words_tags_and_starts():
    text = "迈向/v  充满/v\t希望/n  １/２/m"
    words, tags, starts = scan_plain_line(text, "/")
    assert list(zip(words, tags)) == [("迈向", "v"), ("充满", "v"), ("希望", "n"), ("１/２", "m")]
    assert [text[s : s + len(w)] for w, s in zip(words, starts)] == words
    assert scan_plain_line("北京<>ns  a<>b<>nx", "<>")[:2] == (["北京", "a<>b"], ["ns", "nx"])


@pytest.mark.parametrize(
    "text",
    [
        "", "[中国/ns  共产党/nt]nt", "[/w", "19980101-01-001-001/m  迈向/v", "\ufeff迈向/v",
        "迈向/v\n充满/v", "迈向/v\u3000充满/v", "迈向", "迈向/", "/v", "迈向/v  充满",
    ],
)
def test_anything_but_a_plain_line_is_left_to_the_python_reader(text):
    assert scan_plain_line(text, "/") is None


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="北京/ns[]\t 1１-", max_size=30))
def test_what_it_reads_are_the_items(text):
    scanned = scan_plain_line(text, "/")
    if scanned is not None:
        assert [f"{w}/{t}" for w, t in zip(*scanned[:2])] == text.split()


def test_tags_and_pos_are_written_to_the_tokens():
    values = {"v": (VOCAB.strings.add("v"), IDS["NOUN"])}

    def tag_value(tag):
        values[tag] = (VOCAB.strings.add(tag), IDS[upos_of(tag)])
        return values[tag]

    doc = Doc(VOCAB, words=["迈向", "希望"])
    write_tags(doc, ["v", "n"], values, tag_value)
    assert [(t.tag_, t.pos_) for t in doc] == [("v", "NOUN"), ("n", "NOUN")]
    assert "n" in values and doc.has_annotation("TAG")
    with pytest.raises(ValueError, match="1 tags for 2 tokens"):
        write_tags(doc, ["v"], values, tag_value)
