"""shard_tasks: a partition's shards are the same written in the background or in line."""

import threading

import pytest

from spacy_preseg.partitions import plan_partitions
from spacy_preseg.shard_tasks import BackgroundWrites, PipelineSpec, convert_partition


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
    background = convert_partition(part, spec, "line", str(tmp_path / "background"), 10, (), writes)
    writes.wait()
    writes.close()
    assert len(inline) == len(background) > 2
    assert [docs for _, docs in inline] == [docs for _, docs in background]
    for (a, _), (b, _) in zip(inline, background):
        assert open(a, "rb").read() == open(b, "rb").read()
