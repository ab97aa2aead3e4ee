"""Shard folders: published with a manifest written last, refused without one."""

import os
import socket
import subprocess
import sys

import pytest

from spacy_preseg.shards import (
    MANIFEST,
    ShardError,
    ShardFile,
    manifest_files,
    partial_folder,
    publish,
    read_manifest,
    remove_stale_partials,
    shard_file,
    shard_writer,
)


def shard(folder, name, data=b"x", docs=1):
    path = folder / name
    path.write_bytes(data)
    return shard_file(path, docs)


def test_publish_moves_the_shards_and_writes_the_manifest_last(tmp_path):
    out = tmp_path / "out"
    partial = partial_folder(out)
    shards = [shard(partial, "a", b"one", 3), shard(partial, "b", b"two!", 1)]
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
    publish([shard(partial, "a", b"one")], tmp_path / "out", ["a.spacy"])
    (tmp_path / "out" / "a.spacy").write_bytes(b"two")
    with pytest.raises(ShardError, match="does not match"):
        read_manifest(tmp_path / "out", verify=True)
    (tmp_path / "out" / "a.spacy").unlink()
    with pytest.raises(ShardError, match="a.spacy, which is missing"):
        read_manifest(tmp_path / "out")


def test_publishing_again_replaces_the_earlier_shards(tmp_path):
    out = tmp_path / "out"
    partial = partial_folder(out)
    publish([shard(partial, "a"), shard(partial, "b")], out, ["s-0000.spacy", "s-0001.spacy"])
    partial = partial_folder(out)
    publish([shard(partial, "a", docs=2)], out, ["s.spacy"])
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


def test_a_shard_writer_gives_the_size_and_digest_of_what_it_wrote_and_appears_only_when_done(tmp_path):
    path = tmp_path / "p.jsonl"
    with shard_writer(path) as f:
        f.write("中国\n")
        f.write(b"x")
        assert not path.exists()
    assert path.read_bytes() == "中国\n".encode("utf8") + b"x"
    assert shard_file(path, 1) == (path, 1, f.size, f.sha256())
    with pytest.raises(RuntimeError), shard_writer(tmp_path / "q.jsonl") as f:
        f.write("half")
        raise RuntimeError("killed")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.jsonl"]


@pytest.mark.parametrize("scheme", ["file", "memory"])
def test_a_folder_at_a_url_is_published_and_read_as_a_local_one(tmp_path, scheme):
    fsspec = pytest.importorskip("fsspec")
    root = f"file://{tmp_path}" if scheme == "file" else f"memory://{tmp_path.name}"
    out = f"{root}/out"
    partial = partial_folder(out)
    assert partial == f"{root}/.out.partial-{socket.gethostname()}-{os.getpid()}"
    with shard_writer(f"{partial}/a") as f:
        f.write(b"one")
    written = publish([ShardFile(f"{partial}/a", 2, f.size, f.sha256())], out, ["c.spacy"])
    assert written == [f"{out}/c.spacy"] and manifest_files(out) == written
    assert read_manifest(out, verify=True)["docs"] == 2
    with fsspec.open(f"{out}/c.spacy", "rb") as stored:
        assert stored.read() == b"one"
    fsspec.filesystem(scheme).rm_file(fsspec.core.url_to_fs(f"{out}/{MANIFEST}")[1])
    with pytest.raises(ShardError, match=f"{out}: no {MANIFEST}"):
        read_manifest(out)


def test_stale_partials_at_a_url_are_removed_only_for_this_host(tmp_path):
    pytest.importorskip("fsspec")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = dead.stdout.strip()
    ours = tmp_path / f".out.partial-{socket.gethostname()}-{pid}"
    other_host = tmp_path / f".out.partial-elsewhere-{pid}"
    ours.mkdir()
    other_host.mkdir()
    assert remove_stale_partials(f"file://{tmp_path}/out") == [f"file://{tmp_path}/{ours.name}"]
    assert not ours.exists() and other_host.exists()
