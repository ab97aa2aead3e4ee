"""Words for the rules where the tokenizer cut the text into single characters.

The matcher's rules read words: a name starts on a word edge and a country
ends on one, an abbreviation counts where it is a word of its own (中/方 is
not 中方, 同意 holds no 意). Behind spaCy's "char" tokenizer every character
is a token, so its edges say nothing. For such Docs the rules read the words
of a maximum matching, forward and backward, over the dictionary that
spacy-pkuseg (a run-time dependency) ships, the listed names and runs of Latin
letters and digits; the entities still land on the character tokens.
"""

import pickle
import re
from functools import lru_cache
from importlib import resources
from typing import Dict, FrozenSet, List, Set, Tuple

from .designations import DASHES

MAX_WORD = 8  # the longest dictionary word tried, in characters; longer ones are names the gazetteers hold
# A code, a number or a Latin name (PSLV-C60, 2.1b, iQPS); with a dash before it, the end of the
# word before (联盟-2.1b, 哨兵-1C), as segmented corpora write it.
LATIN_RUN = re.compile(rf"[{re.escape(DASHES)}]?[A-Za-z0-9]+(?:[.{re.escape(DASHES)}][A-Za-z0-9]+)*")
CJK = re.compile("[\u4e00-\u9fff]")
YEAR_AFTER_CODE = re.compile(r"(?<=[0-9])(?:19|20)[0-9]{2}$")  # a year that runs on from a code's digits


def cut_into_characters(text: str, edges: Set[int]) -> bool:
    """True when every character of a text of several is a token of its own."""
    return len(text) > 2 and len(edges) == len(text) + 1


@lru_cache(maxsize=1)
def dictionary() -> FrozenSet[str]:
    """spacy-pkuseg's word list (its default user dictionary): the words of 2 to MAX_WORD characters."""
    with resources.files("spacy_pkuseg").joinpath("dicts", "default.pkl").open("rb") as file:
        words = pickle.load(file)  # one string, a word a line
    return frozenset(w for w in words.split("\n") if 2 <= len(w) <= MAX_WORD)


def word_edges(text: str, names: Dict[int, int]) -> List[int]:
    """The edges of text's words, in order, by maximum matching in both directions over the
    listed names (names: start -> end of the longest there), Latin runs and the dictionary:
    the one of fewer words, then of fewer single characters, then that keeps more names
    whole, else the backward one (the better of the two on Chinese text)."""
    spans = dict(names)
    runs: Dict[int, int] = {}  # the end of each Latin run, at every position inside it
    for run in LATIN_RUN.finditer(text):
        start, end = run.span()
        year = YEAR_AFTER_CODE.search(run.group())
        if year is not None and text.startswith("年", end):
            end = start + year.start()  # SATRIA-1 2023年, written without a space
            spans[end] = run.end() + 1  # the year with its 年
        runs.update((i, end) for i in range(start + 1, end))
        if end > spans.get(start, 0):
            spans[start] = end
    for start, end in names.items():
        if end in runs:  # a name that ends inside a code runs to its end: 联盟MS|-26
            spans[start] = runs[end]
    ends: Dict[int, int] = {}
    for start, end in spans.items():
        if start < ends.get(end, end):
            ends[end] = start
    forward, backward = _forward(text, spans), _backward(text, ends)
    if forward != backward:
        ranks = [_rank(edges, names) for edges in (forward, backward)]
        if ranks[0] < ranks[1]:
            backward = forward
    return _join_dashes(text, backward)


def _rank(edges: List[int], names: Dict[int, int]) -> Tuple[int, int, int]:
    """Lower is better: words, single characters, names cut."""
    words = set(zip(edges, edges[1:]))
    cut = sum((start, end) not in words for start, end in names.items())
    return len(edges), sum(end - start == 1 for start, end in words), cut


def _forward(text: str, spans: Dict[int, int]) -> List[int]:
    words = dictionary()
    edges = [0]
    pos, length = 0, len(text)
    while pos < length:
        end = spans.get(pos, pos + 1)
        for size in range(min(MAX_WORD, length - pos), end - pos, -1):
            if text[pos : pos + size] in words:
                end = pos + size
                break
        edges.append(end)
        pos = end
    return edges


def _backward(text: str, ends: Dict[int, int]) -> List[int]:
    words = dictionary()
    edges = [len(text)]
    pos = len(text)
    while pos > 0:
        start = ends.get(pos, pos - 1)
        for size in range(min(MAX_WORD, pos), pos - start, -1):
            if text[pos - size : pos] in words:
                start = pos - size
                break
        edges.append(start)
        pos = start
    return edges[::-1]


def _join_dashes(text: str, edges: List[int]) -> List[int]:
    """A dash and the code after it end the word before (联盟-2.1b, 哨兵-1C)."""
    return [
        e for e in edges
        if not (0 < e < len(text) and text[e] in DASHES and CJK.match(text, e - 1) and LATIN_RUN.match(text, e))
    ]

