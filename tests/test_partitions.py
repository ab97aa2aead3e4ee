"""Partitions: every line read once, by whichever partition it starts in, with its line number."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spacy_preseg.corpus import CorpusError, read_records
from spacy_preseg.partitions import count_lines, number_lines, partition_records, plan_partitions
from spacy_preseg.shards import ShardError

LINES = st.lists(st.text(alphabet="中国/与a \\\r", max_size=12), max_size=25)


def records_in_partitions(path, group_by, block_size):
    parts = plan_partitions(path, group_by, block_size)
    parts = number_lines(parts, [count_lines(p) for p in parts])
    return [r for p in parts for r in partition_records(p, group_by)]


@settings(max_examples=60, deadline=None)
@given(lines=LINES, block_size=st.integers(1, 40), bom=st.booleans(), final_break=st.booleans())
def test_partitions_give_the_records_of_the_whole_file(tmp_path_factory, lines, block_size, bom, final_break):
    path = tmp_path_factory.mktemp("p") / "c.txt"
    text = ("\ufeff" if bom else "") + "\n".join(lines) + ("\n" if final_break else "")
    path.write_bytes(text.encode("utf8"))
    assert records_in_partitions(path, "line", block_size) == list(read_records(path, "line"))


def test_gold_lines_are_split_too_and_folders_keep_their_order(tmp_path):
    gold = [{"source": f"中国/与/{i}/", "spans": [{"start": 0, "end": 2, "label": "GPE"}]} for i in range(30)]
    (tmp_path / "a.jsonl").write_text("\n".join(json.dumps(g, ensure_ascii=False) for g in gold), encoding="utf8")
    (tmp_path / "b.txt").write_text("欧洲/空间局/\n\n嫦娥/六/号/\n", encoding="utf8")
    parts = plan_partitions(tmp_path, "line", 100)
    assert [p.path.rsplit("/", 1)[-1] for p in parts].count("a.jsonl") > 5
    assert records_in_partitions(tmp_path, "line", 100) == list(read_records(tmp_path, "line"))


def test_paragraphs_and_files_are_read_a_file_at_a_time(tmp_path):
    path = tmp_path / "c.txt"
    path.write_text("中国/与/\n欧洲/\n\n嫦娥/六/号/\n" * 50, encoding="utf8")
    for group_by in ("paragraph", "file"):
        parts = plan_partitions(path, group_by, 16)
        assert len(parts) == 1
        assert records_in_partitions(path, group_by, 16) == list(read_records(path, group_by))


def test_a_bad_line_is_named_with_its_line_number_in_the_file(tmp_path):
    path = tmp_path / "c.txt"
    path.write_bytes("中国/与/\n".encode("utf8") * 40 + b"\xff\xfe/\n" + "欧洲/\n".encode("utf8"))
    with pytest.raises(CorpusError, match=rf"^{path}:41: not UTF-8"):
        records_in_partitions(path, "line", 32)


def test_fsspec_urls_are_read_like_paths(tmp_path):
    pytest.importorskip("fsspec")
    path = tmp_path / "c.txt"
    path.write_text("中国/与/\n欧洲/空间局/\n" * 20, encoding="utf8")
    url = path.as_uri()
    records = records_in_partitions(url, "line", 50)
    assert [(r.line, r.source) for r in records] == [(r.line, r.source) for r in read_records(path)]
    assert str(records[0].path) == url
    assert records_in_partitions(tmp_path.as_uri(), "line", 50)[3].source == "欧洲/空间局/"
    with pytest.raises(CorpusError, match="no such file or folder"):
        plan_partitions(url + ".missing.txt")


def test_a_folder_at_a_url_is_read_as_a_local_folder_is(tmp_path):
    pytest.importorskip("fsspec")
    (tmp_path / "a.txt").write_text("中国/与/\n", encoding="utf8")
    (tmp_path / ".out.partial-1").mkdir()
    (tmp_path / ".out.partial-1" / "p000000.jsonl").write_text("{}\n", encoding="utf8")  # a killed run's
    (tmp_path / "parts").mkdir()
    (tmp_path / "parts" / "part-00000.jsonl").write_text('{"text": "欧洲"}\n', encoding="utf8")
    with pytest.raises(ShardError, match="parts: no _manifest.json"):
        plan_partitions(tmp_path.as_uri())
    with pytest.raises(ShardError, match="parts: no _manifest.json"):
        plan_partitions(tmp_path)
    (tmp_path / "parts" / "part-00000.jsonl").unlink()
    (tmp_path / "parts").rmdir()
    assert [p.path for p in plan_partitions(tmp_path.as_uri())] == [(tmp_path / "a.txt").as_uri()]


def test_a_block_size_below_one_byte_is_refused(tmp_path):
    (tmp_path / "c.txt").write_text("中国/\n", encoding="utf8")
    with pytest.raises(ValueError, match="block size"):
        plan_partitions(tmp_path / "c.txt", "line", 0)
