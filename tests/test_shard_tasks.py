"""shard_tasks: a partition's shards are the same written in the background or in line, with their digests."""

import threading

import pytest

from spacy_preseg.partitions import plan_partitions
from spacy_preseg.shard_tasks import BackgroundWrites, PipelineSpec, annotate_partition, convert_partition, written_shards
from spacy_preseg.shards import file_digest


def test_background_writes_run_in_order_in_another_thread():
    done, threads = [], []

    def write(n):
        threads.append(threading.get_ident())
        done.append(n)

    writes = BackgroundWrites()
    for n in range(5):
        writes.submit(write, n)
    writes.wait()
    writes.close()
    assert done == [0, 1, 2, 3, 4]
    assert threading.get_ident() not in threads


def fail():
    raise OSError("disk full")


def test_a_failed_write_is_raised_by_wait_and_not_by_close():
    writes = BackgroundWrites()
    writes.submit(fail)
    with pytest.raises(OSError, match="disk full"):
        writes.wait()
    writes.submit(fail)
    writes.close()  # in a finally block: must not hide the error being raised


def test_the_next_submit_raises_an_earlier_failure():
    writes = BackgroundWrites()
    writes.submit(fail)
    with pytest.raises(OSError, match="disk full"):
        writes.submit(lambda: None)
    writes.close()


def test_shards_written_in_the_background_equal_those_written_in_line(tmp_path, seed_lines):
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("\n".join(seed_lines) + "\n", encoding="utf8")
    (part,) = plan_partitions([corpus])
    spec = PipelineSpec()
    (tmp_path / "inline").mkdir()
    (tmp_path / "background").mkdir()
    inline = convert_partition(part, spec, "line", str(tmp_path / "inline"), 10)
    writes = BackgroundWrites()
    background = written_shards(convert_partition(part, spec, "line", str(tmp_path / "background"), 10, (), writes))
    writes.close()
    assert len(inline) == len(background) > 2
    assert [s.docs for s in inline] == [s.docs for s in background] and sum(s.docs for s in inline) == len(seed_lines)
    for a, b in zip(inline, background):
        assert a.path.read_bytes() == b.path.read_bytes()
        assert (a.size, a.sha256) == (b.size, b.sha256) == (a.path.stat().st_size, file_digest(a.path))


def test_annotate_partition_reports_the_digest_of_the_rows_it_wrote(tmp_path, seed_lines):
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("\n".join(seed_lines) + "\n", encoding="utf8")
    (part,) = plan_partitions([corpus])
    shard, labels = annotate_partition(part, PipelineSpec(), "line", str(tmp_path))
    assert shard.docs == len(seed_lines) == len(shard.path.read_text(encoding="utf8").splitlines())
    assert (shard.size, shard.sha256) == (shard.path.stat().st_size, file_digest(shard.path))
    assert labels["GPE"] > 0
