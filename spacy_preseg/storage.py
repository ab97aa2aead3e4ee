"""Files by local path or fsspec URL, with the few operations that inputs and outputs need.

Local paths go through ``os`` and ``pathlib``; a path with ``://``
(``s3://bucket/out``, ``gcs://…``, ``file:///…``) goes through fsspec, which
comes with the ``dask`` extra, as Dask reads and writes such paths. On an
object store a rename is a copy and a delete: outputs stay complete or
absent there because the manifest is written last (see
:mod:`spacy_preseg.shards`), not because renames are atomic.
"""

import os
import shutil
from pathlib import Path
from typing import IO, Any, List, Tuple, Union

PathLike = Union[str, Path]


def is_url(path: PathLike) -> bool:
    return "://" in str(path)


def as_location(path: PathLike) -> PathLike:
    """A Path for a local path, the URL itself (a str) for a URL."""
    return str(path).rstrip("/") if is_url(path) else Path(path)


def _fs(url: str) -> Tuple[Any, str]:
    import fsspec

    return fsspec.core.url_to_fs(url)


def join(folder: PathLike, name: str) -> PathLike:
    return f"{str(folder).rstrip('/')}/{name}" if is_url(folder) else Path(folder) / name


def parent(path: PathLike) -> PathLike:
    """The folder that holds path; a URL must have one (an output beside a bucket is refused)."""
    if not is_url(path):
        return Path(path).parent
    protocol, rest = str(path).rstrip("/").split("://", 1)
    if "/" not in rest.strip("/"):
        raise ValueError(f"{path}: give a folder inside the store (as {protocol}://{rest or 'bucket'}/out), not its root")
    return f"{protocol}://{rest.rsplit('/', 1)[0]}"


def name(path: PathLike) -> str:
    return str(path).rstrip("/").rsplit("/", 1)[-1] if is_url(path) else Path(path).name


def open_file(path: PathLike, mode: str = "rb", **kwargs: Any) -> IO:
    """The file opened as open() opens it (encoding and the like in kwargs)."""
    if is_url(path):
        import fsspec

        return fsspec.open(str(path), mode, **kwargs).open()
    return open(path, mode, **kwargs)


def replace(src: PathLike, dst: PathLike) -> None:
    """Move src to dst, replacing dst."""
    if is_url(src):
        fs, source = _fs(str(src))
        fs.mv(source, _fs(str(dst))[1])
    else:
        os.replace(src, dst)


def remove_file(path: PathLike) -> None:
    """Remove a file; nothing if it is missing."""
    if is_url(path):
        fs, p = _fs(str(path))
        if fs.exists(p):
            fs.rm_file(p)
    else:
        Path(path).unlink(missing_ok=True)


def remove_tree(path: PathLike) -> None:
    """Remove a folder and what it holds, or a file; nothing if it is missing."""
    if is_url(path):
        fs, p = _fs(str(path))
        if fs.exists(p):
            fs.rm(p, recursive=True)
    elif Path(path).is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        Path(path).unlink(missing_ok=True)


def make_dirs(path: PathLike) -> None:
    if is_url(path):
        fs, p = _fs(str(path))
        fs.makedirs(p, exist_ok=True)
    else:
        Path(path).mkdir(parents=True, exist_ok=True)


def names_in(folder: PathLike) -> List[str]:
    """The names of what a folder holds (none when it is missing)."""
    if is_url(folder):
        fs, p = _fs(str(folder))
        if not fs.isdir(p):
            return []
        return sorted(entry.rstrip("/").rsplit("/", 1)[-1] for entry in fs.ls(p, detail=False))
    folder = Path(folder)
    return sorted(child.name for child in folder.iterdir()) if folder.is_dir() else []


def is_file(path: PathLike) -> bool:
    if is_url(path):
        fs, p = _fs(str(path))
        return fs.isfile(p)
    return Path(path).is_file()


def is_dir(path: PathLike) -> bool:
    if is_url(path):
        fs, p = _fs(str(path))
        return fs.isdir(p)
    return Path(path).is_dir()


def size(path: PathLike) -> int:
    if is_url(path):
        fs, p = _fs(str(path))
        return fs.size(p)
    return Path(path).stat().st_size
