"""Multi-file outputs that are complete or absent: shard folders with a manifest written last.

A command that writes several files (``.spacy`` shards, JSONL parts) writes
them first into a hidden folder beside the output, moves them into the
output folder, and only then writes ``_manifest.json``, as Hadoop and Spark
write ``_SUCCESS``. Readers of this package refuse a folder of shards
without a manifest, so a run killed at any moment leaves nothing that a
later reader takes for complete. The manifest lists every shard with its
number of documents, its size and its SHA-256, in input order.

Hidden folders of earlier runs that were killed (``.NAME.partial-PID``, PID
no longer running) are removed by the next run that writes NAME.
"""

import hashlib
import json
import os
import re
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, TextIO, Tuple, Union

MANIFEST = "_manifest.json"
FORMAT = "spacy-preseg shards"
FORMAT_VERSION = 1
PARTIAL = ".partial-"
PART_PREFIX = "part-"
_PART = re.compile(rf"{PART_PREFIX}\d{{5,}}\.\w+")

PathLike = Union[str, Path]


class ShardError(ValueError):
    """A shard folder that is incomplete or damaged; the message names the folder."""


def partial_folder(output_dir: PathLike) -> Path:
    """A new hidden folder beside output_dir for a run to write into; stale ones are removed first."""
    output_dir = Path(output_dir)
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_partials(output_dir)
    folder = output_dir.parent / f".{output_dir.name}{PARTIAL}{os.getpid()}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    return folder


@contextmanager
def renamed_when_done(tmp: Path, path: Path) -> Iterator[Path]:
    """tmp, to be written in the block, renamed to path when the block ends, removed if it fails."""
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


@contextmanager
def atomic_text_file(path: PathLike) -> Iterator[TextIO]:
    """A UTF-8 text file that appears at path only once it is complete (stale partials removed first)."""
    path = Path(path)
    if path.is_dir():
        raise ValueError(f"{path} is a folder; give a file name")
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_partials(path)
    partial = path.with_name(f".{path.name}{PARTIAL}{os.getpid()}")
    with renamed_when_done(partial, path), partial.open("w", encoding="utf8") as f:
        yield f


def remove_stale_partials(output_dir: PathLike) -> List[Path]:
    """Remove the hidden folders of earlier runs for output_dir whose process is gone."""
    output_dir = Path(output_dir)
    removed = []
    prefix = f".{output_dir.name}{PARTIAL}"
    if not output_dir.parent.is_dir():
        return removed
    for path in output_dir.parent.iterdir():
        if not path.name.startswith(prefix):
            continue
        pid = path.name[len(prefix) :]
        if pid.isdigit() and not _process_alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
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


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def publish(
    shards: Sequence[Tuple[Path, int]],
    output_dir: PathLike,
    names: Sequence[str],
    settings: Optional[Dict[str, Any]] = None,
) -> List[Path]:
    """Move finished shards (path, number of documents) into output_dir as names, manifest last.

    An earlier manifest in output_dir is removed first, and the shards it
    listed once the new ones are in place, so that the folder is never
    taken for complete while it changes.
    """
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    manifest_path = output_dir / MANIFEST
    old = _listed_files(output_dir)
    manifest_path.unlink(missing_ok=True)
    entries = []
    written = []
    for (path, docs), name in zip(shards, names):
        target = output_dir / name
        entries.append({"file": name, "docs": docs, "bytes": path.stat().st_size, "sha256": file_digest(path)})
        os.replace(path, target)
        written.append(target)
    for path in old:
        if path.name not in names:
            path.unlink(missing_ok=True)
    manifest = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "docs": sum(e["docs"] for e in entries),
        "shards": entries,
        "settings": settings or {},
    }
    tmp = output_dir / f".{MANIFEST}{PARTIAL}{os.getpid()}"
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf8")
    os.replace(tmp, manifest_path)
    return written


def _listed_files(folder: Path) -> List[Path]:
    try:
        return [folder / e["file"] for e in read_manifest(folder)["shards"]]
    except ShardError:
        return []


def read_manifest(folder: PathLike, verify: bool = False) -> Dict[str, Any]:
    """The manifest of a shard folder; an error naming the folder when it is missing or wrong.

    verify also checks every shard's size and SHA-256.
    """
    folder = Path(folder)
    path = folder / MANIFEST
    if not path.is_file():
        raise ShardError(
            f"{folder}: no {MANIFEST}, so this folder is not a complete output: the run that "
            "wrote it did not finish (or it was not written by spacy_preseg); run it again"
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf8"))
    except ValueError as err:
        raise ShardError(f"{path}: not a valid manifest ({err})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or not isinstance(manifest.get("shards"), list):
        raise ShardError(f"{path}: not a spacy-preseg manifest")
    for entry in manifest["shards"]:
        shard = folder / entry["file"]
        if not shard.is_file():
            raise ShardError(f"{path}: lists {entry['file']}, which is missing")
        if verify and (shard.stat().st_size != entry["bytes"] or file_digest(shard) != entry["sha256"]):
            raise ShardError(f"{shard}: does not match {MANIFEST} (size or checksum)")
    return manifest


def manifest_files(folder: PathLike) -> List[Path]:
    """The shards of a complete folder, in input order."""
    folder = Path(folder)
    return [folder / entry["file"] for entry in read_manifest(folder)["shards"]]


def part_name(index: int, suffix: str) -> str:
    """The name of the index-th part of an output that has no name of its own per part (JSONL parts)."""
    return f"{PART_PREFIX}{index:05d}{suffix}"


def has_parts(folder: PathLike) -> bool:
    """True for a folder that holds files named as part_name() names them (a manifest may be missing)."""
    folder = Path(folder)
    return folder.is_dir() and any(_PART.fullmatch(p.name) for p in folder.iterdir())


def is_shard_folder(folder: PathLike, suffixes: Iterable[str] = (".spacy",)) -> bool:
    """True for a folder that holds a manifest or files with one of the shard suffixes."""
    folder = Path(folder)
    if (folder / MANIFEST).is_file():
        return True
    suffixes = tuple(suffixes)
    return folder.is_dir() and any(p.suffix in suffixes for p in folder.iterdir())
