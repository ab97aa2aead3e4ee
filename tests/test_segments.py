import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spacy_preseg.segments import (
    is_segmented,
    plain_text,
    source_offsets,
    span_in_source,
    spans_in_source,
    split_segments,
    validate_delimiter,
)


def text_of(words, spaces):
    return "".join(w + (" " if s else "") for w, s in zip(words, spaces))


def test_words_are_the_non_empty_segments():
    assert split_segments("中国/与//19/个/") == (["中国", "与", "19", "个"], [False] * 4)
    assert split_segments("/北斗/") == (["北斗"], [False])


def test_whitespace_is_kept_but_never_part_of_a_word():
    words, spaces = split_segments("，/\n北斗/系统/")
    assert words == ["，", "\n", "北斗", "系统"]
    words, spaces = split_segments("NASA/ /和/ESA  /\r\n/")
    assert words == ["NASA", "和", "ESA", " ", "\r\n"]
    assert spaces == [True, False, True, False, False]


def test_escaped_delimiter_and_backslash():
    assert split_segments(r"速度/km\/s/") == (["速度", "km/s"], [False, False])
    assert split_segments("a\\\\/b/")[0] == ["a\\", "b"]
    assert split_segments("C:\\x/y/")[0] == ["C:\\x", "y"]


def test_segmented_means_an_unescaped_delimiter():
    assert is_segmented("中国/")
    assert not is_segmented("中国")
    assert not is_segmented(r"km\/s")
    assert is_segmented("a\\\\/b")
    assert not is_segmented("卫星／导航")
    # An escaped backslash, then an escaped delimiter: still no delimiter.
    assert not is_segmented("a\\\\\\/b")
    assert split_segments("a\\\\\\/b/c/")[0] == ["a\\/b", "c"]


def test_plain_text_is_the_text_of_the_words():
    for source in ["中国/与/\n俄罗斯/", "\ufeff北斗/", "km\\/s/速度/", "a/ /b  c/"]:
        words, spaces = split_segments(source)
        assert plain_text(source) == text_of(words, spaces)


def test_fullwidth_slash_is_text_and_bom_is_dropped():
    assert split_segments("\ufeff卫星／导航/系统/")[0] == ["卫星／导航", "系统"]


def test_other_delimiters():
    assert split_segments("北斗|卫星||", "|")[0] == ["北斗", "卫星"]
    assert split_segments("北斗<>卫星<>", "<>")[0] == ["北斗", "卫星"]
    assert split_segments(r"a\<>b<>c<>", "<>")[0] == ["a<>b", "c"]


@pytest.mark.parametrize("bad", ["", " ", "\\", "a b", None, "//", "aba"])
def test_bad_delimiters_are_refused(bad):
    with pytest.raises(ValueError, match="delimiter"):
        validate_delimiter(bad)


def unescape(piece, delimiter="/"):
    """A piece of the source as the words read it: escape sequences resolved."""
    return re.sub(r"\\([/\\])", r"\1", piece)


def test_offsets_point_into_the_source():
    source = "\ufeff中国/与/km\\/s/\n"
    words, spaces = split_segments(source)
    text = text_of(words, spaces)
    starts, ends = source_offsets(source)
    assert len(starts) == len(ends) == len(text)
    assert [unescape(source[s:e]) for s, e in zip(starts, ends)] == list(text)
    assert span_in_source((starts, ends), 3, 7) == (6, 11)  # "km/s" with its escape


def test_a_word_that_starts_with_an_escape_keeps_it():
    starts, ends = source_offsets("\\/x/y")
    assert span_in_source((starts, ends), 0, 2) == (0, 3)


@given(st.text(alphabet=st.sampled_from(list("ab中国 /\n\r\t\\／")), max_size=40))
def test_text_is_the_input_minus_delimiters_and_escapes(source):
    words, spaces = split_segments(source)
    text = text_of(words, spaces)
    starts, ends = source_offsets(source)
    assert [unescape(source[s:e]) for s, e in zip(starts, ends)] == list(text)
    assert all(a < b <= c for a, b, c in zip(starts, ends, starts[1:]))
    pos = 0
    for word, space in zip(words, spaces):
        start, end = span_in_source((starts, ends), pos, pos + len(word))
        assert unescape(source[start:end]) == word
        pos += len(word) + space
    if "\\" not in source:
        assert text == source.replace("/", "")
    assert all(w and (w.isspace() or not any(c.isspace() for c in w)) for w in words)


@given(st.text(alphabet=st.sampled_from(list("ab中国/\n")), max_size=40))
def test_line_breaks_are_words_of_their_own(source):
    words, spaces = split_segments(source)
    assert words == re.findall(r"[^/\s]+|\s+", source)
    assert spaces == [False] * len(words)


@given(
    st.text(alphabet="中a/<> \n\\\ufeff", max_size=30),
    st.sampled_from(["/", "<>", None]),
    st.lists(st.tuples(st.integers(0, 32), st.integers(0, 32)), max_size=6),
)
def test_spans_in_source_are_those_of_the_full_mapping(source, delimiter, spans):
    n = len(plain_text(source, delimiter))
    spans = [(min(a, b, n), min(max(a, b), n)) for a, b in spans]
    offsets = source_offsets(source, delimiter)
    assert spans_in_source(source, delimiter, spans) == [span_in_source(offsets, a, b) for a, b in spans]
