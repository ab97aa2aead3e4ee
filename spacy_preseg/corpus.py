"""Reading a segmented corpus into spaCy: records, Docs, Examples and a corpus reader.

Three kinds of file are read:
- ``.txt``: slash-segmented text, one clause or sentence per line (with
  ``tagged``, People's Daily word/TAG items, see :mod:`spacy_preseg.tagged`);
- ``.jsonl``: gold annotation, one object per line, in the package's own
  format (as in ``seeds/``), Prodigy's or doccano's
  (:mod:`spacy_preseg.annotation_formats`), offsets in characters of the text
  without delimiters;
- ``.spacy``: DocBin files written by ``convert`` (by the corpus reader only),
  alone or as a folder with its ``_manifest.json``.

Predicted Docs always have the corpus's own words, so that spaCy's training
and evaluation see the corpus's segmentation instead of re-tokenizing
``doc.text`` (spaCy's own reader calls ``nlp.make_doc(text)``). Reference
Docs have the same words, split further only where a gold span edge falls
inside a word (中 + 美 in 中美). Tagged records' reference Docs have the
tags, their Universal POS and the entities the tags mark (see
:func:`tagged_reference`).

Every command reads corpora through :func:`read_records`, so one rule holds
everywhere: lines of ``.txt`` files that a gold ``.jsonl`` file among the
inputs also holds (a corpus and its gold side by side) are read once, from
the gold. Line numbers count from 1.
"""

import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Collection, Dict, Iterable, Iterator, List, Optional, Sequence, Set, Tuple, Union

from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span
from spacy.training import Example
from spacy.util import registry

from .annotation_formats import Span3, read_task
from .segments import is_segmented, plain_text, split_segments, split_words
from .shards import MANIFEST, has_parts, is_shard_folder, manifest_files
from .storage import PathLike, as_location, is_dir, is_file, join, names_in
from .tagged import (
    DEFAULT_ENTITY_TAGS,
    TaggedFormatError,
    TaggedText,
    is_tagged,
    parse_tagged,
    tag_entities,
)
from .textfiles import CorpusError, parse_jsonl, read_lines
from .tokenizer import PresegTokenizer, keep_source

GROUPINGS = ("line", "paragraph", "file")
SUFFIXES = (".txt", ".jsonl")
DOCBIN_SUFFIX = ".spacy"
Paths = Union[PathLike, Sequence[PathLike]]


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


def corpus_files(path: PathLike, suffixes: Sequence[str] = SUFFIXES) -> List[PathLike]:
    """The corpus files of a file or (recursively) a folder, a path or URL; hidden files and
    folders are skipped.

    With .spacy among the suffixes, a folder of shards is read through its
    manifest, and refused without one (a run that did not finish).
    """
    path = as_location(path)
    expected = " or ".join(suffixes)
    if is_file(path):
        if not str(path).endswith(tuple(suffixes)):
            raise CorpusError(f"{path}: unsupported file type (expected {expected})")
        return [path]
    if is_dir(path):
        files = _folder_files(path, tuple(suffixes))
        if not files:
            raise CorpusError(f"{path}: no {expected} files in this folder")
        return files
    raise CorpusError(f"{path}: no such file or folder")


def _folder_files(folder: PathLike, suffixes: Tuple[str, ...]) -> List[PathLike]:
    """The files with those suffixes in a folder (a path or URL) and its subfolders, hidden ones
    skipped; an output of this package's (.spacy shards, annotate's parts) through its manifest."""
    if (DOCBIN_SUFFIX in suffixes and is_shard_folder(folder)) or is_file(join(folder, MANIFEST)) or has_parts(folder):
        # Complete only with its manifest: read_manifest refuses it otherwise.
        return [f for f in manifest_files(folder) if str(f).endswith(suffixes)]
    files: List[PathLike] = []
    for entry in names_in(folder):
        if entry.startswith("."):
            continue
        child = join(folder, entry)
        if is_dir(child):
            files.extend(_folder_files(child, suffixes))
        elif entry.endswith(suffixes):
            files.append(child)
    return files


def input_files(paths: Paths, suffixes: Sequence[str] = SUFFIXES) -> List[Path]:
    """The files of one or more inputs, in the order given, each once."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    if not paths:
        raise CorpusError("no input given")
    files: List[Path] = []
    seen: Set[Path] = set()
    for path in paths:
        for file in corpus_files(path, suffixes):
            if file.resolve() not in seen:
                seen.add(file.resolve())
                files.append(file)
    return files


def check_group_by(group_by: str) -> str:
    if group_by not in GROUPINGS:
        raise CorpusError(f"group_by must be one of {', '.join(GROUPINGS)}, got {group_by!r}")
    return group_by


def read_records(
    paths: Paths,
    group_by: str = "line",
    delimiter: str = "/",
    labels: Optional[Collection[str]] = None,
    tagged: bool = False,
) -> Iterator[Record]:
    """Every document of one or more corpus files or folders, in order.

    labels, when given, are the only labels gold spans may have. Lines of
    .txt files whose text a gold file among the inputs holds are left out.
    tagged reads .txt files in the word/TAG format (gold files keep theirs).
    """
    check_group_by(group_by)
    files = input_files(paths)
    shadowed = gold_texts(files, delimiter)
    for file in files:
        yield from file_records(file, read_lines(file, CorpusError), group_by, delimiter, labels, shadowed, tagged)


def file_records(
    path: PathLike,
    lines: Iterable[Tuple[int, str]],
    group_by: str = "line",
    delimiter: str = "/",
    labels: Optional[Collection[str]] = None,
    shadowed: Collection[str] = frozenset(),
    tagged: bool = False,
) -> Iterator[Record]:
    """The documents of one file's lines, given as (line number, line): all of them or a part.

    shadowed holds the texts of the gold files among the inputs (gold_texts());
    tagged reads a .txt file's lines in the word/TAG format.
    """
    if str(path).endswith(".jsonl"):
        return _read_gold(path, lines, delimiter, labels)
    return _read_text(path, lines, group_by, delimiter, shadowed, tagged)


def gold_texts(
    files: Sequence[PathLike],
    delimiter: str,
    lines_of: Callable[[PathLike], Iterable[Tuple[int, str]]] = lambda f: read_lines(Path(f), CorpusError),
) -> Set[str]:
    """The texts of the gold files among files (accepted or not), for which .txt lines are not
    read again; none when all files are gold. lines_of reads a file's lines."""
    gold_files = [f for f in files if str(f).endswith(".jsonl")]
    if len(gold_files) == len(files):
        return set()
    texts = set()
    for file in gold_files:
        for line_no, obj in parse_jsonl(file, lines_of(file), CorpusError):
            texts.add(read_task(obj, f"{file}:{line_no}", delimiter).text.strip())
    return texts


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


def _read_text(
    path: PathLike,
    lines: Iterable[Tuple[int, str]],
    group_by: str,
    delimiter: str,
    shadowed: Collection[str],
    tagged: bool = False,
) -> Iterator[Record]:
    block: List[str] = []
    first = 0

    def flush() -> Iterator[Record]:
        if any(line.strip() for line in block):
            source = "\n".join(block)
            segmented, text = _source_text(source, delimiter, tagged, path, first)
            yield Record(path, first, source, text, segmented, delimiter, tagged=tagged and segmented)

    for line_no, line in lines:
        if shadowed and line.strip() and _source_text(line, delimiter, tagged, path, line_no)[1].strip() in shadowed:
            continue  # gold wins
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


def _read_gold(
    path: PathLike, lines: Iterable[Tuple[int, str]], delimiter: str, labels: Optional[Collection[str]]
) -> Iterator[Record]:
    for line_no, obj in parse_jsonl(path, lines, CorpusError):
        task = read_task(obj, f"{path}:{line_no}", delimiter, labels)
        if task.accepted:
            yield Record(path, line_no, task.source, task.text, task.segmented, delimiter, task.spans)


def check_length(records: Iterable[Record], max_length: int) -> Iterator[Record]:
    """Records, refusing one longer than spaCy's nlp.max_length with its file and line (not spaCy's E088)."""
    for record in records:
        if len(record.source) > max_length:
            raise CorpusError(
                f"{record.where}: a document of {len(record.source):,} characters, longer than "
                f"nlp.max_length ({max_length:,}): raise it with --max-length, or use --group-by line"
            )
        yield record


def entity_labels(nlp: Language) -> Optional[Set[str]]:
    """The labels of a pipeline's entity components (ner, preseg_entities, ...), or None when it knows none."""
    labels: Set[str] = set()
    for name, pipe in nlp.pipeline:
        if "doc.ents" in nlp.get_pipe_meta(name).assigns:
            labels.update(getattr(pipe, "labels", ()))
    return labels or None


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


def make_examples(
    nlp: Language,
    items: Iterable[Union[Record, Doc]],
    max_length: int = 0,
    *,
    entity_tags: Optional[Dict[str, str]] = None,
    preseg_entities: bool = False,
) -> Iterator[Example]:
    """Examples for training and evaluation: gold where the record has it, else silver.

    A Doc (read from a .spacy file) is the reference as stored, with its
    words predicted. Silver entities come from preseg_entities with split
    tokens, so that countries inside a compound (中俄) are annotated on the
    reference side. Tagged records get their tags and the entities of
    :func:`tagged_reference` instead. Documents of more than max_length
    words (0: no limit) are left out.
    """
    from .entities import PresegEntities

    silver = PresegEntities(nlp.vocab, split_tokens=True, spans_key=None)
    tagged_silver = PresegEntities(nlp.vocab, spans_key=None) if preseg_entities else None
    readers: Dict[str, PresegTokenizer] = {}
    entity_tags = DEFAULT_ENTITY_TAGS if entity_tags is None else entity_tags
    for item in items:
        parsed = None
        if isinstance(item, Doc):
            words, spaces = [t.text for t in item], [bool(t.whitespace_) for t in item]
        elif item.tagged and item.spans is None:
            parsed = parse_tagged(item.source, item.delimiter)
            words, spaces = parsed.words, [False] * len(parsed.words)
        else:
            words, spaces = record_words(nlp, item)
        if max_length and len(words) > max_length:
            continue
        predicted = Doc(nlp.vocab, words=words, spaces=spaces)
        if isinstance(item, Doc):
            reference = item
        elif item.spans is not None:
            reference = reference_doc(nlp, item)
        elif parsed is not None:
            if item.delimiter not in readers:
                readers[item.delimiter] = PresegTokenizer(nlp.vocab, item.delimiter, tagged=True)
            reference = tagged_reference(readers[item.delimiter], item, entity_tags, tagged_silver, parsed)
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


def read_docbin(nlp: Language, path: Path) -> Iterator[Doc]:
    """The Docs of a DocBin file written by convert."""
    try:
        docbin = DocBin().from_disk(path)
    except (OSError, ValueError) as err:
        raise CorpusError(f"{path}: not a DocBin file ({err})") from None
    yield from docbin.get_docs(nlp.vocab)


@registry.readers("spacy_preseg.PresegCorpus.v1")
def create_preseg_corpus(
    path: Optional[Path],
    *,
    group_by: str = "line",
    max_length: int = 0,
    limit: int = 0,
    shuffle: bool = False,
    delimiter: str = "/",
    labels: Optional[List[str]] = None,
    tagged: bool = False,
    entity_tags: Dict[str, str] = DEFAULT_ENTITY_TAGS,
    preseg_entities: bool = False,
) -> "PresegCorpus":
    """Read .spacy files of convert, slash-segmented (or word/TAG) .txt and gold .jsonl files as training Examples."""
    return PresegCorpus(
        path,
        group_by=group_by,
        max_length=max_length,
        limit=limit,
        shuffle=shuffle,
        delimiter=delimiter,
        labels=labels,
        tagged=tagged,
        entity_tags=entity_tags,
        preseg_entities=preseg_entities,
    )


class PresegCorpus:
    """A corpus reader like spacy.Corpus.v1 that keeps the corpus's segmentation.

    path is a file or folder of .spacy files (convert's output, read through
    its manifest), .txt and .jsonl files; .spacy files are read first.
    max_length skips documents with more tokens (0: no limit), limit stops
    after that many documents (0: all), shuffle shuffles the documents on
    every call (every epoch) with Python's random, which spaCy seeds.
    group_by and delimiter apply to .txt and .jsonl files (a .spacy file
    keeps the words it was converted with), labels (null: any) are the
    labels that gold spans may have. tagged reads .txt files in the word/TAG
    format: the reference Docs get the tags, and the entities entity_tags
    maps tags to (plus, with preseg_entities, the names preseg_entities
    finds; see :func:`tagged_reference`).
    """

    def __init__(
        self,
        path: Optional[PathLike],
        *,
        group_by: str = "line",
        max_length: int = 0,
        limit: int = 0,
        shuffle: bool = False,
        delimiter: str = "/",
        labels: Optional[Collection[str]] = None,
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
        self.labels = set(labels) if labels is not None else None
        self.tagged = tagged
        self.entity_tags = dict(DEFAULT_ENTITY_TAGS if entity_tags is None else entity_tags)
        self.preseg_entities = preseg_entities

    def __call__(self, nlp: Language) -> Iterator[Example]:
        items: Iterable[Union[Record, Doc]] = self._items(nlp)
        if self.shuffle:
            items = list(items)
            random.shuffle(items)
        count = 0
        examples = make_examples(
            nlp, items, self.max_length, entity_tags=self.entity_tags, preseg_entities=self.preseg_entities
        )
        for example in examples:
            yield example
            count += 1
            if self.limit and count >= self.limit:
                break

    def _items(self, nlp: Language) -> Iterator[Union[Record, Doc]]:
        files = input_files(self.path, SUFFIXES + (DOCBIN_SUFFIX,))
        for file in files:
            if file.suffix == DOCBIN_SUFFIX:
                yield from read_docbin(nlp, file)
        texts = [f for f in files if f.suffix != DOCBIN_SUFFIX]
        if texts:
            yield from read_records(texts, self.group_by, self.delimiter, self.labels, self.tagged)
