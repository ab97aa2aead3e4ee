"""Multi-file outputs that are complete or absent: shard folders with a manifest written last.

A command that writes several files (``.spacy`` shards, JSONL parts) writes
them first into a hidden folder beside the output, moves them into the
output folder, and only then writes ``_manifest.json``, as Hadoop and Spark
write ``_SUCCESS``. Readers of this package refuse a folder of shards
without a manifest, so a run killed at any moment leaves nothing that a
later reader takes for complete. The manifest lists every shard with its
number of documents, its size and its SHA-256, in input order.

Hidden folders of earlier runs that were killed (``.NAME.partial-PID``, PID
no longer running) are removed by the next run that writes NAME. Outputs
may be fsspec URLs (see :mod:`spacy_preseg.storage`); there the hidden
folder is ``.NAME.partial-HOST-PID``, and only a later run on the same HOST
removes it. The files' sizes and SHA-256 come from the tasks that write
them, so publishing never reads the output back.
"""

import hashlib
import json
import os
import re
import socket
import uuid
from contextlib import contextmanager
from typing import Any, Dict, Iterable, Iterator, List, NamedTuple, Optional, Sequence, TextIO, Union

from .storage import (
    PathLike,
    as_location,
    is_dir,
    is_file,
    is_url,
    join,
    make_dirs,
    name,
    names_in,
    open_file,
    parent,
    remove_file,
    remove_tree,
    replace,
    size,
)

MANIFEST = "_manifest.json"
FORMAT = "spacy-preseg shards"
FORMAT_VERSION = 1
PARTIAL = ".partial-"
PART_PREFIX = "part-"
_PART = re.compile(rf"{PART_PREFIX}\d{{5,}}\.\w+")


class ShardError(ValueError):
    """A shard folder that is incomplete or damaged; the message names the folder."""


class ShardFile(NamedTuple):
    """A written file of an output: where it is, its documents, its size and SHA-256."""

    path: PathLike
    docs: int
    size: int
    sha256: str


def shard_file(path: PathLike, docs: int) -> ShardFile:
    """The ShardFile of a file already written, its size and digest read from it."""
    return ShardFile(path, docs, size(path), file_digest(path))


def _partial_prefix(output: PathLike) -> str:
    """The name of a run's hidden file or folder for output, before the PID: its host too on a URL
    (a store that several machines see)."""
    owner = f"{socket.gethostname()}-" if is_url(output) else ""
    return f".{name(output)}{PARTIAL}{owner}"


def _partial_path(output: PathLike) -> PathLike:
    """This run's hidden file or folder beside output."""
    return join(parent(output), f"{_partial_prefix(output)}{os.getpid()}")


def partial_folder(output_dir: PathLike) -> PathLike:
    """A new hidden folder beside output_dir for a run to write into; stale ones are removed first."""
    output_dir = as_location(output_dir)
    make_dirs(parent(output_dir))
    remove_stale_partials(output_dir)
    folder = _partial_path(output_dir)
    remove_tree(folder)
    make_dirs(folder)
    return folder


@contextmanager
def renamed_when_done(tmp: PathLike, path: PathLike) -> Iterator[PathLike]:
    """tmp, to be written in the block, renamed to path when the block ends, removed if it fails."""
    try:
        yield tmp
        replace(tmp, path)
    finally:
        remove_file(tmp)


@contextmanager
def atomic_text_file(path: PathLike) -> Iterator[TextIO]:
    """A UTF-8 text file that appears at path only once it is complete (stale partials removed first)."""
    path = as_location(path)
    if is_dir(path):
        raise ValueError(f"{path} is a folder; give a file name")
    make_dirs(parent(path))
    remove_stale_partials(path)
    partial = _partial_path(path)
    with renamed_when_done(partial, path), open_file(partial, "w", encoding="utf8") as f:
        yield f


class DigestingWriter:
    """A binary file that counts and hashes what is written to it (text is written as UTF-8)."""

    def __init__(self, f) -> None:
        self._file = f
        self._sha256 = hashlib.sha256()
        self.size = 0

    def write(self, data: Union[str, bytes]) -> None:
        if isinstance(data, str):
            data = data.encode("utf8")
        self._sha256.update(data)
        self.size += len(data)
        self._file.write(data)

    def sha256(self) -> str:
        return self._sha256.hexdigest()


@contextmanager
def shard_writer(path: PathLike) -> Iterator[DigestingWriter]:
    """A file of a task's, written under a temporary name (unique among the processes writing the
    folder) and renamed to path once complete: a task run again replaces it."""
    tmp = join(parent(path), f".{name(path)}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    with renamed_when_done(tmp, path), open_file(tmp, "wb") as f:
        yield DigestingWriter(f)


def remove_stale_partials(output_dir: PathLike) -> List[PathLike]:
    """Remove the hidden folders of earlier runs for output_dir whose process is gone."""
    output_dir = as_location(output_dir)
    removed = []
    prefix = _partial_prefix(output_dir)
    folder = parent(output_dir)
    for entry in names_in(folder):
        if not entry.startswith(prefix):
            continue
        pid = entry[len(prefix) :]
        if pid.isdigit() and not _process_alive(int(pid)):
            path = join(folder, entry)
            remove_tree(path)
            removed.append(path)
    return removed


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def file_digest(path: PathLike) -> str:
    digest = hashlib.sha256()
    with open_file(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def publish(
    shards: Sequence[ShardFile],
    output_dir: PathLike,
    names: Sequence[str],
    settings: Optional[Dict[str, Any]] = None,
) -> List[PathLike]:
    """Move finished shards into output_dir as names, manifest last.

    An earlier manifest in output_dir is removed first, and the shards it
    listed once the new ones are in place, so that the folder is never
    taken for complete while it changes.
    """
    output_dir = as_location(output_dir)
    make_dirs(output_dir)
    manifest_path = join(output_dir, MANIFEST)
    old = _listed_files(output_dir)
    remove_file(manifest_path)
    entries = []
    written = []
    for shard, file_name in zip(shards, names):
        target = join(output_dir, file_name)
        entries.append({"file": file_name, "docs": shard.docs, "bytes": shard.size, "sha256": shard.sha256})
        replace(shard.path, target)
        written.append(target)
    for path in old:
        if name(path) not in names:
            remove_file(path)
    manifest = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "docs": sum(e["docs"] for e in entries),
        "shards": entries,
        "settings": settings or {},
    }
    tmp = _partial_path(manifest_path)
    with renamed_when_done(tmp, manifest_path), open_file(tmp, "w", encoding="utf8") as f:
        f.write(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    return written


def _listed_files(folder: PathLike) -> List[PathLike]:
    try:
        return [join(folder, e["file"]) for e in read_manifest(folder)["shards"]]
    except ShardError:
        return []


def read_manifest(folder: PathLike, verify: bool = False) -> Dict[str, Any]:
    """The manifest of a shard folder; an error naming the folder when it is missing or wrong.

    verify also checks every shard's size and SHA-256.
    """
    folder = as_location(folder)
    path = join(folder, MANIFEST)
    if not is_file(path):
        raise ShardError(
            f"{folder}: no {MANIFEST}, so this folder is not a complete output: the run that "
            "wrote it did not finish (or it was not written by spacy_preseg); run it again"
        )
    try:
        with open_file(path, "r", encoding="utf8") as f:
            manifest = json.loads(f.read())
    except ValueError as err:
        raise ShardError(f"{path}: not a valid manifest ({err})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or not isinstance(manifest.get("shards"), list):
        raise ShardError(f"{path}: not a spacy-preseg manifest")
    for entry in manifest["shards"]:
        shard = join(folder, entry["file"])
        if not is_file(shard):
            raise ShardError(f"{path}: lists {entry['file']}, which is missing")
        if verify and (size(shard) != entry["bytes"] or file_digest(shard) != entry["sha256"]):
            raise ShardError(f"{shard}: does not match {MANIFEST} (size or checksum)")
    return manifest


def manifest_files(folder: PathLike) -> List[PathLike]:
    """The shards of a complete folder, in input order."""
    return [join(as_location(folder), entry["file"]) for entry in read_manifest(folder)["shards"]]


def part_name(index: int, suffix: str) -> str:
    """The name of the index-th part of an output that has no name of its own per part (JSONL parts)."""
    return f"{PART_PREFIX}{index:05d}{suffix}"


def has_parts(folder: PathLike) -> bool:
    """True for a folder that holds files named as part_name() names them (a manifest may be missing)."""
    return any(_PART.fullmatch(entry) for entry in names_in(folder))


def is_shard_folder(folder: PathLike, suffixes: Iterable[str] = (".spacy",)) -> bool:
    """True for a folder that holds a manifest or files with one of the shard suffixes."""
    entries = names_in(folder)
    return MANIFEST in entries or any(entry.endswith(tuple(suffixes)) for entry in entries)
