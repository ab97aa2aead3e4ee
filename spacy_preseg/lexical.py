"""Lexical attributes that suit Chinese words, for the features of trained components.

spaCy's SUFFIX is a word's last three characters: for Chinese words, mostly of
one to three characters, the word itself again, so that a model built on
NORM, PREFIX, SUFFIX and SHAPE never sees the last character on its own, which
most often says what a word is (化 and 于 end verbs, 性, 者 and 们 nouns, 地
adverbs). With this callback in a config's ``[nlp.after_creation]``, SUFFIX is
the last character; PREFIX is the first already.
"""

from typing import Callable

from spacy.attrs import SUFFIX
from spacy.language import Language
from spacy.util import registry


def last_character(string: str) -> str:
    return string[-1:]


def use_last_character_as_suffix(nlp: Language) -> Language:
    nlp.vocab.lex_attr_getters[SUFFIX] = last_character
    return nlp


@registry.callbacks("spacy_preseg.chinese_suffix.v1")
def create_chinese_suffix() -> Callable[[Language], Language]:
    """An after_creation callback: SUFFIX is a word's last character."""
    return use_last_character_as_suffix
