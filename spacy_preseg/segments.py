"""The slash-segmented text format: splitting it into words and mapping offsets.

A segmented text is words separated by a delimiter ("/" by default). Every
tool of the package (tokenizer, corpus reader, segmenter training, scoring)
reads the format through this module, so they all agree on what a word is.

Rules:
- A text is *segmented* when it contains the delimiter at least once, not
  counting escaped ones. Any other text is plain text.
- Empty segments ("//", a leading or trailing "/") produce no word.
- Whitespace is never part of a word. It stays in the text: a single space
  after a word becomes the word's trailing space, any other whitespace
  (line breaks, "\\r\\n", runs of spaces) becomes a whitespace token, as
  spaCy's own tokenizer does.
- A backslash escapes the delimiter and itself: "km\\/s" is the word "km/s",
  "\\\\" a literal backslash. A backslash before anything else is kept as is.
- A byte order mark at the start of the text is dropped.
- Everything else, the fullwidth slash "／" included, is ordinary text.
"""

import re
from functools import lru_cache
from typing import Iterable, List, Optional, Tuple

ESCAPE = "\\"
BOM = "\ufeff"


def validate_delimiter(delimiter: str) -> str:
    """Reject delimiters that cannot be told apart from text."""
    if not isinstance(delimiter, str) or not delimiter:
        raise ValueError(f"The delimiter must be a non-empty string, got {delimiter!r}.")
    if ESCAPE in delimiter or any(ch.isspace() for ch in delimiter):
        raise ValueError(
            f"The delimiter {delimiter!r} may contain neither whitespace nor "
            f"the escape character {ESCAPE!r}."
        )
    if any(delimiter[:k] == delimiter[-k:] for k in range(1, len(delimiter))):
        raise ValueError(
            f"The delimiter {delimiter!r} can overlap itself ({delimiter * 2!r}), "
            "so a text could be split in two ways."
        )
    return delimiter


@lru_cache(maxsize=None)
def _patterns(delimiter: str) -> Tuple["re.Pattern", ...]:
    """Compile (plain, escaped, delimiter, escape sequence) patterns."""
    d = re.escape(delimiter)
    e = re.escape(ESCAPE)
    # Group 1 is the word or whitespace run; a multi-character delimiter is
    # matched whole (group 1 empty) so that scanning never restarts inside one.
    if len(delimiter) == 1:
        plain = re.compile(rf"([^{d}\s]+|\s+)")
        escaped = re.compile(rf"((?:{e}[{d}{e}]|[^{d}\s])+|\s+)")
    else:
        plain = re.compile(rf"(?:{d})+|((?:(?!{d})\S)+|\s+)")
        escaped = re.compile(rf"(?:{d})+|((?:{e}(?:{d}|{e})|(?!{d})\S)+|\s+)")
    unescaped_delimiter = re.compile(rf"(?<!{e})(?:{e}{e})*{d}")
    escape_sequence = re.compile(rf"{e}({d}|{e})")
    return plain, escaped, unescaped_delimiter, escape_sequence


def is_segmented(text: str, delimiter: str = "/") -> bool:
    """True when the text holds at least one unescaped delimiter."""
    if delimiter not in text:
        return False
    if ESCAPE not in text:
        return True
    return _patterns(delimiter)[2].search(text) is not None


def split_segments(text: str, delimiter: str = "/") -> Tuple[List[str], List[bool]]:
    """Split a segmented text into spaCy words and trailing-space flags.

    Joining the words with their spaces gives the text without delimiters,
    escape characters and byte order mark.
    """
    if text.startswith(BOM):
        text = text[1:]
    if len(delimiter) == 1 and ESCAPE not in text and " " not in text:
        # The common cases, no whitespace but line breaks: plain splits are
        # several times faster than the pattern.
        if text.isprintable():
            words = [w for w in text.split(delimiter) if w]
            return words, [False] * len(words)
        lines = text.split("\n")
        if all(map(str.isprintable, lines)):
            words = _split_lines(lines, delimiter)
            return words, [False] * len(words)
    plain, escaped, _, escape_sequence = _patterns(delimiter)
    if ESCAPE in text:
        words = [escape_sequence.sub(r"\1", w) for w in escaped.findall(text)]
    else:
        words = plain.findall(text)
    if len(delimiter) > 1:
        words = [w for w in words if w]
    if " " not in text:
        return words, [False] * len(words)
    return _attach_spaces(words)


def _split_lines(lines: List[str], delimiter: str) -> List[str]:
    """The words of lines joined by line breaks, each run of breaks a word of its own."""
    words = [w for w in lines[0].split(delimiter) if w]
    breaks = 0
    for line in lines[1:]:
        breaks += 1
        if line:
            words.append("\n" * breaks)
            words.extend([w for w in line.split(delimiter) if w])
            breaks = 0
    if breaks:
        words.append("\n" * breaks)
    return words


def plain_text(source: str, delimiter: Optional[str] = "/") -> str:
    """A segmented text without its delimiters, escapes and byte order mark: doc.text.

    delimiter None reads source as plain text, of which only a byte order mark goes.
    """
    if delimiter is None:
        return source[1:] if source.startswith(BOM) else source
    if ESCAPE not in source and not source.startswith(BOM):
        return source.replace(delimiter, "")
    words, spaces = split_segments(source, delimiter)
    return "".join(w + " " * s for w, s in zip(words, spaces))


def _attach_spaces(words: List[str]) -> Tuple[List[str], List[bool]]:
    """Turn a single leading space of a whitespace run into a trailing space."""
    out_words: List[str] = []
    spaces: List[bool] = []
    for word in words:
        follows_word = out_words and not spaces[-1] and not out_words[-1].isspace()
        if follows_word and word[0] == " " and word.isspace():
            spaces[-1] = True
            word = word[1:]
            if not word:
                continue
        out_words.append(word)
        spaces.append(False)
    return out_words, spaces


def source_offsets(source: str, delimiter: Optional[str] = "/") -> Tuple[List[int], List[int]]:
    """Where every character of the text without delimiters stands in source: (starts, ends).

    A character written as an escape sequence (the "/" of "\\/") spans the
    whole sequence, so text[i:j] comes from source[starts[i]:ends[j - 1]].
    delimiter None reads source as plain text (only a byte order mark is dropped).
    """
    start = 1 if source.startswith(BOM) else 0
    if delimiter is None:
        return list(range(start, len(source))), list(range(start + 1, len(source) + 1))
    plain, escaped = _patterns(delimiter)[:2]
    has_escape = ESCAPE in source
    pattern = escaped if has_escape else plain
    starts: List[int] = []
    ends: List[int] = []
    for match in pattern.finditer(source, start):
        word = match.group(1)
        if not word:
            continue
        base = match.start(1)
        if not has_escape or ESCAPE not in word or word.isspace():
            starts.extend(range(base, base + len(word)))
            ends.extend(range(base + 1, base + len(word) + 1))
            continue
        i = 0
        while i < len(word):
            if word.startswith(ESCAPE + delimiter, i):
                # One character of the delimiter for each of its characters; the
                # backslash goes with the first, so a span keeps its escape.
                for k in range(len(delimiter)):
                    starts.append(base + i + (0 if k == 0 else 1 + k))
                    ends.append(base + i + 2 + k)
                i += 1 + len(delimiter)
            elif word.startswith(ESCAPE + ESCAPE, i):
                starts.append(base + i)
                ends.append(base + i + 2)
                i += 2
            else:
                starts.append(base + i)
                ends.append(base + i + 1)
                i += 1
    return starts, ends


def span_in_source(offsets: Tuple[List[int], List[int]], start_char: int, end_char: int) -> Tuple[int, int]:
    """[start, end) in the source of text[start_char:end_char], given source_offsets()."""
    starts, ends = offsets
    if end_char > start_char:
        return starts[start_char], ends[end_char - 1]
    if start_char < len(starts):
        return starts[start_char], starts[start_char]
    end = ends[-1] if ends else 0
    return end, end


def split_words(
    words: List[str], spaces: List[bool], cuts: Iterable[int]
) -> Tuple[List[str], List[bool]]:
    """Split words at the character offsets (into the joined text) in cuts that fall inside them."""
    cuts = sorted(set(cuts))
    if not cuts:
        return words, spaces
    out_words: List[str] = []
    out_spaces: List[bool] = []
    pos = 0
    for word, space in zip(words, spaces):
        inner = [c - pos for c in cuts if pos < c < pos + len(word)]
        edges = [0, *inner, len(word)]
        for a, b in zip(edges, edges[1:]):
            out_words.append(word[a:b])
            out_spaces.append(False)
        out_spaces[-1] = space
        pos += len(word) + space
    return out_words, out_spaces


def join_segments(words: Iterable[str], spaces: Iterable[bool], delimiter: str = "/") -> str:
    """The segmented text of words and trailing-space flags: split_segments() reads it back."""
    escaped = (w.replace(ESCAPE, ESCAPE * 2).replace(delimiter, ESCAPE + delimiter) for w in words)
    return "".join(w + (" " if space else "") + delimiter for w, space in zip(escaped, spaces))
