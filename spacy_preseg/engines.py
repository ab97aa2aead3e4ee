"""Choosing the engine that runs a command's partitions: local processes or a Dask cluster."""

from typing import TYPE_CHECKING, Optional, Union

from .local_engine import LocalEngine

if TYPE_CHECKING:
    from .dask_engine import DaskEngine

ENGINES = ("local", "dask")


def open_engine(
    engine: str = "local",
    *,
    n_process: int = 1,
    scheduler: Optional[str] = None,
    workers: Optional[int] = None,
    progress: bool = False,
) -> Union[LocalEngine, "DaskEngine"]:
    """The engine, to use as a context manager: `with open_engine(...) as run: run.map(...)`."""
    if engine == "local":
        if scheduler is not None or workers is not None:
            raise ValueError("--scheduler and --workers are settings of --engine dask")
        return LocalEngine(n_process, progress)
    if engine == "dask":
        if n_process != 1:
            raise ValueError("--n-process is a setting of --engine local; Dask runs --workers processes")
        from .dask_engine import DaskEngine  # dask is an extra

        return DaskEngine(scheduler=scheduler, workers=workers, progress=progress)
    raise ValueError(f"unknown engine {engine!r}: use one of {', '.join(ENGINES)}")
