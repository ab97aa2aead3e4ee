"""Reading a segmented corpus into spaCy: records, Docs, Examples and a corpus reader.

Two file formats are read:
- ``.txt``: slash-segmented text, one clause or sentence per line;
- ``.jsonl``: gold annotation, one object per line, as in ``seeds/``:
  ``{"source": "中国/与/…", "text": "中国与…", "spans": [{"start": 0, "end": 2, "label": "GPE"}]}``
  where offsets are characters of ``text`` (the source without delimiters).

Predicted Docs always have the corpus's own words, so that spaCy's training
and evaluation see the corpus's segmentation instead of re-tokenizing
``doc.text`` (spaCy's own reader calls ``nlp.make_doc(text)``). Reference
Docs have the same words, split further only where a gold span edge falls
inside a word (中 + 美 in 中美).
"""

import random
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Iterable, Iterator, List, Optional, Tuple, Union

from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import registry

from .segments import is_segmented, plain_text, split_segments
from .shards import MANIFEST, has_parts, manifest_files
from .textfiles import parse_jsonl, read_lines
from .tokenizer import PresegTokenizer

GROUPINGS = ("line", "paragraph", "file")
SUFFIXES = (".txt", ".jsonl")
Span3 = Tuple[int, int, str]


class CorpusError(ValueError):
    """Bad corpus input; the message starts with file:line."""


@dataclass
class Record:
    """One document of a corpus file: where it starts, its source and any gold spans.

    source is the text as written; segmented says whether it is read by its
    delimiters (text is then source without them) or is plain text (text is
    source).
    """

    path: Path
    line: int
    source: str
    text: str
    segmented: bool
    delimiter: str = "/"
    spans: Optional[List[Span3]] = field(default=None)

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


def corpus_files(path: Union[str, Path]) -> List[Path]:
    """The .txt and .jsonl files of a file or (recursively) a folder."""
    path = Path(path)
    if path.is_file():
        if path.suffix not in SUFFIXES:
            raise CorpusError(f"{path}: unsupported file type (expected .txt or .jsonl)")
        return [path]
    if path.is_dir():
        if (path / MANIFEST).is_file() or has_parts(path):
            # An output of this package's, complete only with its manifest.
            return [p for p in manifest_files(path) if p.suffix in SUFFIXES]
        files = sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES and p.is_file())
        if not files:
            raise CorpusError(f"{path}: no .txt or .jsonl files in this folder")
        return files
    raise CorpusError(f"{path}: no such file or folder")


def check_group_by(group_by: str) -> str:
    if group_by not in GROUPINGS:
        raise CorpusError(f"group_by must be one of {', '.join(GROUPINGS)}, got {group_by!r}")
    return group_by


def read_records(
    path: Union[str, Path], group_by: str = "line", delimiter: str = "/"
) -> Iterator[Record]:
    """Every document of a corpus file or folder, in order."""
    check_group_by(group_by)
    for file in corpus_files(path):
        yield from file_records(file, read_lines(file, CorpusError), group_by, delimiter)


def file_records(
    path: Union[str, Path], lines: Iterable[Tuple[int, str]], group_by: str = "line", delimiter: str = "/"
) -> Iterator[Record]:
    """The documents of one file's lines, given as (line number, line): all of them or a part."""
    if PurePosixPath(str(path)).suffix == ".jsonl":
        return _read_gold(path, lines, delimiter)
    return _read_text(path, lines, group_by, delimiter)


def _read_text(path: Path, lines: Iterable[Tuple[int, str]], group_by: str, delimiter: str) -> Iterator[Record]:
    block: List[str] = []
    first = 0

    def flush() -> Iterator[Record]:
        if any(line.strip() for line in block):
            source = "\n".join(block)
            segmented = is_segmented(source, delimiter)
            text = plain_text(source, delimiter) if segmented else source
            yield Record(path, first, source, text, segmented, delimiter)

    for line_no, line in lines:
        if group_by == "line":
            block, first = [line], line_no
            yield from flush()
        elif not line.strip() and group_by == "paragraph":
            yield from flush()
            block = []
        else:
            if not block:
                first = line_no
            block.append(line)
    if group_by != "line":
        yield from flush()


def _read_gold(path: Path, lines: Iterable[Tuple[int, str]], delimiter: str) -> Iterator[Record]:
    for line_no, obj in parse_jsonl(path, lines, CorpusError):
        where = f"{path}:{line_no}"
        if not isinstance(obj, dict) or not isinstance(obj.get("text", obj.get("source")), str):
            raise CorpusError(f"{where}: expected an object with a 'text' or 'source' string")
        source = obj.get("source")
        if source is None:  # plain text, read as written
            source, segmented, text = obj["text"], False, obj["text"]
        elif not isinstance(source, str):
            raise CorpusError(f"{where}: 'source' must be a string")
        else:
            segmented = is_segmented(source, delimiter)
            text = plain_text(source, delimiter) if segmented else source
            if "text" in obj and obj["text"] != text:
                raise CorpusError(f"{where}: 'text' is not 'source' without its delimiters")
        spans = [_check_span(s, text, where) for s in obj.get("spans") or []]
        yield Record(path, line_no, source, text, segmented, delimiter, sorted(spans))


def _check_span(span: object, text: str, where: str) -> Span3:
    if not isinstance(span, dict):
        raise CorpusError(f"{where}: a span must be an object, got {span!r}")
    start, end, label = span.get("start"), span.get("end"), span.get("label")
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
        raise CorpusError(f"{where}: span {span!r} does not fit a text of {len(text)} characters")
    if not isinstance(label, str) or not label:
        raise CorpusError(f"{where}: span {span!r} has no label")
    if "text" in span and text[start:end] != span["text"]:
        raise CorpusError(
            f"{where}: span {span!r} covers {text[start:end]!r}, not {span['text']!r}"
        )
    if text[start].isspace() or text[end - 1].isspace():
        raise CorpusError(f"{where}: span {span!r} starts or ends with whitespace")
    return (start, end, label)


# Docs and Examples -----------------------------------------------------------


def record_words(nlp: Language, record: Record) -> Tuple[List[str], List[bool]]:
    """A record's words: its own segmentation, or for plain text what nlp's segmenter makes of it."""
    if record.segmented:
        return split_segments(record.source, record.delimiter)
    tokenizer = nlp.tokenizer.fallback if isinstance(nlp.tokenizer, PresegTokenizer) else nlp.tokenizer
    doc = tokenizer(record.source)
    return [t.text for t in doc], [bool(t.whitespace_) for t in doc]


def predicted_doc(nlp: Language, record: Record) -> Doc:
    """A Doc with the corpus's own words, as the pipeline should see them."""
    words, spaces = record_words(nlp, record)
    return Doc(nlp.vocab, words=words, spaces=spaces)


def process_record(nlp: Language, record: Record) -> Doc:
    """Run the whole pipeline on a record: the source if the tokenizer reads delimiters, else the text."""
    if not record.segmented:
        return nlp(predicted_doc(nlp, record))
    return nlp(record.source if isinstance(nlp.tokenizer, PresegTokenizer) else record.text)


def reference_doc(nlp: Language, record: Record) -> Doc:
    """The corpus's words, split where a gold span edge falls inside one, with the gold entities."""
    words, spaces = record_words(nlp, record)
    spans = record.spans or []
    words, spaces = split_words(words, spaces, {edge for s in spans for edge in s[:2]})
    doc = Doc(nlp.vocab, words=words, spaces=spaces)
    ents = []
    for start, end, label in spans:
        span = doc.char_span(start, end, label=label)
        if span is None:
            raise CorpusError(f"{record.where}: span {(start, end, label)} does not fit the words")
        ents.append(span)
    try:
        doc.set_ents(ents, default="outside")
    except ValueError as err:
        raise CorpusError(f"{record.where}: overlapping gold spans ({err})") from None
    return doc


def split_words(
    words: List[str], spaces: List[bool], cuts: Iterable[int]
) -> Tuple[List[str], List[bool]]:
    """Split words at the character offsets in cuts that fall inside them."""
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


def make_examples(
    nlp: Language, records: Iterable[Record], max_length: int = 0
) -> Iterator[Example]:
    """Examples for training and evaluation: gold where the record has it, else silver.

    Silver entities come from preseg_entities with split tokens, so that
    countries inside a compound (中俄) are annotated on the reference side.
    Records of more than max_length words (0: no limit) are left out.
    """
    from .entities import PresegEntities

    silver = PresegEntities(nlp.vocab, split_tokens=True, spans_key=None)
    for record in records:
        words, spaces = record_words(nlp, record)
        if max_length and len(words) > max_length:
            continue
        predicted = Doc(nlp.vocab, words=words, spaces=spaces)
        if record.spans is not None:
            reference = reference_doc(nlp, record)
        else:
            reference = silver(Doc(nlp.vocab, words=words, spaces=spaces))
        yield Example(predicted, reference)


@registry.readers("spacy_preseg.PresegCorpus.v1")
def create_preseg_corpus(
    path: Optional[Path],
    *,
    group_by: str = "line",
    max_length: int = 0,
    limit: int = 0,
    shuffle: bool = False,
    delimiter: str = "/",
) -> "PresegCorpus":
    """Read slash-segmented .txt and gold .jsonl files as training Examples."""
    return PresegCorpus(
        path, group_by=group_by, max_length=max_length, limit=limit, shuffle=shuffle, delimiter=delimiter
    )


class PresegCorpus:
    """A corpus reader like spacy.Corpus.v1 that keeps the corpus's segmentation.

    max_length skips documents with more tokens (0: no limit), limit stops
    after that many documents (0: all), shuffle shuffles the documents on
    every call (every epoch) with Python's random, which spaCy seeds.
    """

    def __init__(
        self,
        path: Optional[Union[str, Path]],
        *,
        group_by: str = "line",
        max_length: int = 0,
        limit: int = 0,
        shuffle: bool = False,
        delimiter: str = "/",
    ) -> None:
        if path is None:
            raise CorpusError("PresegCorpus: no path given (set paths.train / paths.dev)")
        self.path = Path(path)
        self.group_by = check_group_by(group_by)
        self.max_length = max_length
        self.limit = limit
        self.shuffle = shuffle
        self.delimiter = delimiter

    def __call__(self, nlp: Language) -> Iterator[Example]:
        records: Iterable[Record] = read_records(self.path, self.group_by, self.delimiter)
        if self.shuffle:
            records = list(records)
            random.shuffle(records)
        count = 0
        for example in make_examples(nlp, records, self.max_length):
            yield example
            count += 1
            if self.limit and count >= self.limit:
                break

