"""The Dask engine on a small local cluster: the local engine's output, whole even when a worker dies."""

import os
import signal
import threading
import time
from urllib.parse import urlsplit

import pytest

from spacy_preseg.annotate import annotate
from spacy_preseg.convert import convert
from spacy_preseg.corpus import read_records
from spacy_preseg.dask_engine import DaskEngine
from spacy_preseg.shards import MANIFEST, ShardError, read_manifest

distributed = pytest.importorskip("distributed")


def folder_bytes(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        yield cluster


@pytest.fixture
def corpus(tmp_path, seed_lines):
    path = tmp_path / "corpus.txt"
    path.write_text("\n".join(seed_lines * 4) + "\n", encoding="utf8")
    return path


def test_convert_on_a_cluster_writes_the_files_of_the_local_engine(tmp_path, corpus, cluster):
    convert(corpus, tmp_path / "local", block_size=2000, shard_size=40)
    convert(corpus, tmp_path / "dask", block_size=2000, shard_size=40, engine="dask", scheduler=cluster.scheduler_address)
    assert len(list((tmp_path / "local").glob("*.spacy"))) > 5
    assert folder_bytes(tmp_path / "dask") == folder_bytes(tmp_path / "local")


def test_outputs_at_a_url_are_those_of_a_local_folder(tmp_path, corpus, cluster):
    convert(corpus, tmp_path / "local", block_size=2000, shard_size=40)
    convert(corpus, f"file://{tmp_path}/url", block_size=2000, shard_size=40, engine="dask", scheduler=cluster.scheduler_address)
    assert folder_bytes(tmp_path / "url") == folder_bytes(tmp_path / "local")
    annotate(corpus, tmp_path / "parts", block_size=2000, engine="dask", scheduler=cluster.scheduler_address)
    annotate(corpus, f"file://{tmp_path}/url-parts", block_size=2000, engine="dask", scheduler=cluster.scheduler_address)
    assert folder_bytes(tmp_path / "url-parts") == folder_bytes(tmp_path / "parts")


def test_annotate_on_a_local_cluster_writes_the_local_file_in_parts(tmp_path, corpus):
    local = annotate(corpus, tmp_path / "local.jsonl", block_size=2000)
    on_dask = annotate(corpus, tmp_path / "parts", block_size=2000, engine="dask", workers=1)
    assert on_dask == local
    manifest = read_manifest(tmp_path / "parts", verify=True)
    parts = [tmp_path / "parts" / shard["file"] for shard in manifest["shards"]]
    assert [p.name for p in parts] == [f"part-{i:05d}.jsonl" for i in range(len(parts))] and len(parts) > 5
    assert b"".join(p.read_bytes() for p in parts) == (tmp_path / "local.jsonl").read_bytes()
    # Read back as a corpus (plain text records), in manifest order.
    assert [r.text for r in read_records(tmp_path / "parts")] == [r.text for r in read_records(corpus)]


def test_a_local_cluster_runs_its_workers_without_the_dashboards_profiler():
    import dask

    profile = "distributed.worker.profile.enabled"
    with DaskEngine(workers=1) as engine:
        assert list(engine.client.run(dask.config.get, profile).values()) == [False]
    assert dask.config.get(profile) is True  # this process's settings are left as they were


def test_local_clusters_side_by_side_take_free_ports(recwarn):
    with DaskEngine(workers=1) as first, DaskEngine(workers=1) as second:
        ports = [urlsplit(engine.cluster.dashboard_link).port for engine in (first, second)]
    assert len(set(ports)) == 2 and 8787 not in ports
    assert not [w for w in recwarn if "already in use" in str(w.message)]


def test_a_folder_of_parts_without_manifest_is_refused(tmp_path, corpus, cluster):
    annotate(corpus, tmp_path / "parts", block_size=4000, engine="dask", scheduler=cluster.scheduler_address)
    (tmp_path / "parts" / MANIFEST).unlink()
    with pytest.raises(ShardError, match=rf"{tmp_path / 'parts'}: no {MANIFEST}.*did not finish"):
        list(read_records(tmp_path / "parts"))


def test_a_worker_killed_mid_run_costs_a_retry_not_a_shard(tmp_path, corpus, cluster, seed_lines):
    corpus.write_text("\n".join(seed_lines * 40) + "\n", encoding="utf8")
    convert(corpus, tmp_path / "local", block_size=3000, shard_size=30)
    client = distributed.Client(cluster)
    try:
        pids = client.run(os.getpid)
        errors = []

        def run():
            try:
                convert(corpus, tmp_path / "dask", block_size=3000, shard_size=30, engine="dask", scheduler=cluster.scheduler_address)
            except Exception as err:  # reported below
                errors.append(err)

        thread = threading.Thread(target=run)
        thread.start()
        partial = tmp_path / f".dask.partial-{os.getpid()}"
        deadline = time.monotonic() + 120
        while not (partial.is_dir() and len(list(partial.glob("*.spacy"))) >= 2):
            assert thread.is_alive() and time.monotonic() < deadline, f"run ended before a worker was killed: {errors}"
            time.sleep(0.01)
        os.kill(next(iter(pids.values())), signal.SIGKILL)
        thread.join(timeout=180)
        assert not errors, errors
        assert not thread.is_alive()
        assert folder_bytes(tmp_path / "dask") == folder_bytes(tmp_path / "local")
    finally:
        client.close()
