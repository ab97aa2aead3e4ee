"""storage: local paths and fsspec URLs behind the same few operations."""

from pathlib import Path

import pytest

from spacy_preseg import storage


def test_urls_are_joined_and_split_in_url_space():
    assert storage.join("s3://bucket/out/", "a.spacy") == "s3://bucket/out/a.spacy"
    assert storage.parent("s3://bucket/out/") == "s3://bucket"
    assert storage.name("s3://bucket/out/") == "out"
    assert storage.as_location("file:///tmp/x/") == "file:///tmp/x"
    assert storage.as_location("out") == Path("out") and storage.parent("a/b") == Path("a")


def test_an_output_at_the_root_of_a_store_is_refused():
    with pytest.raises(ValueError, match="a folder inside the store"):
        storage.parent("s3://bucket")


@pytest.mark.parametrize("root", ["memory://storage-test", "local"])
def test_files_are_written_moved_listed_and_removed_alike(tmp_path, root):
    if root == "local":
        root = tmp_path
    else:
        pytest.importorskip("fsspec")
    folder = storage.join(root, "f")
    storage.make_dirs(folder)
    with storage.open_file(storage.join(folder, "a"), "w", encoding="utf8") as f:
        f.write("中国")
    storage.replace(storage.join(folder, "a"), storage.join(folder, "b"))
    assert storage.names_in(folder) == ["b"] and storage.is_file(storage.join(folder, "b"))
    assert storage.size(storage.join(folder, "b")) == len("中国".encode("utf8"))
    assert storage.is_dir(folder) and not storage.is_file(folder)
    storage.remove_file(storage.join(folder, "missing"))
    storage.remove_tree(folder)
    assert storage.names_in(folder) == [] and not storage.is_dir(folder)
