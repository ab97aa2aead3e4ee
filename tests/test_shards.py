"""Shard folders: published with a manifest written last, refused without one."""

import os
import subprocess
import sys

import pytest

from spacy_preseg.shards import (
    MANIFEST,
    ShardError,
    manifest_files,
    partial_folder,
    publish,
    read_manifest,
    remove_stale_partials,
)


def shard(folder, name, data=b"x"):
    path = folder / name
    path.write_bytes(data)
    return path


def test_publish_moves_the_shards_and_writes_the_manifest_last(tmp_path):
    out = tmp_path / "out"
    partial = partial_folder(out)
    shards = [(shard(partial, "a", b"one"), 3), (shard(partial, "b", b"two!"), 1)]
    written = publish(shards, out, ["c-0000.spacy", "c-0001.spacy"], {"group_by": "line"})
    assert [p.name for p in written] == ["c-0000.spacy", "c-0001.spacy"]
    manifest = read_manifest(out, verify=True)
    assert manifest["docs"] == 4
    assert [(e["file"], e["docs"], e["bytes"]) for e in manifest["shards"]] == [
        ("c-0000.spacy", 3, 3), ("c-0001.spacy", 1, 4),
    ]
    assert manifest["settings"] == {"group_by": "line"}
    assert manifest_files(out) == written


def test_a_folder_without_manifest_is_refused_with_its_name(tmp_path):
    (tmp_path / "c-0000.spacy").write_bytes(b"x")
    with pytest.raises(ShardError, match=rf"{tmp_path}: no {MANIFEST}.*did not finish"):
        read_manifest(tmp_path)


def test_a_manifest_whose_shard_is_missing_or_changed_is_refused(tmp_path):
    partial = partial_folder(tmp_path / "out")
    publish([(shard(partial, "a", b"one"), 1)], tmp_path / "out", ["a.spacy"])
    (tmp_path / "out" / "a.spacy").write_bytes(b"two")
    with pytest.raises(ShardError, match="does not match"):
        read_manifest(tmp_path / "out", verify=True)
    (tmp_path / "out" / "a.spacy").unlink()
    with pytest.raises(ShardError, match="a.spacy, which is missing"):
        read_manifest(tmp_path / "out")


def test_publishing_again_replaces_the_earlier_shards(tmp_path):
    out = tmp_path / "out"
    partial = partial_folder(out)
    publish([(shard(partial, "a"), 1), (shard(partial, "b"), 1)], out, ["s-0000.spacy", "s-0001.spacy"])
    partial = partial_folder(out)
    publish([(shard(partial, "a"), 2)], out, ["s.spacy"])
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST, "s.spacy"]
    assert read_manifest(out)["docs"] == 2


def test_stale_partial_folders_of_killed_runs_are_removed(tmp_path):
    out = tmp_path / "out"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / f".out.partial-{dead.stdout.strip()}"
    stale.mkdir()
    live = tmp_path / f".out.partial-{os.getppid()}"
    live.mkdir()
    assert remove_stale_partials(out) == [stale]
    assert not stale.exists() and live.exists()
    folder = partial_folder(out)
    assert folder.is_dir() and folder.name == f".out.partial-{os.getpid()}"
