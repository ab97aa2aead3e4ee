"""The work of one partition: its documents annotated and written as shard files.

These are the tasks that every engine runs (this process, a pool of
processes, Dask workers). A task gets a Partition and a PipelineSpec, reads
its own lines, and writes its own files into the run's hidden folder, so no
Doc is ever sent between processes. Each file is written under a temporary
name and renamed when complete, and its final name depends only on the
partition, so a task that is run again after its worker died replaces a
file instead of adding one.
"""

import os
import uuid
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from contextlib import contextmanager
from functools import lru_cache
from itertools import groupby
from pathlib import Path
from typing import Iterable, Iterator, List, Optional, TextIO, Tuple, Union

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .annotations import annotation_row, dumps_row
from .corpus import Record, predicted_doc, reference_doc
from .docbin_writer import DocBinWriter
from .entities import rule_pipeline
from .partitions import Partition, partition_records
from .tokenizer import PresegTokenizer

BATCH_SIZE = 256


@dataclass(frozen=True)
class PipelineSpec:
    """What a worker builds its pipeline from: a saved pipeline, or the rule pipeline's settings."""

    model: Optional[str] = None
    split_tokens: bool = False
    delimiter: str = "/"

    def load(self) -> Language:
        """The pipeline, built once per process (tasks of a worker share it)."""
        return _pipeline(self)

    def record_delimiter(self) -> str:
        """The delimiter the corpus is read with: the pipeline tokenizer's."""
        return getattr(self.load().tokenizer, "delimiter", self.delimiter)


@lru_cache(maxsize=4)
def _pipeline(spec: PipelineSpec) -> Language:
    if spec.model is not None:
        return spacy.load(spec.model)
    return rule_pipeline(split_tokens=spec.split_tokens, delimiter=spec.delimiter)


def pipeline_input(nlp: Language, record: Record) -> Union[str, Doc]:
    """What the pipeline is given for a record, as corpus.process_record gives it."""
    if not record.segmented:
        return predicted_doc(nlp, record)
    return record.source if isinstance(nlp.tokenizer, PresegTokenizer) else record.text


def annotated_docs(records: Iterable[Record], nlp: Language, gold: bool = True) -> Iterator[Tuple[Doc, Record]]:
    """(Doc, record): the reference Doc of a gold record (if gold), else what nlp makes of it."""
    for has_gold, group in groupby(records, key=lambda r: gold and r.spans is not None):
        if has_gold:
            for record in group:
                yield reference_doc(nlp, record), record
        else:
            inputs = ((pipeline_input(nlp, record), record) for record in group)
            yield from nlp.pipe(inputs, batch_size=BATCH_SIZE, as_tuples=True)


# Tasks ---------------------------------------------------------------------


def convert_partition(
    part: Partition, spec: PipelineSpec, group_by: str, folder: str, shard_size: int
) -> List[Tuple[str, int]]:
    """Write the partition's Docs as .spacy files of at most shard_size Docs; (path, Docs) of each.

    A full shard is compressed and written by a thread while the next one is
    annotated: zlib releases the GIL, and DocBin.to_disk spends most of its
    time there.
    """
    nlp = spec.load()
    records = partition_records(part, group_by, spec.record_delimiter())
    shards: List[Tuple[str, int]] = []
    writing: Optional[Future] = None
    with ThreadPoolExecutor(1) as thread:

        def flush(writer: DocBinWriter) -> Future:
            path = Path(folder) / f"p{part.index:06d}-{len(shards):04d}.spacy"
            shards.append((str(path), len(writer)))
            if writing is not None:
                writing.result()  # one shard in memory besides the one being filled
            return thread.submit(_write_docbin, writer, path)

        writer = DocBinWriter(store_user_data=True)
        for doc, _ in annotated_docs(records, nlp):
            writer.add(doc)
            if len(writer) >= shard_size:
                writing = flush(writer)
                writer = DocBinWriter(store_user_data=True)
        if len(writer):
            writing = flush(writer)
        if writing is not None:
            writing.result()
    return shards


def _write_docbin(writer: DocBinWriter, path: Path) -> None:
    with _replacing(path) as tmp:
        writer.docbin.to_disk(tmp)


def annotate_partition(part: Partition, spec: PipelineSpec, group_by: str, folder: str) -> Tuple[str, int, Counter]:
    """Write the partition's rows as a JSONL file in folder; (its path, rows, labels)."""
    path = Path(folder) / f"p{part.index:06d}.jsonl"
    with _replacing(path) as tmp, open(tmp, "w", encoding="utf8") as out:
        rows, labels = write_annotations(part, spec, group_by, out)
    return str(path), rows, labels


def write_annotations(part: Partition, spec: PipelineSpec, group_by: str, out: TextIO) -> Tuple[int, Counter]:
    """Write the partition's rows to out; (rows, entities by label)."""
    nlp = spec.load()
    records = partition_records(part, group_by, spec.record_delimiter())
    labels: Counter = Counter()
    rows = 0
    for doc, record in annotated_docs(records, nlp, gold=False):
        row = annotation_row(record, doc)
        labels.update(e["label"] for e in row["entities"])
        rows += 1
        out.write(dumps_row(row))
    return rows, labels


@contextmanager
def _replacing(path: Path) -> Iterator[Path]:
    """A temporary name beside path, renamed to path once what is written there is complete."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
