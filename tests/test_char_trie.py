"""The character trie behind the listed names."""

import pickle

import pytest

from spacy_preseg.char_trie import CharTrie


@pytest.fixture(scope="module")
def trie():
    return CharTrie([("中国", "CN"), ("中", "zh"), ("国际", "intl"), ("中国航天", "CNSA"), ("𠀀𠀁", "astral")])


def test_prefixes_gives_every_key_at_each_start(trie):
    assert sorted(trie.prefixes("中国航天局", {0, 1})) == [(0, 1, "zh"), (0, 2, "CN"), (0, 4, "CNSA")]


def test_only_the_given_starts_are_walked(trie):
    assert trie.prefixes("中国际", [0]) == [(0, 1, "zh"), (0, 2, "CN")]
    assert trie.prefixes("中国际", [1]) == [(1, 3, "intl")]
    assert trie.prefixes("中国际", []) == []


def test_starts_outside_the_text_find_nothing(trie):
    assert trie.prefixes("中国", [-1, 2, 99]) == []


def test_a_key_must_be_whole(trie):
    assert trie.prefixes("中国航", [0]) == [(0, 1, "zh"), (0, 2, "CN")]
    assert trie.prefixes("国", [0]) == []


def test_characters_beyond_the_basic_plane(trie):
    assert trie.prefixes("x𠀀𠀁", [1]) == [(1, 3, "astral")]
    assert trie.prefixes("x𠀀𠀂", [1]) == []


def test_a_later_value_replaces_an_earlier_one():
    assert CharTrie([("美国", 1), ("美国", 2)]).prefixes("美国", [0]) == [(0, 2, 2)]


@pytest.mark.parametrize("key", ["", None, 3])
def test_keys_must_be_non_empty_strings(key):
    with pytest.raises(ValueError, match="non-empty strings"):
        CharTrie([("中国", 1), (key, 2)])


def test_a_failed_rebuild_leaves_the_trie_as_it_was():
    trie = CharTrie([("abcdefgh", 1)])
    with pytest.raises(ValueError):
        trie.__init__([("x", 2), ("", 3)])
    assert trie.prefixes("abcdefgh", [0]) == [(0, 8, 1)]


def test_pickles(trie):
    copy = pickle.loads(pickle.dumps(trie))
    assert copy.prefixes("中国航天", [0]) == trie.prefixes("中国航天", [0])


def test_many_keys_and_texts_agree_with_plain_slicing():
    keys = {f"{a}{b}{c}": i for i, (a, b, c) in enumerate(
        (a, b, c) for a in "甲乙丙丁" for b in "子丑寅卯" for c in ["", "辰", "辰巳"]
    )}
    trie = CharTrie(keys.items())
    text = "甲子辰巳乙丑丙寅辰丁卯辰巳甲"
    expected = sorted(
        (start, end, keys[text[start:end]])
        for start in range(len(text))
        for end in range(start + 1, len(text) + 1)
        if text[start:end] in keys
    )
    assert sorted(trie.prefixes(text, range(len(text)))) == expected
