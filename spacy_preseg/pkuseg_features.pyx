# cython: language_level=3, boundscheck=False, wraparound=False
"""The features of a spacy-pkuseg model at each character of a text, found in one pass.

A pkuseg model scores every character by the ids of the features that hold
there (feature_to_idx of its features.msgpack): the character and its
neighbours ("c.X", "c-1.X", "c1.X", "c-2.X", "c2.X"), the neighbouring pairs
("c-1c.X.Y", "cc1.X.Y", "c-2c-1.X.Y"), the training corpus's words of 2-6
characters ending or starting there ("w-1.W", "w1.W") and the pairs of such
words that meet there ("ww.l.A*B", "ww.r.A*B"). spacy-pkuseg looks up every
template at every character, about 90 string joins and dictionary look-ups
each, most of them for words that cannot exist. Here the character features
come from two tables built once per model (a character's five ids, a pair's
three), each substring is tried as a word once, and word pairs are looked up
only between words found: the same ids in the same order, about five times
faster (tests check the ids against spacy-pkuseg's own extraction).
"""

from typing import Dict, List, Set, Tuple

UNIT_TEMPLATES = {"c": 0, "c-1": 1, "c1": 2, "c-2": 3, "c2": 4}
PAIR_TEMPLATES = {"c-1c": 0, "cc1": 1, "c-2c-1": 2}
START_FEATURE = 0  # "$$", present at every character, is the model's most frequent feature
cdef list NO_UNIT = [-1, -1, -1, -1, -1]
cdef list NO_PAIR = [-1, -1, -1]
# pkuseg normalizes digits and letters to "**Num" and "**Letter" nodes and
# replaces "*" in its corpus by "&": no word holds "*", so a span with it is no word.
cdef str NOT_IN_WORDS = "*"


def feature_tables(dict feature_to_idx) -> Tuple[Dict[str, list], Dict[str, list]]:
    """(units, pairs): a node's ids of the five character templates, a "X.Y" pair's ids of the three pair templates.

    An absent feature is -1.
    """
    cdef dict units = {}, pairs = {}, table
    cdef str key, head, rest
    cdef Py_ssize_t dot
    cdef int size
    cdef list ids
    cdef object slot
    for key, idx in feature_to_idx.items():
        if not key.startswith("c"):  # the word features, "w..."; and "$$"
            continue
        dot = key.find(".")
        head = key[:dot]
        slot = UNIT_TEMPLATES.get(head)
        if slot is not None:
            table = units
            size = 5
        else:
            slot = PAIR_TEMPLATES.get(head)
            if slot is None:
                continue
            table = pairs
            size = 3
        rest = key[dot + 1 :]
        ids = table.get(rest)
        if ids is None:
            ids = table[rest] = [-1] * size
        ids[slot] = idx
    return units, pairs


def node_features(
    list nodes,
    dict units,
    dict pairs,
    dict feature_to_idx,
    set words,
    int word_min=2,
    int word_max=6,
    bint word_features=True,
) -> List[List[int]]:
    """The feature ids at each node (normalized character) of a text, as the model was trained on them."""
    cdef Py_ssize_t n = len(nodes), i, length
    cdef list out = []
    cdef list ids, units_at, pairs_at, starts, ends, ending_here, starting_here
    cdef list unit, pair
    cdef str text, piece, word, before, after
    cdef object idx
    units_at = [units.get(node, NO_UNIT) for node in nodes]
    pairs_at = [pairs.get(nodes[i] + "." + nodes[i + 1], NO_PAIR) for i in range(n - 1)]
    starts = [[] for _ in range(n + 1)]  # words starting at each node, longest first
    ends = [[] for _ in range(n + 1)]  # words ending at each node, longest first
    if word_features:
        text = "".join([node if len(node) == 1 else NOT_IN_WORDS for node in nodes])
        for i in range(n):
            for length in range(word_max, word_min - 1, -1):
                if i + length <= n:
                    piece = text[i : i + length]
                    if piece in words:
                        (<list>starts[i]).append(piece)
                        (<list>ends[i + length - 1]).append(piece)
    for i in range(n):
        ids = [START_FEATURE]
        unit = units_at[i]
        if unit[0] >= 0:
            ids.append(unit[0])
        if i > 0:
            unit = units_at[i - 1]
            if unit[1] >= 0:
                ids.append(unit[1])
            pair = pairs_at[i - 1]
            if pair[0] >= 0:
                ids.append(pair[0])
        if i + 1 < n:
            unit = units_at[i + 1]
            if unit[2] >= 0:
                ids.append(unit[2])
            pair = pairs_at[i]
            if pair[1] >= 0:
                ids.append(pair[1])
        if i > 1:
            unit = units_at[i - 2]
            if unit[3] >= 0:
                ids.append(unit[3])
            pair = pairs_at[i - 2]
            if pair[2] >= 0:
                ids.append(pair[2])
        if i + 2 < n:
            unit = units_at[i + 2]
            if unit[4] >= 0:
                ids.append(unit[4])
        if word_features:
            ending_here = ends[i]
            starting_here = starts[i]
            for word in ending_here:
                idx = feature_to_idx.get("w-1." + word)
                if idx is not None:
                    ids.append(idx)
            for word in starting_here:
                idx = feature_to_idx.get("w1." + word)
                if idx is not None:
                    ids.append(idx)
            if i > 0:
                for before in ends[i - 1]:
                    for after in starting_here:
                        idx = feature_to_idx.get("ww.l." + before + "*" + after)
                        if idx is not None:
                            ids.append(idx)
            for before in ending_here:
                for after in starts[i + 1]:
                    idx = feature_to_idx.get("ww.r." + before + "*" + after)
                    if idx is not None:
                        ids.append(idx)
        out.append(ids)
    return out
