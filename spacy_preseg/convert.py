"""Converting a corpus to spaCy's binary DocBin files, in constant memory, on any engine.

The input is read in partitions (see :mod:`spacy_preseg.partitions`); each
partition's Docs are written by the task that annotates them, as files of
at most ``shard_size`` Docs, into a hidden folder beside the output, and
published with a manifest written last (see :mod:`spacy_preseg.shards`), so
a failed or killed run leaves nothing that looks complete. Every engine
plans the same partitions, so every engine writes the same files.
"""

from pathlib import Path
from typing import List, Optional, Sequence, Union

from .corpus import CorpusError
from .engines import open_engine
from .partitions import plan_partitions, shadowed_texts
from .shard_tasks import BackgroundWrites, PipelineSpec, convert_partition, written_shards
from .shards import partial_folder, publish
from .storage import as_location, name, remove_tree

BLOCK_SIZE = 1 << 20  # bytes of input per partition
PathLike = Union[str, Path]


def convert(
    input_paths: Union[PathLike, Sequence[PathLike]],
    output_dir: PathLike,
    *,
    group_by: str = "line",
    delimiter: Optional[str] = None,
    model: Optional[PathLike] = None,
    n_process: int = 1,
    shard_size: int = 10000,
    max_length: Optional[int] = None,
    block_size: int = BLOCK_SIZE,
    engine: str = "local",
    scheduler: Optional[str] = None,
    workers: Optional[int] = None,
    progress: bool = False,
    tagged: bool = False,
) -> List[Path]:
    """Write the corpus at input_paths (one or more) as .spacy files in output_dir; returns their paths.

    output_dir may be an fsspec URL (``s3://bucket/out``), as the inputs may.

    Without model, the rule pipeline annotates text without gold, with its
    tokens split where an entity lies inside one (中俄 → 中 + 俄), so that
    every entity can be stored as a span of the Doc.

    tagged reads .txt files in the word/TAG format: the Docs keep the corpus's
    tags and get the entities its tags mark (nr, ns, nt: PERSON, LOC, ORG).
    """
    if shard_size < 1:
        raise ValueError(f"shard_size must be at least 1, got {shard_size}")
    inputs = [input_paths] if isinstance(input_paths, (str, Path)) else list(input_paths)
    spec = PipelineSpec.of(model, True, delimiter, max_length, tagged)
    parts = plan_partitions(inputs, group_by, block_size)
    shadowed = shadowed_texts(parts, delimiter or "/")
    output_dir = as_location(output_dir)
    partial = partial_folder(output_dir)
    writes = None
    try:
        with open_engine(engine, n_process=n_process, scheduler=scheduler, workers=workers, progress=progress) as run:
            parts = run.number_lines(parts)
            # In this process, shards are compressed in a thread while the pipeline goes on.
            writes = BackgroundWrites() if run.in_process else None
            args = (spec, group_by, str(partial), shard_size, shadowed, writes)
            written = [shard for shards in run.map(convert_partition, parts, *args, desc="converting") for shard in shards]
            shards = written_shards(written)  # once the last write is done
        if not shards:
            raise CorpusError(f"{', '.join(map(str, inputs))}: no documents to convert")
        stem = _stem(inputs[0]) if len(inputs) == 1 else name(output_dir)
        names = [f"{stem}.spacy"] if len(shards) == 1 else [f"{stem}-{i:04d}.spacy" for i in range(len(shards))]
        settings = {
            "input": [str(p) for p in inputs] if len(inputs) > 1 else str(inputs[0]),
            "group_by": group_by,
            "model": spec.model,
        }
        return publish(shards, output_dir, names, settings)
    finally:
        if writes is not None:
            writes.close()
        remove_tree(partial)


def _stem(input_path: PathLike) -> str:
    path = Path(name(input_path))
    return path.stem if path.suffix in (".txt", ".jsonl") else path.name
