"""The People's Daily word/TAG format: words, tags, bracketed compounds, offsets.

The corpora of the Peking University convention write every word with its
part-of-speech tag, items separated by whitespace::

    19980101-01-001-002/m  中共中央/nt  总书记/n  、/w  [中国/ns  共产党/nt]nt  江/nr  泽民/nr

Rules (the tag delimiter "/" can be another string, as for segments.py):

- An item is ``word/TAG``: the tag follows the last "/" of the item, so a word
  may hold "/" itself (``１/２/m``). An item without a tag, with an empty tag
  or with an empty word is an error.
- ``[`` at the start of an item opens a bracketed compound, ``]TAG`` at its
  end closes one with the compound's tag (``[中国/ns  共产党/nt]nt``);
  compounds may nest, and must close on the line where they open. An item
  that is a bracket itself (``[/w``, ``]/w``) is a word.
- A document id as the first item of a line (``19980101-01-001-001/m``) is no
  word of the text: it is left out of the words.
- Whitespace separates items and is no part of the text, except line breaks:
  a whitespace run that holds line breaks becomes one whitespace token, from
  its first line break to its last. A byte order mark at the start is dropped.
- A text is read in this format when it holds the delimiter at least once;
  any other text is plain text (there are no escapes).

The text of the words (``doc.text``) is the words joined without separators.
"""

import re
from functools import lru_cache
from pathlib import Path
from typing import Dict, Iterable, List, NamedTuple, Optional, Sequence, Tuple

from spacy.util import registry

from .segments import BOM
from .tagged_lines import scan_plain_line
from .textfiles import read_jsonl

DATA_DIR = Path(__file__).parent / "data"
UPOS_FILE = "pku_upos.jsonl"
SURNAMES_FILE = "compound_surnames.jsonl"
BRACKETS_KEY = "pku_brackets"  # doc.spans key of the bracketed compounds
SPACE_TAG = "_SP"  # tag and POS of whitespace tokens, as spaCy's own models give them
SPACE_POS = "SPACE"
PERSON_TAG = "nr"
DEFAULT_ENTITY_TAGS = {"nr": "PERSON", "ns": "LOC", "nt": "ORG"}

_DOC_ID = re.compile(r"[0-9]{8}-[0-9]{2}-[0-9]{3}-[0-9]{3}")
_ITEM_OR_SPACE = re.compile(r"\S+|\s+")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")

Bracket = Tuple[int, int, str]  # token start, token end, tag


class TaggedFormatError(ValueError):
    """A malformed item; line is the line of the text it is on, counted from 0."""

    def __init__(self, reason: str, line: int = 0, multiline: bool = False) -> None:
        self.reason = reason
        self.line = line
        super().__init__(f"line {line + 1}: {reason}" if multiline else reason)


class TaggedText(NamedTuple):
    """A text read in the tagged format.

    words are the tokens (words and line-break runs), tags their tags
    (SPACE_TAG for whitespace), starts where each token starts in the source
    (its characters follow each other there), brackets the compounds as
    token offsets with their tag, inner compounds first.
    """

    words: List[str]
    tags: List[str]
    starts: List[int]
    brackets: List[Bracket]


def is_tagged(text: str, delimiter: str = "/") -> bool:
    """True when the text is read in the tagged format: it holds the delimiter."""
    return delimiter in text


def parse_tagged(text: str, delimiter: str = "/") -> TaggedText:
    """Read a text of word/TAG items; a malformed item raises TaggedFormatError."""
    plain = scan_plain_line(text, delimiter)  # the common case, compiled
    if plain is not None:
        return TaggedText(*plain, [])
    words: List[str] = []
    tags: List[str] = []
    starts: List[int] = []
    brackets: List[Bracket] = []
    open_brackets: List[Tuple[int, str]] = []
    multiline = _LINE_BREAK.search(text) is not None
    line = 0
    line_start = True
    offset = 1 if text.startswith(BOM) else 0
    for match in _ITEM_OR_SPACE.finditer(text, offset):
        item = match.group()
        if item[0].isspace():
            breaks = list(_LINE_BREAK.finditer(item))
            if not breaks:
                continue
            if open_brackets:
                _unclosed(open_brackets, line, multiline)
            start = match.start() + breaks[0].start()
            words.append(text[start : match.start() + breaks[-1].end()])
            tags.append(SPACE_TAG)
            starts.append(start)
            line += len(breaks)
            line_start = True
            continue
        if line_start and _DOC_ID.fullmatch(item.rpartition(delimiter)[0]):
            line_start = False
            continue
        line_start = False
        body = item
        start = match.start()
        while body.startswith("[") and _has_word(body[1:], delimiter):
            body = body[1:]
            start += 1
            open_brackets.append((len(words), item))
        word, found, tag = body.rpartition(delimiter)
        tag, *closing = tag.split("]")
        if not found or not tag:
            raise TaggedFormatError(f"item {item!r} has no tag (expected word{delimiter}TAG)", line, multiline)
        if not word:
            raise TaggedFormatError(f"item {item!r} has an empty word (expected word{delimiter}TAG)", line, multiline)
        words.append(word)
        tags.append(tag)
        starts.append(start)
        for label in closing:
            if not label:
                raise TaggedFormatError(
                    f"item {item!r} closes a bracket without its tag (expected ]TAG)", line, multiline
                )
            if not open_brackets:
                raise TaggedFormatError(f"item {item!r} closes a bracket that was not opened", line, multiline)
            brackets.append((open_brackets.pop()[0], len(words), label))
    if open_brackets:
        _unclosed(open_brackets, line, multiline)
    return TaggedText(words, tags, starts, brackets)


def _has_word(item: str, delimiter: str) -> bool:
    """Whether item has a non-empty word before its last delimiter (so a "[" before it opens a bracket)."""
    return item.rfind(delimiter) > 0


def _unclosed(open_brackets: Sequence[Tuple[int, str]], line: int, multiline: bool) -> None:
    item = open_brackets[-1][1]
    raise TaggedFormatError(f"the bracket of item {item!r} is not closed on its line", line, multiline)


def tagged_plain_text(source: str, delimiter: str = "/") -> str:
    """The text of a tagged text's words: doc.text."""
    return "".join(parse_tagged(source, delimiter).words)


def tagged_source_offsets(source: str, delimiter: str = "/") -> Tuple[List[int], List[int]]:
    """(starts, ends) of every character of the words' text in source, as segments.source_offsets."""
    parsed = parse_tagged(source, delimiter)
    starts: List[int] = []
    for word, start in zip(parsed.words, parsed.starts):
        starts.extend(range(start, start + len(word)))
    return starts, [start + 1 for start in starts]


# Universal POS ----------------------------------------------------------------


@lru_cache(maxsize=None)
def load_upos_map() -> Dict[str, str]:
    """The PKU tag -> Universal POS table of spacy_preseg/data/pku_upos.jsonl."""
    path = DATA_DIR / UPOS_FILE
    table: Dict[str, str] = {}
    for line_no, row in read_jsonl(path, ValueError):
        if set(row) == {"about"}:
            continue
        if not isinstance(row.get("tag"), str) or not isinstance(row.get("upos"), str):
            raise ValueError(f"{path}:{line_no}: expected 'tag' and 'upos' strings in {row!r}")
        table[row["tag"]] = row["upos"]
    return table


@registry.misc("spacy_preseg.pku_tag_map.v1")
def pku_tag_map() -> Dict[str, Dict[str, str]]:
    """The table as a tag map for spaCy's attribute_ruler, which then sets POS from predicted tags."""
    return {tag: {"POS": upos} for tag, upos in load_upos_map().items()}


def upos_of(tag: str, table: Optional[Dict[str, str]] = None) -> str:
    """The Universal POS of a tag: its own entry, else that of its longest listed prefix, else "X".

    Prefixes cover the finer tags of later releases (nr1, nsf, vshi) and
    misspelt tags (vvn).
    """
    table = load_upos_map() if table is None else table
    for end in range(len(tag), 0, -1):
        upos = table.get(tag[:end])
        if upos is not None:
            return upos
    return SPACE_POS if tag == SPACE_TAG else "X"


# Entities from tags --------------------------------------------------------------


@lru_cache(maxsize=None)
def load_compound_surnames() -> frozenset:
    """The two-character surnames of spacy_preseg/data/compound_surnames.jsonl (欧阳, 司马)."""
    path = DATA_DIR / SURNAMES_FILE
    names = set()
    for line_no, row in read_jsonl(path, ValueError):
        if set(row) == {"about"}:
            continue
        if not isinstance(row.get("surname"), str) or len(row["surname"]) != 2:
            raise ValueError(f"{path}:{line_no}: expected a two-character 'surname' in {row!r}")
        names.add(row["surname"])
    return frozenset(names)


def tag_entities(
    words: Sequence[str],
    tags: Sequence[str],
    brackets: Iterable[Bracket],
    entity_tags: Dict[str, str],
) -> List[Tuple[int, int, str]]:
    """Entities (token start, end, label) that a tagged text's own annotation marks.

    A bracketed compound whose tag is in entity_tags is one entity (the
    outermost such compound, [中国/ns 共产党/nt]nt is one ORG); outside them
    every word whose tag is in entity_tags is one, except that person names,
    which the corpus splits into surname and given name, are joined
    (see :func:`person_names`).
    """
    covered = [False] * len(words)
    entities = []
    for start, end, tag in sorted(brackets, key=lambda b: (b[0], -b[1])):
        if tag in entity_tags and not any(covered[start:end]):
            entities.append((start, end, entity_tags[tag]))
            covered[start:end] = [True] * (end - start)
    i = 0
    while i < len(words):
        tag = tags[i]
        if covered[i] or tag not in entity_tags:
            i += 1
            continue
        end = i + 1
        if tag == PERSON_TAG:
            while end < len(words) and tags[end] == PERSON_TAG and not covered[end]:
                end += 1
            entities.extend((a, b, entity_tags[tag]) for a, b in person_names(words, i, end))
        else:
            entities.append((i, end, entity_tags[tag]))
        i = end
    return sorted(entities)


def person_names(words: Sequence[str], start: int, end: int) -> List[Tuple[int, int]]:
    """The names in a run of adjacent person-name words, as token offsets.

    The corpus writes a Chinese name as surname + given name (江/nr 泽民/nr),
    and lists of names without separators (李/nr 鹏/nr 乔/nr 石/nr). A surname
    (one character, or a listed two-character one: 欧阳, 司马) joins the word
    after it; two one-character surnames before a longer given name are one
    name (陈/nr 方/nr 安生/nr, a married woman's name). Any other word is a
    name by itself (克林顿, or a given name alone).
    """
    surnames = load_compound_surnames()
    names = []
    i = start
    while i < end:
        word = words[i]
        if i + 1 < end and (len(word) == 1 or word in surnames):
            if len(word) == 1 and i + 2 < end and len(words[i + 1]) == 1 and len(words[i + 2]) > 1:
                names.append((i, i + 3))
                i += 3
            else:
                names.append((i, i + 2))
                i += 2
        else:
            names.append((i, i + 1))
            i += 1
    return names
