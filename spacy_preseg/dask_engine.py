"""The Dask engine: partitions run as tasks on a Dask cluster (``pip install "spacy-preseg[dask]"``).

Each worker process builds the pipeline once, from the package's entry
points or a saved pipeline directory it can read, and keeps it for every
task it runs (tasks get a PipelineSpec, not a pickled pipeline); it reads
its own partitions, through fsspec for URLs, and writes its own files. The
driver only plans the partitions and, when every task is done, publishes
the output with its manifest. A worker that dies costs its task a rerun on
another worker; since a task's files have fixed names and appear by rename,
the rerun replaces them and nothing is missing or doubled.

Without a scheduler address, a local cluster of ``workers`` processes (one
thread each) is started on this machine, on the loopback interface.
"""

import uuid
from typing import Any, Callable, Iterator, List, Optional, Sequence

import dask
from distributed import Client, LocalCluster, progress as dask_progress

from .partitions import Partition, count_lines, number_lines


class DaskEngine:
    """Run tasks on partitions on the cluster at scheduler, or on a local cluster of workers."""

    def __init__(self, scheduler: Optional[str] = None, workers: Optional[int] = None, progress: bool = False) -> None:
        if scheduler is not None and workers is not None:
            raise ValueError("--workers starts a local cluster; an existing one (--scheduler) has its own workers")
        if workers is not None and workers < 1:
            raise ValueError(f"--workers must be at least 1, got {workers}")
        self.scheduler = scheduler
        self.workers = workers
        self.progress = progress
        self.cluster: Optional[LocalCluster] = None
        self.client: Optional[Client] = None

    def __enter__(self) -> "DaskEngine":
        if self.scheduler is None:
            # No dashboard, and so no statistical profiler on the workers: it samples the task
            # thread's stack every 10 ms, time taken from the tasks. The scheduler still serves
            # HTTP (health, metrics): on a free loopback port, so that runs side by side do not
            # compete for Dask's 8787.
            with dask.config.set({"distributed.worker.profile.enabled": False}):
                self.cluster = LocalCluster(
                    n_workers=self.workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                    dashboard_address="127.0.0.1:0",
                )
            self.client = Client(self.cluster)
        else:
            self.client = Client(self.scheduler)
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()
        self.client = self.cluster = None

    in_process = False  # tasks run on the workers

    def number_lines(self, parts: Sequence[Partition]) -> List[Partition]:
        """The partitions with their first line numbers, counted by the workers."""
        if all(p.start == 0 for p in parts):
            return list(parts)
        return number_lines(parts, list(self.map(count_lines, parts)))

    def map(self, task: Callable, parts: Sequence[Partition], *args: Any, desc: str = "") -> Iterator[Any]:
        """task(part, *args) for every partition as Dask tasks, results in partition order."""
        assert self.client is not None, "use the engine as a context manager"
        run = uuid.uuid4().hex[:8]
        keys = [f"{task.__name__}-{run}-{part.index:06d}" for part in parts]
        futures = self.client.map(task, parts, *[[a] * len(parts) for a in args], key=keys, pure=False)
        try:
            if self.progress and desc:
                dask_progress(futures)
            for i in range(len(futures)):
                result = futures[i].result()
                futures[i] = None  # the scheduler forgets the task: its state does not grow with the input
                yield result
        finally:
            for future in futures:
                if future is not None:
                    future.cancel()
