"""A corpus in partitions: byte ranges of its files, each read on its own by a worker.

Engines that run on several processes or machines hand each worker a
Partition (a file, a byte range, the number of its first line) instead of
documents, and the worker reads its range itself. A range is cut at the
line breaks after its nominal edges (a line belongs to the range it starts
in), as Dask's ``read_bytes`` cuts blocks, so every line is read exactly
once. Text files read by paragraph or as a whole are one partition each.

Paths are local, or URLs that fsspec opens (``s3://…``, ``gcs://…``,
``file://…``; fsspec comes with the ``dask`` extra).
"""

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Collection, Iterator, List, Optional, Sequence, Set, Tuple, Union

from .corpus import CorpusError, Record, check_group_by, corpus_files, file_records, gold_texts, input_files
from .storage import is_url, open_file, size
from .textfiles import decode_lines

PathLike = Union[str, Path]
Paths = Union[PathLike, Sequence[PathLike]]


@dataclass(frozen=True)
class Partition:
    """Lines of path that start in [start, end), the first of them being line first_line."""

    index: int
    path: str
    start: int
    end: int
    first_line: int = 1

    @property
    def size(self) -> int:
        return self.end - self.start

    @property
    def label(self) -> Union[Path, str]:
        """The file as errors and outputs name it."""
        return self.path if is_url(self.path) else Path(self.path)


def plan_partitions(inputs: Paths, group_by: str = "line", block_size: int = 1 << 20) -> List[Partition]:
    """The partitions of one or more corpus files or folders, in input order (first lines not yet counted)."""
    check_group_by(group_by)
    if block_size < 1:
        raise ValueError(f"block size must be at least 1 byte, got {block_size}")
    parts: List[Partition] = []
    for path, nbytes in input_sizes(inputs):
        splittable = group_by == "line" or path.endswith(".jsonl")  # gold is read a line at a time
        edges = list(range(0, nbytes, block_size)) + [nbytes] if splittable and nbytes else [0, nbytes]
        for start, end in zip(edges, edges[1:]):
            parts.append(Partition(len(parts), path, start, end))
    return parts


def input_sizes(inputs: Paths) -> List[Tuple[str, int]]:
    """(file, bytes) of every corpus file of the inputs, in order, each once (corpus.input_files for URLs too)."""
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    files: List[Tuple[str, int]] = []
    for path in inputs:
        if is_url(path):
            files.extend((str(f), size(f)) for f in corpus_files(path))
        else:
            files.extend((str(p), p.stat().st_size) for p in input_files([path]))
    seen: Set[str] = set()
    return [f for f in files if not (f[0] in seen or seen.add(f[0]))]


def shadowed_texts(parts: Sequence[Partition], delimiter: str) -> Set[str]:
    """corpus.gold_texts() of the partitions' files: the gold texts for which .txt lines are skipped."""
    files = list(dict.fromkeys(p.path for p in parts))
    return gold_texts(files, delimiter, lines_of=lambda f: decode_lines(f, _whole_file(f), CorpusError))


def _whole_file(path: str) -> Iterator[bytes]:
    with open_file(path) as f:
        yield from f


def raw_lines(part: Partition) -> Iterator[bytes]:
    """The lines (bytes, with their line breaks) that start in the partition's range."""
    with open_file(part.path) as f:
        position = part.start
        if position > 0:
            # The line under way at start belongs to the partition before.
            f.seek(position - 1)
            position += len(f.readline()) - 1
        while position < part.end:
            line = f.readline()
            if not line:
                break
            position += len(line)
            yield line


def count_lines(part: Partition) -> int:
    """How many lines start in the partition's range."""
    return sum(1 for _ in raw_lines(part))


def number_lines(parts: Sequence[Partition], counts: Sequence[int]) -> List[Partition]:
    """The partitions with the number of their first line, from the line counts of each."""
    numbered = []
    line = 1
    previous = None
    for part, count in zip(parts, counts):
        if part.path != previous:
            line, previous = 1, part.path
        numbered.append(replace(part, first_line=line))
        line += count
    return numbered


def partition_records(
    part: Partition,
    group_by: str = "line",
    delimiter: str = "/",
    labels: Optional[Collection[str]] = None,
    shadowed: Collection[str] = frozenset(),
    tagged: bool = False,
) -> Iterator[Record]:
    """The documents of a partition, as corpus.read_records() gives them for the whole inputs."""
    lines = decode_lines(part.label, raw_lines(part), CorpusError, part.first_line)
    return file_records(part.label, lines, group_by, delimiter, labels, shadowed, tagged)
