"""Reading a segmented corpus into spaCy: records, Docs, Examples and a corpus reader.

Two file formats are read:
- ``.txt``: slash-segmented text, one clause or sentence per line (with
  ``tagged``, People's Daily word/TAG items, see :mod:`spacy_preseg.tagged`);
- ``.jsonl``: gold annotation, one object per line, as in ``seeds/``:
  ``{"source": "中国/与/…", "text": "中国与…", "spans": [{"start": 0, "end": 2, "label": "GPE"}]}``
  where offsets are characters of ``text`` (the source without delimiters).

Predicted Docs always have the corpus's own words, so that spaCy's training
and evaluation see the corpus's segmentation instead of re-tokenizing
``doc.text`` (spaCy's own reader calls ``nlp.make_doc(text)``). Reference
Docs have the same words, split further only where a gold span edge falls
inside a word (中 + 美 in 中美). Tagged records' reference Docs have the
tags, their Universal POS and the entities the tags mark (see
:func:`tagged_reference`).
"""

import random
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from typing import Callable, Dict, Iterable, Iterator, List, Optional, Tuple, Union

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.util import registry

from .segments import is_segmented, plain_text, split_segments
from .tagged import (
    DEFAULT_ENTITY_TAGS,
    TaggedFormatError,
    TaggedText,
    is_tagged,
    parse_tagged,
    tag_entities,
)
from .textfiles import read_jsonl, read_lines
from .tokenizer import PresegTokenizer, keep_source

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
    source); tagged that segmented text is read in the word/TAG format.
    """

    path: Path
    line: int
    source: str
    text: str
    segmented: bool
    delimiter: str = "/"
    spans: Optional[List[Span3]] = field(default=None)
    tagged: bool = False

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
    path: Union[str, Path], group_by: str = "line", delimiter: str = "/", tagged: bool = False
) -> Iterator[Record]:
    """Every document of a corpus file or folder, in order; tagged reads the word/TAG format."""
    check_group_by(group_by)
    for file in corpus_files(path):
        if file.suffix == ".jsonl":
            yield from _read_gold(file, delimiter, tagged)
        else:
            yield from _read_text(file, group_by, delimiter, tagged)


def _source_text(source: str, delimiter: str, tagged: bool, path: Path, line: int) -> Tuple[bool, str]:
    """(segmented, text) of a source; a malformed tagged item names the file and line."""
    if tagged:
        if not is_tagged(source, delimiter):
            return False, source
        try:
            return True, "".join(parse_tagged(source, delimiter).words)
        except TaggedFormatError as err:
            raise CorpusError(f"{path}:{line + err.line}: {err.reason}") from None
    segmented = is_segmented(source, delimiter)
    return segmented, plain_text(source, delimiter) if segmented else source


def _read_text(path: Path, group_by: str, delimiter: str, tagged: bool) -> Iterator[Record]:
    block: List[str] = []
    first = 0

    def flush() -> Iterator[Record]:
        if any(line.strip() for line in block):
            source = "\n".join(block)
            segmented, text = _source_text(source, delimiter, tagged, path, first)
            yield Record(path, first, source, text, segmented, delimiter, tagged=tagged and segmented)

    for line_no, line in read_lines(path, CorpusError):
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


def _read_gold(path: Path, delimiter: str, tagged: bool) -> Iterator[Record]:
    for line_no, obj in read_jsonl(path, CorpusError):
        where = f"{path}:{line_no}"
        if not isinstance(obj, dict) or not isinstance(obj.get("text", obj.get("source")), str):
            raise CorpusError(f"{where}: expected an object with a 'text' or 'source' string")
        source = obj.get("source")
        if source is None:  # plain text, read as written
            source, segmented, text = obj["text"], False, obj["text"]
        elif not isinstance(source, str):
            raise CorpusError(f"{where}: 'source' must be a string")
        else:
            segmented, text = _source_text(source, delimiter, tagged, path, line_no)
            if "text" in obj and obj["text"] != text:
                raise CorpusError(f"{where}: 'text' is not 'source' without its delimiters")
        spans = [_check_span(s, text, where) for s in obj.get("spans") or []]
        yield Record(path, line_no, source, text, segmented, delimiter, sorted(spans), tagged and segmented)


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


def segmented_words(record: Record) -> Tuple[List[str], List[bool]]:
    """The words and trailing-space flags of a segmented record (slash or word/TAG)."""
    if record.tagged:
        words = parse_tagged(record.source, record.delimiter).words
        return words, [False] * len(words)
    return split_segments(record.source, record.delimiter)


def record_words(nlp: Language, record: Record) -> Tuple[List[str], List[bool]]:
    """A record's words: its own segmentation, or for plain text what nlp's segmenter makes of it."""
    if record.segmented:
        return segmented_words(record)
    tokenizer = nlp.tokenizer.fallback if isinstance(nlp.tokenizer, PresegTokenizer) else nlp.tokenizer
    doc = tokenizer(record.source)
    return [t.text for t in doc], [bool(t.whitespace_) for t in doc]


def predicted_doc(nlp: Language, record: Record) -> Doc:
    """A Doc with the corpus's own words, as the pipeline should see them (a tagged record's without its tags)."""
    words, spaces = record_words(nlp, record)
    doc = Doc(nlp.vocab, words=words, spaces=spaces)
    if record.tagged:  # offsets into the source, as the tokenizer keeps them
        keep_source(doc, record.source, record.delimiter, tagged=True)
    return doc


def process_record(nlp: Language, record: Record) -> Doc:
    """Run the whole pipeline on a record: the source if the tokenizer reads delimiters, else the text."""
    if not record.segmented or record.tagged:
        return nlp(predicted_doc(nlp, record))
    return nlp(record.source if isinstance(nlp.tokenizer, PresegTokenizer) else record.text)


def reference_doc(nlp: Language, record: Record) -> Doc:
    """The corpus's words, split where a gold span edge falls inside one, with the gold entities."""
    words, spaces = record_words(nlp, record)
    spans = record.spans or []
    pieces, spaces = split_words(words, spaces, {edge for s in spans for edge in s[:2]})
    doc = Doc(nlp.vocab, words=pieces, spaces=spaces)
    if record.tagged:
        tags = parse_tagged(record.source, record.delimiter).tags
        for token, tag in zip(doc, _piece_tags(words, tags, pieces)):
            token.tag_ = tag
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


def _piece_tags(words: List[str], tags: List[str], pieces: List[str]) -> List[str]:
    """The tag of each piece of split_words(): that of the word it comes from."""
    ends = list(accumulate(map(len, words)))
    out = []
    k = pos = 0
    for piece in pieces:
        while pos >= ends[k]:
            k += 1
        out.append(tags[k])
        pos += len(piece)
    return out


def make_examples(
    nlp: Language,
    records: Iterable[Record],
    max_length: int = 0,
    *,
    entity_tags: Optional[Dict[str, str]] = None,
    preseg_entities: bool = False,
) -> Iterator[Example]:
    """Examples for training and evaluation: gold where the record has it, else silver.

    Silver entities come from preseg_entities with split tokens, so that
    countries inside a compound (中俄) are annotated on the reference side.
    Tagged records without gold get their tags and the entities of
    :func:`tagged_reference` instead. Records of more than max_length words
    (0: no limit) are left out.
    """
    from .entities import PresegEntities

    silver = PresegEntities(nlp.vocab, split_tokens=True, spans_key=None)
    tagged_silver = PresegEntities(nlp.vocab, spans_key=None) if preseg_entities else None
    readers: Dict[str, PresegTokenizer] = {}
    entity_tags = DEFAULT_ENTITY_TAGS if entity_tags is None else entity_tags
    for record in records:
        parsed = parse_tagged(record.source, record.delimiter) if record.tagged else None
        words, spaces = (parsed.words, [False] * len(parsed.words)) if parsed else record_words(nlp, record)
        if max_length and len(words) > max_length:
            continue
        predicted = Doc(nlp.vocab, words=words, spaces=spaces)
        if record.spans is not None:
            reference = reference_doc(nlp, record)
        elif parsed is not None:
            if record.delimiter not in readers:
                readers[record.delimiter] = PresegTokenizer(nlp.vocab, record.delimiter, tagged=True)
            reference = tagged_reference(readers[record.delimiter], record, entity_tags, tagged_silver, parsed)
        else:
            reference = silver(Doc(nlp.vocab, words=words, spaces=spaces))
        yield Example(predicted, reference)


def tagged_reference(
    reader: PresegTokenizer,
    record: Record,
    entity_tags: Dict[str, str],
    silver: Optional[Callable[[Doc], Doc]] = None,
    parsed: Optional[TaggedText] = None,
) -> Doc:
    """A tagged record's words with their tags and POS, compounds and entities.

    The entities are those the tags mark (:func:`spacy_preseg.tagged.tag_entities`),
    and with silver (a preseg_entities component) also the names it finds:
    where the two overlap the longer span wins, and between spans of the same
    length preseg_entities' label (中国/ns is GPE, not LOC). Names inside a
    word (中 in 中俄) are not marked, as the corpus's words stay whole.
    With neither, the reference has no entity annotation. reader is a
    tagged PresegTokenizer with the record's delimiter, parsed the record's
    parse_tagged() where the caller has it.
    """
    if parsed is None:
        parsed = parse_tagged(record.source, record.delimiter)
    doc = reader.tagged_doc(record.source, parsed)
    if not entity_tags and silver is None:
        return doc
    candidates = [
        (end - start, 1, start, end, label, "")
        for start, end, label in tag_entities(parsed.words, parsed.tags, parsed.brackets, entity_tags)
    ]
    if silver is not None:
        silver(doc)
        candidates.extend((e.end - e.start, 0, e.start, e.end, e.label_, e.ent_id_) for e in doc.ents)
    taken = [False] * len(doc)
    ents = []
    for _, _, start, end, label, ent_id in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if not any(taken[start:end]):
            taken[start:end] = [True] * (end - start)
            ents.append(Span(doc, start, end, label=label, span_id=ent_id))
    doc.set_ents(ents, default="outside")
    return doc


@registry.readers("spacy_preseg.PresegCorpus.v1")
def create_preseg_corpus(
    path: Optional[Path],
    *,
    group_by: str = "line",
    max_length: int = 0,
    limit: int = 0,
    shuffle: bool = False,
    delimiter: str = "/",
    tagged: bool = False,
    entity_tags: Dict[str, str] = DEFAULT_ENTITY_TAGS,
    preseg_entities: bool = False,
) -> "PresegCorpus":
    """Read slash-segmented (or word/TAG) .txt and gold .jsonl files as training Examples."""
    return PresegCorpus(
        path,
        group_by=group_by,
        max_length=max_length,
        limit=limit,
        shuffle=shuffle,
        delimiter=delimiter,
        tagged=tagged,
        entity_tags=entity_tags,
        preseg_entities=preseg_entities,
    )


class PresegCorpus:
    """A corpus reader like spacy.Corpus.v1 that keeps the corpus's segmentation.

    max_length skips documents with more tokens (0: no limit), limit stops
    after that many documents (0: all), shuffle shuffles the documents on
    every call (every epoch) with Python's random, which spaCy seeds.
    tagged reads the word/TAG format: the reference Docs get the tags, and
    the entities entity_tags maps tags to (plus, with preseg_entities, the
    names preseg_entities finds; see :func:`tagged_reference`).
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
        tagged: bool = False,
        entity_tags: Optional[Dict[str, str]] = None,
        preseg_entities: bool = False,
    ) -> None:
        if path is None:
            raise CorpusError("PresegCorpus: no path given (set paths.train / paths.dev)")
        self.path = Path(path)
        self.group_by = check_group_by(group_by)
        self.max_length = max_length
        self.limit = limit
        self.shuffle = shuffle
        self.delimiter = delimiter
        self.tagged = tagged
        self.entity_tags = dict(DEFAULT_ENTITY_TAGS if entity_tags is None else entity_tags)
        self.preseg_entities = preseg_entities

    def __call__(self, nlp: Language) -> Iterator[Example]:
        records: Iterable[Record] = read_records(self.path, self.group_by, self.delimiter, self.tagged)
        if self.shuffle:
            records = list(records)
            random.shuffle(records)
        count = 0
        examples = make_examples(
            nlp, records, self.max_length, entity_tags=self.entity_tags, preseg_entities=self.preseg_entities
        )
        for example in examples:
            yield example
            count += 1
            if self.limit and count >= self.limit:
                break

