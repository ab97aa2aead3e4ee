"""convert: the same files on every engine and process count, complete or absent."""

import os
import signal
import subprocess
import sys
import time

import pytest
import spacy
from spacy.tokens import DocBin

from spacy_preseg.convert import convert
from spacy_preseg.corpus import CorpusError
from spacy_preseg.shards import MANIFEST, ShardError, manifest_files, read_manifest

from .conftest import SEED, blank_preseg, run_cli


def folder_bytes(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def read_docs(folder):
    vocab = spacy.blank("zh").vocab
    return [doc for path in manifest_files(folder) for doc in DocBin().from_disk(path).get_docs(vocab)]


@pytest.fixture
def corpus(tmp_path, seed_lines):
    path = tmp_path / "corpus.txt"
    path.write_text("\n".join(seed_lines * 3) + "\n", encoding="utf8")
    return path


def test_two_processes_write_the_files_of_one(tmp_path, corpus):
    one = convert(corpus, tmp_path / "one", block_size=2000, shard_size=25)
    two = convert(corpus, tmp_path / "two", block_size=2000, shard_size=25, n_process=2)
    assert len(one) > 5 and [p.name for p in one] == [p.name for p in two]
    assert folder_bytes(tmp_path / "one") == folder_bytes(tmp_path / "two")
    manifest = read_manifest(tmp_path / "one", verify=True)
    assert all(shard["docs"] <= 25 for shard in manifest["shards"])
    docs = read_docs(tmp_path / "one")
    assert [d.text for d in docs] == [line.replace("/", "") for line in corpus.read_text("utf8").splitlines()]


def test_partitions_give_the_docs_of_one_stream(tmp_path, corpus):
    convert(corpus, tmp_path / "small", block_size=500)
    convert(corpus, tmp_path / "whole", block_size=1 << 30)
    small, whole = read_docs(tmp_path / "small"), read_docs(tmp_path / "whole")
    assert len(list((tmp_path / "whole").glob("*.spacy"))) == 1
    assert [(d.text, [(e.start, e.end, e.label_, e.ent_id_) for e in d.ents]) for d in small] == [
        (d.text, [(e.start, e.end, e.label_, e.ent_id_) for e in d.ents]) for d in whole
    ]
    assert [[t._.source_span for t in d] for d in small] == [[t._.source_span for t in d] for d in whole]


def test_a_saved_pipeline_converts_with_its_own_settings(tmp_path, corpus):
    nlp = blank_preseg()
    nlp.add_pipe("preseg_entities", config={"label_map": {"GPE": "COUNTRY"}})
    nlp.to_disk(tmp_path / "model")
    convert(corpus, tmp_path / "out", model=tmp_path / "model")
    labels = {e.label_ for d in read_docs(tmp_path / "out") for e in d.ents}
    assert "COUNTRY" in labels and "GPE" not in labels
    assert read_manifest(tmp_path / "out")["settings"]["model"] == str(tmp_path / "model")


def test_a_bad_line_in_a_later_partition_is_named_and_nothing_is_written(tmp_path, seed_lines):
    path = tmp_path / "c.txt"
    path.write_bytes(("\n".join(seed_lines) + "\n").encode("utf8") + b"\xff/\n")
    for n_process in (1, 2):
        with pytest.raises(CorpusError, match=rf"^{path}:{len(seed_lines) + 1}: not UTF-8"):
            convert(path, tmp_path / "out", block_size=300, n_process=n_process)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["c.txt"]


def test_a_killed_convert_leaves_nothing_taken_for_complete(tmp_path, seed_lines):
    path = tmp_path / "big.txt"
    path.write_text("\n".join(seed_lines * 200) + "\n", encoding="utf8")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "spacy_preseg", "convert", str(path), str(out), "--block-size", "0.02", "--shard-size", "50"]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    partial = tmp_path / f".out.partial-{proc.pid}"
    deadline = time.monotonic() + 60
    while not (partial.is_dir() and any(partial.glob("*.spacy"))):
        assert proc.poll() is None and time.monotonic() < deadline, "convert ended before it could be killed"
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not (out / MANIFEST).exists()
    with pytest.raises(ShardError, match="did not finish"):
        read_manifest(out)
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert not partial.exists()  # the killed run's folder is gone
    assert read_manifest(out, verify=True)["docs"] == len(seed_lines) * 200


def test_engine_settings_that_do_not_apply_are_refused(tmp_path, corpus):
    with pytest.raises(ValueError, match="settings of --engine dask"):
        convert(corpus, tmp_path / "out", workers=2)
    with pytest.raises(ValueError, match="unknown engine"):
        convert(corpus, tmp_path / "out", engine="spark")
    with pytest.raises(ValueError, match="n_process must be at least 1"):
        convert(corpus, tmp_path / "out", n_process=0)
    assert not (tmp_path / "out").exists()


def test_the_seed_converts_to_one_file_named_after_it(tmp_path):
    (written,) = convert(SEED, tmp_path / "out")
    assert written.name == "000_548318905ead5a0d.spacy"


def test_an_output_at_a_url_holds_the_files_of_a_local_one(tmp_path, corpus):
    fsspec = pytest.importorskip("fsspec")
    convert(corpus, tmp_path / "local", block_size=2000, shard_size=25)
    for n_process in (1, 2):
        written = convert(corpus, f"file://{tmp_path}/url{n_process}", block_size=2000, shard_size=25, n_process=n_process)
        assert written == [f"file://{tmp_path}/url{n_process}/{p.name}" for p in sorted((tmp_path / "local").glob("*.spacy"))]
        assert folder_bytes(tmp_path / f"url{n_process}") == folder_bytes(tmp_path / "local")
    convert(corpus, "memory://out/converted", block_size=2000, shard_size=25)
    memory = fsspec.filesystem("memory")
    assert {p.rsplit("/", 1)[-1]: memory.cat(p) for p in memory.ls("/out/converted", detail=False)} == folder_bytes(tmp_path / "local")
    assert not any(".partial-" in p for p in memory.find("/"))
    result = run_cli("convert", corpus, f"file://{tmp_path}/cli", "--shard-size", 25)
    assert result.returncode == 0, result.stderr
    convert(corpus, tmp_path / "local-cli", shard_size=25)
    assert folder_bytes(tmp_path / "cli") == folder_bytes(tmp_path / "local-cli")
