"""The work of one partition: its documents annotated and written as shard files.

These are the tasks that every engine runs (this process, a pool of
processes, Dask workers). A task gets a Partition and a PipelineSpec, reads
its own lines, and writes its own files into the run's hidden folder, so no
Doc is ever sent between processes. Each file is written under a temporary
name and renamed when complete, and its final name depends only on the
partition, so a task that is run again after its worker died replaces a
file instead of adding one. A task returns its files' sizes and SHA-256,
hashed as they are written, for the manifest.
"""

from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby
from pathlib import Path
from typing import Any, Callable, Collection, Dict, Iterable, Iterator, List, Optional, TextIO, Tuple, Union

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

from .annotation_formats import writer
from .corpus import Record, check_length, entity_labels, predicted_doc, reference_doc, tagged_reference
from .doc_arrays import entity_chars
from .docbin_writer import DocBinWriter
from .entities import rule_pipeline
from .partitions import Partition, partition_records
from .shards import ShardFile, shard_writer
from .storage import PathLike, join
from .tagged import DEFAULT_ENTITY_TAGS
from .textfiles import json_line
from .tokenizer import PresegTokenizer

BATCH_SIZE = 256
# What the rule pipeline and gold records set: words and entities with their
# ids (norms are the lexemes' own, which the reading vocab gives back; neither
# sets sentence starts or knowledge-base ids). DocBin's default adds norms,
# tags, lemmas, morphology and parses: columns of zeros or copies that double
# the work of compressing a shard.
ENTITY_ATTRS = ("ORTH", "ENT_IOB", "ENT_TYPE", "ENT_ID")


@dataclass(frozen=True)
class PipelineSpec:
    """What a worker builds its pipeline from: a saved pipeline or the rule pipeline's settings,
    and how the corpus is read (delimiter None: the pipeline tokenizer's)."""

    model: Optional[str] = None
    split_tokens: bool = False
    delimiter: Optional[str] = None
    max_length: Optional[int] = None
    tagged: bool = False  # .txt files in the word/TAG format

    @classmethod
    def of(
        cls,
        model: Optional[Union[str, Path]],
        split_tokens: bool,
        delimiter: Optional[str],
        max_length: Optional[int],
        tagged: bool = False,
    ) -> "PipelineSpec":
        """The spec of a command's settings; a model directory as an absolute path, which workers
        in another folder (or on a shared file system) can load."""
        model = None if model is None else str(Path(model).absolute())
        return cls(model, split_tokens, delimiter, max_length, tagged)

    def load(self) -> Language:
        """The pipeline, built once per process (tasks of a worker share it)."""
        return _pipeline(self)

    def docbin_attrs(self) -> Optional[Tuple[str, ...]]:
        """The token attributes the pipeline can set, as DocBin takes them (None: DocBin's default, all;
        a tagged corpus's Docs keep their tags and POS)."""
        return ENTITY_ATTRS if self.model is None and not self.tagged else None

    def record_delimiter(self) -> str:
        """The delimiter the corpus is read with: the given one, else the pipeline tokenizer's."""
        if self.delimiter is not None:
            return self.delimiter
        if self.model is None:
            return "/"  # the rule pipeline's
        tokenizer = self.load().tokenizer
        return tokenizer.delimiter if isinstance(tokenizer, PresegTokenizer) else "/"

    def records(self, part: Partition, group_by: str, shadowed: Collection[str]) -> Iterator[Record]:
        """The partition's records as every command reads them: the pipeline's delimiter and labels,
        documents within nlp.max_length."""
        nlp = self.load()
        records = partition_records(part, group_by, self.record_delimiter(), entity_labels(nlp), shadowed, self.tagged)
        return check_length(records, nlp.max_length)


@lru_cache(maxsize=4)
def _pipeline(spec: PipelineSpec) -> Language:
    if spec.model is not None:
        nlp = spacy.load(spec.model)
        own = getattr(nlp.tokenizer, "delimiter", None)
        if spec.delimiter is not None and own is not None and spec.delimiter != own:
            raise ValueError(f"--delimiter {spec.delimiter!r}: the tokenizer of {spec.model} reads {own!r}")
    else:
        nlp = rule_pipeline(split_tokens=spec.split_tokens, delimiter=spec.delimiter or "/")
    if spec.max_length:
        nlp.max_length = spec.max_length
    return nlp


def pipeline_input(nlp: Language, record: Record) -> Union[str, Doc]:
    """What the pipeline is given for a record, as corpus.process_record gives it."""
    if not record.segmented or record.tagged:
        return predicted_doc(nlp, record)
    return record.source if isinstance(nlp.tokenizer, PresegTokenizer) else record.text


def annotated_docs(records: Iterable[Record], nlp: Language, gold: bool = True) -> Iterator[Tuple[Doc, Record]]:
    """(Doc, record): with gold, the reference Doc of a gold record, or of a tagged one (its tags and
    the entities they mark); else, and for the others, what nlp makes of it."""
    readers: Dict[str, PresegTokenizer] = {}

    def kind(record: Record) -> str:
        return "gold" if gold and record.spans is not None else "tagged" if gold and record.tagged else ""

    for of_kind, group in groupby(records, key=kind):
        if of_kind == "gold":
            for record in group:
                yield reference_doc(nlp, record), record
        elif of_kind == "tagged":
            for record in group:
                if record.delimiter not in readers:
                    readers[record.delimiter] = PresegTokenizer(nlp.vocab, record.delimiter, tagged=True)
                yield tagged_reference(readers[record.delimiter], record, DEFAULT_ENTITY_TAGS), record
        else:
            # A batch of records at a time beside its Docs: cheaper than nlp.pipe(as_tuples=True).
            for batch in minibatch(group, BATCH_SIZE):
                yield from zip(nlp.pipe([pipeline_input(nlp, record) for record in batch], batch_size=BATCH_SIZE), batch)


# Tasks ---------------------------------------------------------------------


def convert_partition(
    part: Partition,
    spec: PipelineSpec,
    group_by: str,
    folder: str,
    shard_size: int,
    shadowed: Collection[str] = (),
    writes: Optional["BackgroundWrites"] = None,
) -> List["WrittenShard"]:
    """Write the partition's Docs as .spacy files of at most shard_size Docs, in folder (a path or URL).

    With writes (in-process runs), the files are compressed and written in
    its thread; written_shards() gives their ShardFiles once they are done.
    """
    nlp = spec.load()
    records = spec.records(part, group_by, shadowed)
    shards: List[WrittenShard] = []
    attrs = spec.docbin_attrs()
    writer = DocBinWriter(attrs, store_user_data=True)

    def flush() -> None:
        path = join(folder, f"p{part.index:06d}-{len(shards):04d}.spacy")
        written = _write_shard(writer, path) if writes is None else writes.submit(_write_shard, writer, path)
        shards.append(written)

    for doc, _ in annotated_docs(records, nlp):
        writer.add(doc)
        if len(writer) >= shard_size:
            flush()
            writer = DocBinWriter(attrs, store_user_data=True)
    if len(writer):
        flush()
    return shards


def _write_shard(writer: DocBinWriter, path: PathLike) -> ShardFile:
    with shard_writer(path) as f:
        writer.write(f)
    return ShardFile(path, len(writer), f.size, f.sha256())


# A shard a task has written, or is writing in a BackgroundWrites thread.
WrittenShard = Union[ShardFile, Future]


def written_shards(shards: Iterable[WrittenShard]) -> List[ShardFile]:
    """The ShardFiles of convert_partition's results, waiting for those still being written."""
    return [shard.result() if isinstance(shard, Future) else shard for shard in shards]


class BackgroundWrites:
    """Shards compressed and written in a thread beside the pipeline: zlib lets go of the GIL,
    so on a second core the compression costs the pipeline nothing. One write waits at a
    time (the memory of one shard); wait() returns when all are done, or raises their error."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="spacy_preseg-write")
        self._pending: Optional[Future] = None

    def submit(self, write: Callable[..., Any], *args: Any) -> Future:
        """write(*args) in the thread, once the write before it is done; its Future."""
        self.wait()
        self._pending = self._pool.submit(write, *args)
        return self._pending

    def wait(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()

    def close(self) -> None:
        """Let the thread finish without raising: its errors reach the caller through wait()."""
        self._pending = None
        self._pool.shutdown(wait=True)


def annotate_partition(
    part: Partition, spec: PipelineSpec, group_by: str, folder: str, output_format: str = "preseg", shadowed: Collection[str] = ()
) -> Tuple[ShardFile, Counter]:
    """Write the partition's rows as a JSONL file in folder (a path or URL); (the file, entities by label)."""
    path = join(folder, f"p{part.index:06d}.jsonl")
    with shard_writer(path) as out:
        rows, labels = write_annotations(part, spec, group_by, out, output_format, shadowed)
    return ShardFile(path, rows, out.size, out.sha256()), labels


def write_annotations(
    part: Partition, spec: PipelineSpec, group_by: str, out: TextIO, output_format: str = "preseg", shadowed: Collection[str] = ()
) -> Tuple[int, Counter]:
    """Write the partition's rows (in annotate's format output_format) to out; (rows, entities by label)."""
    nlp = spec.load()
    write = writer(output_format)
    labels: Counter = Counter()
    rows = 0
    for doc, record in annotated_docs(spec.records(part, group_by, shadowed), nlp, gold=False):
        labels.update(label for _, _, label, _ in entity_chars(doc))
        rows += 1
        source = record.source if record.segmented else None
        out.write(json_line(write(doc, str(record.path), record.line, source)))
    return rows, labels

