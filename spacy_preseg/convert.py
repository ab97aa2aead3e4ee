"""Converting a corpus to spaCy's binary DocBin files, in constant memory.

Docs are written in shards of ``shard_size`` documents into a hidden folder
beside the output and published with a manifest written last (see
:mod:`spacy_preseg.shards`), so a failed run leaves nothing that looks complete.
"""

import shutil
from itertools import groupby
from pathlib import Path
from typing import Iterable, Iterator, List, Optional, Sequence, Tuple, Union

from spacy.language import Language
from spacy.tokens import Doc, DocBin

from .corpus import (
    CorpusError,
    Record,
    check_length,
    entity_labels,
    input_files,
    read_records,
    reference_doc,
    tagged_reference,
)
from .entities import rule_pipeline
from .progress import corpus_progress
from .shards import partial_folder, publish
from .tagged import DEFAULT_ENTITY_TAGS
from .tokenizer import PresegTokenizer


def annotated_docs(
    records: Iterable[Record], nlp: Language, n_process: int = 1, batch_size: int = 256
) -> Iterator[Doc]:
    """Gold records as their reference Docs, tagged ones with their tags' entities, the others annotated by nlp."""
    readers = {}
    for kind, group in groupby(records, key=lambda r: "gold" if r.spans is not None else "tagged" if r.tagged else ""):
        if kind == "gold":
            for record in group:
                yield reference_doc(nlp, record)
        elif kind == "tagged":
            for record in group:
                if record.delimiter not in readers:
                    readers[record.delimiter] = PresegTokenizer(nlp.vocab, record.delimiter, tagged=True)
                yield tagged_reference(readers[record.delimiter], record, DEFAULT_ENTITY_TAGS)
        else:
            sources = (record.source for record in group)
            yield from nlp.pipe(sources, n_process=n_process, batch_size=batch_size)


def convert(
    input_paths: Union[str, Path, Sequence[Union[str, Path]]],
    output_dir: Union[str, Path],
    *,
    group_by: str = "line",
    delimiter: str = "/",
    n_process: int = 1,
    shard_size: int = 10000,
    max_length: Optional[int] = None,
    progress: bool = False,
    tagged: bool = False,
) -> List[Path]:
    """Write the corpus at input_paths (one or more) as .spacy files in output_dir; returns their paths.

    tagged reads .txt files in the word/TAG format: the Docs keep the corpus's
    tags and get the entities its tags mark (nr, ns, nt: PERSON, LOC, ORG).
    """
    if shard_size < 1:
        raise ValueError(f"shard_size must be at least 1, got {shard_size}")
    inputs = [Path(input_paths)] if isinstance(input_paths, (str, Path)) else [Path(p) for p in input_paths]
    output_dir = Path(output_dir)
    # Tokens are split where an entity lies inside one (中俄 → 中 + 俄), so that
    # every entity can be stored as a span of the Doc.
    nlp = rule_pipeline(split_tokens=True, delimiter=delimiter)
    if max_length:
        nlp.max_length = max_length
    files = input_files(inputs)
    records = read_records(files, group_by, delimiter, labels=entity_labels(nlp), tagged=tagged)
    records = corpus_progress(records, files, f"converting {inputs[0].name}", enabled=progress)
    docs = annotated_docs(check_length(records, nlp.max_length), nlp, n_process=n_process)
    partial = partial_folder(output_dir)
    try:
        shards = _write_shards(docs, partial, shard_size)
        if not shards:
            raise CorpusError(f"{', '.join(map(str, inputs))}: no documents to convert")
        if len(inputs) == 1:
            stem = inputs[0].stem if inputs[0].is_file() else inputs[0].name
        else:
            stem = output_dir.name
        names = [f"{stem}.spacy"] if len(shards) == 1 else [f"{stem}-{i:04d}.spacy" for i in range(len(shards))]
        settings = {"input": [str(p) for p in inputs] if len(inputs) > 1 else str(inputs[0]), "group_by": group_by}
        return publish(shards, output_dir, names, settings)
    finally:
        shutil.rmtree(partial, ignore_errors=True)


def _write_shards(docs: Iterable[Doc], folder: Path, shard_size: int) -> List[Tuple[Path, int]]:
    shards: List[Tuple[Path, int]] = []
    docbin = DocBin(store_user_data=True)

    def flush() -> None:
        path = folder / f"shard-{len(shards):06d}.spacy"
        docbin.to_disk(path)
        shards.append((path, len(docbin)))

    for doc in docs:
        docbin.add(doc)
        if len(docbin) >= shard_size:
            flush()
            docbin = DocBin(store_user_data=True)
    if len(docbin):
        flush()
    return shards
