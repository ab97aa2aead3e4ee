"""annotate: the entities of a corpus as JSONL rows, on any engine.

The local engine writes one file (or stdout): in this process the rows
stream out as they are made; with n_process > 1 each worker writes the rows
of its partitions to a part file in a hidden folder and the parent joins
the parts in input order, then moves the file into place. The Dask engine
writes a folder of parts (``part-00000.jsonl``, …) published with a
manifest written last, as Dask and Spark write text outputs; read in
manifest order, they are the local engine's file.
"""

import shutil
import sys
import tempfile
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Collection, Iterator, List, Optional, Sequence, TextIO, Tuple, Union

from .annotation_formats import writer
from .corpus import CorpusError
from .engines import open_engine
from .partitions import Partition, plan_partitions, shadowed_texts
from .shard_tasks import PipelineSpec, annotate_partition, write_annotations
from .shards import atomic_text_file, part_name, partial_folder, publish
from .storage import PathLike, as_location, is_file, join, name, open_file, parent, remove_file, remove_tree

BLOCK_SIZE = 1 << 20  # bytes of input per partition

Summary = Tuple[int, Counter]


def annotate(
    input_paths: Union[PathLike, Sequence[PathLike]],
    output: Optional[PathLike] = None,
    *,
    output_format: str = "preseg",
    group_by: str = "line",
    delimiter: Optional[str] = None,
    model: Optional[Union[str, Path]] = None,
    split_tokens: bool = False,
    max_length: Optional[int] = None,
    n_process: int = 1,
    block_size: int = BLOCK_SIZE,
    engine: str = "local",
    scheduler: Optional[str] = None,
    workers: Optional[int] = None,
    tagged: bool = False,
    progress: bool = False,
) -> Summary:
    """Write the rows of the corpus at input_paths to output (stdout if None); (rows, entities by label).

    output may be an fsspec URL (``s3://bucket/rows.jsonl``), as the inputs may.
    """
    if model is not None and split_tokens:
        raise ValueError("--split-tokens and --char set up the rule pipeline; they do not apply to --model")
    writer(output_format)  # an unknown format is refused before any work
    inputs = [input_paths] if isinstance(input_paths, (str, Path)) else list(input_paths)
    spec = PipelineSpec.of(model, split_tokens, delimiter, max_length, tagged)
    parts = plan_partitions(inputs, group_by, block_size)
    job = _Job(parts, spec, group_by, output_format, shadowed_texts(parts, spec.record_delimiter()), inputs)
    settings = dict(n_process=n_process, scheduler=scheduler, workers=workers, progress=progress)
    if engine == "dask":
        if output is None:
            raise ValueError("--engine dask writes a folder of parts: give it with --output")
        return _annotate_to_folder(job, as_location(output), engine, settings)
    with _output_stream(output) as out:
        summary = _annotate_to_stream(job, out, output, engine, settings)
        _check_not_empty(summary, inputs)  # before the file is moved into place
    return summary


@dataclass
class _Job:
    parts: List[Partition]
    spec: PipelineSpec
    group_by: str
    output_format: str
    shadowed: Collection[str]
    inputs: List[PathLike]


def _check_not_empty(summary: Summary, inputs: Sequence[PathLike]) -> None:
    if not summary[0]:
        raise CorpusError(f"{', '.join(map(str, inputs))}: no documents to annotate")


def _annotate_to_stream(job: _Job, out: TextIO, output, engine, settings) -> Summary:
    rows, labels = 0, Counter()
    with open_engine(engine, **settings) as run:
        parts = run.number_lines(job.parts)
        args = (job.spec, job.group_by)
        if settings["n_process"] == 1:
            for n, found in run.map(write_annotations, parts, *args, out, job.output_format, job.shadowed, desc="annotating"):
                rows, labels = rows + n, labels + found
            return rows, labels
        with _parts_folder(output) as folder:
            tasks = run.map(annotate_partition, parts, *args, str(folder), job.output_format, job.shadowed, desc="annotating")
            for part, found in tasks:
                with open_file(part.path, "r", encoding="utf8") as f:
                    shutil.copyfileobj(f, out)
                remove_file(part.path)
                rows, labels = rows + part.docs, labels + found
    return rows, labels


def _annotate_to_folder(job: _Job, output: PathLike, engine, settings) -> Summary:
    if is_file(output):
        raise ValueError(f"{output} is a file; --engine dask writes a folder of parts")
    partial = partial_folder(output)
    try:
        with open_engine(engine, **settings) as run:
            parts = run.number_lines(job.parts)
            args = (job.spec, job.group_by, str(partial), job.output_format, job.shadowed)
            written = list(run.map(annotate_partition, parts, *args, desc="annotating"))
        summary = sum(part.docs for part, _ in written), sum((found for _, found in written), Counter())
        _check_not_empty(summary, job.inputs)
        kept = [part for part, _ in written if part.docs]
        names = [part_name(i, ".jsonl") for i in range(len(kept))]
        settings = {"input": [str(p) for p in job.inputs], "group_by": job.group_by, "format": job.output_format,
                    "model": job.spec.model}
        publish(kept, output, names, settings)
        return summary
    finally:
        remove_tree(partial)


@contextmanager
def _parts_folder(output: Optional[PathLike]) -> Iterator[PathLike]:
    """A hidden folder for the workers' parts: beside the output file (removed by a later run
    if this one is killed), or a temporary folder for stdout."""
    if output is None:
        with tempfile.TemporaryDirectory(prefix="spacy_preseg-annotate-") as folder:
            yield Path(folder)
        return
    folder = partial_folder(join(parent(output), f"{name(output)}.parts"))
    try:
        yield folder
    finally:
        remove_tree(folder)


@contextmanager
def _output_stream(output: Optional[PathLike]) -> Iterator[TextIO]:
    """stdout, or a text file that appears at output only once it is complete."""
    if output is None:
        yield sys.stdout
    else:
        with atomic_text_file(output) as f:
            yield f
