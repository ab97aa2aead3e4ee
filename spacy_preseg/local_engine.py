"""The local engine: partitions run in this process, or in a pool of worker processes.

With n_process > 1 each worker builds the pipeline once, reads its own
partitions and writes its own files (see :mod:`spacy_preseg.shard_tasks`):
only file names and counts come back, never Docs, so the parent does no
serialization at all. Results come back in input order.
"""

from concurrent.futures import ProcessPoolExecutor
from functools import partial
from typing import Any, Callable, Iterator, List, Optional, Sequence

from .partitions import Partition, count_lines, number_lines


class LocalEngine:
    """Run tasks on partitions here (n_process = 1) or in n_process worker processes."""

    def __init__(self, n_process: int = 1, progress: bool = False) -> None:
        if n_process < 1:
            raise ValueError(f"n_process must be at least 1, got {n_process}")
        self.n_process = n_process
        self.progress = progress
        self.pool: Optional[ProcessPoolExecutor] = None

    def __enter__(self) -> "LocalEngine":
        if self.n_process > 1:
            self.pool = ProcessPoolExecutor(self.n_process)
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    @property
    def in_process(self) -> bool:
        """True when tasks run in this process (n_process = 1)."""
        return self.n_process == 1

    def number_lines(self, parts: Sequence[Partition]) -> List[Partition]:
        """The partitions with their first line numbers, counted by the workers."""
        if all(p.start == 0 for p in parts):  # whole files: every one starts at line 1
            return list(parts)
        return number_lines(parts, list(self.map(count_lines, parts)))

    def map(self, task: Callable, parts: Sequence[Partition], *args: Any, desc: str = "") -> Iterator[Any]:
        """task(part, *args) for every partition, results in partition order."""
        bar = _progress_bar(parts, desc) if self.progress and desc else None
        run = partial(_call, task, args)
        try:
            if self.pool is None:
                results: Iterator[Any] = map(run, parts)
            else:
                results = (f.result() for f in [self.pool.submit(run, part) for part in parts])
            for part, result in zip(parts, results):
                if bar is not None:
                    bar.update(part.size)
                yield result
        finally:
            if bar is not None:
                bar.close()


def _call(task: Callable, args: tuple, part: Partition) -> Any:
    return task(part, *args)


def _progress_bar(parts: Sequence[Partition], desc: str):
    from tqdm import tqdm

    return tqdm(total=sum(p.size for p in parts), unit="B", unit_scale=True, desc=desc)
