"""annotate: UTF-8 rows in input order, the same from every process count, one file complete or absent."""

import json

import pytest

from spacy_preseg.annotate import annotate
from spacy_preseg.corpus import CorpusError

from .conftest import run_cli


@pytest.fixture
def corpus(tmp_path, seed_lines):
    path = tmp_path / "corpus.txt"
    path.write_text("\n".join(seed_lines * 3) + "\n", encoding="utf8")
    return path


def test_rows_are_utf8_text_in_input_order(tmp_path, corpus):
    docs, labels = annotate(corpus, tmp_path / "a.jsonl", block_size=1500)
    text = (tmp_path / "a.jsonl").read_text(encoding="utf8")
    assert "\\u" not in text and "中国" in text
    rows = [json.loads(line) for line in text.splitlines()]
    assert docs == len(rows) == len(corpus.read_text("utf8").splitlines())
    assert [r["line"] for r in rows] == list(range(1, docs + 1))
    assert sum(labels.values()) == sum(len(r["entities"]) for r in rows)
    source = corpus.read_text("utf8").splitlines()
    for row in rows:
        for e in row["entities"] + row["subtoken_entities"]:
            assert source[row["line"] - 1][e["source_start"] : e["source_end"]].replace("/", "") == e["text"]


def test_two_processes_write_the_file_of_one(tmp_path, corpus):
    one = annotate(corpus, tmp_path / "one.jsonl", block_size=1500)
    two = annotate(corpus, tmp_path / "two.jsonl", block_size=1500, n_process=2)
    assert one == two
    assert (tmp_path / "one.jsonl").read_bytes() == (tmp_path / "two.jsonl").read_bytes()
    result = run_cli("annotate", corpus, "--n-process", 2, "--block-size", 0.002)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (tmp_path / "one.jsonl").read_text(encoding="utf8")


def test_nothing_is_written_when_a_later_line_is_bad(tmp_path, corpus):
    corpus.write_bytes(corpus.read_bytes() + b"\xff\n")
    lines = len(corpus.read_bytes().splitlines())
    for n_process in (1, 2):
        with pytest.raises(CorpusError, match=rf":{lines}: not UTF-8"):
            annotate(corpus, tmp_path / "a.jsonl", block_size=1500, n_process=n_process)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus.txt"]


def test_a_dask_output_needs_a_folder(tmp_path, corpus):
    with pytest.raises(ValueError, match="writes a folder of parts"):
        annotate(corpus, engine="dask")


def test_files_of_a_killed_run_are_removed_by_the_next(tmp_path, corpus):
    import subprocess
    import sys

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = dead.stdout.strip()
    stale_file = tmp_path / f".a.jsonl.partial-{pid}"
    stale_file.write_text("half a row", encoding="utf8")
    stale_parts = tmp_path / f".a.jsonl.parts.partial-{pid}"
    stale_parts.mkdir()
    annotate(corpus, tmp_path / "a.jsonl", n_process=2, block_size=2000)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.jsonl", "corpus.txt"]


def test_an_output_at_a_url_is_the_local_file(tmp_path, corpus):
    fsspec = pytest.importorskip("fsspec")
    local = annotate(corpus, tmp_path / "local.jsonl", block_size=1500)
    assert annotate(corpus, "memory://rows/a.jsonl", block_size=1500) == local
    with fsspec.open("memory://rows/a.jsonl", "rb") as f:
        assert f.read() == (tmp_path / "local.jsonl").read_bytes()
    assert annotate(corpus, f"file://{tmp_path}/two.jsonl", block_size=1500, n_process=2) == local
    assert (tmp_path / "two.jsonl").read_bytes() == (tmp_path / "local.jsonl").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus.txt", "local.jsonl", "two.jsonl"]
