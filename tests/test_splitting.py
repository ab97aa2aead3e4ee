import json

import pytest

from spacy_preseg.corpus import read_records
from spacy_preseg.shards import read_manifest
from spacy_preseg.splitting import PARTS, part_of, split_corpus

from .conftest import SEED, SEED_GOLD, run_cli


def test_a_lines_part_depends_on_its_text_and_the_seed_only():
    texts = [f"第{i}行" for i in range(2000)]
    parts = [part_of(t, 0.1, 0.2) for t in texts]
    assert parts == [part_of(t, 0.1, 0.2) for t in texts]
    assert 150 < parts.count("dev") < 250 and 330 < parts.count("test") < 470
    assert parts != [part_of(t, 0.1, 0.2, seed=1) for t in texts]
    assert {part_of(t, 0.0, 0.0) for t in texts} == {"train"}


def test_split_parts_share_no_line_and_keep_gold(tmp_path, seed_lines):
    counts = split_corpus([SEED.parent], tmp_path / "split", dev_share=0.15, test_share=0.15)
    assert sum(counts.values()) == len(seed_lines) and all(counts[p] for p in PARTS)
    texts = {}
    for part in PARTS:
        records = list(read_records([tmp_path / "split" / f"{part}.jsonl", tmp_path / "split" / f"{part}.txt"]))
        assert len(records) == counts[part]
        assert all(r.spans is not None for r in records)  # the seed's lines all have gold
        texts[part] = {r.text for r in records}
    assert not (texts["train"] & texts["dev"] or texts["train"] & texts["test"] or texts["dev"] & texts["test"])
    gold = {r.text: r for r in read_records(SEED_GOLD)}
    for record in read_records(tmp_path / "split" / "test.jsonl"):
        assert (record.source, record.spans) == (gold[record.text].source, gold[record.text].spans)
    first = json.loads((tmp_path / "split" / "test.jsonl").read_text(encoding="utf8").splitlines()[0])
    assert first["file"] == str(SEED_GOLD) and gold[first["text"]].line == first["line"]
    assert read_manifest(tmp_path / "split")["docs"] == len(seed_lines)


def test_identical_lines_land_in_the_same_part(tmp_path):
    corpus = tmp_path / "c.txt"
    corpus.write_text("".join(f"第/{i}/行/\n" for i in range(60)) * 2, encoding="utf8")
    split_corpus([corpus], tmp_path / "split", dev_share=0.2, test_share=0.2)
    lines = {part: (tmp_path / "split" / f"{part}.txt").read_text(encoding="utf8").splitlines() for part in PARTS}
    for part in PARTS:
        assert all(lines[part].count(line) == 2 for line in lines[part])
    assert (tmp_path / "split" / "train.jsonl").read_text() == ""


def test_split_errors(tmp_path):
    corpus = tmp_path / "c.txt"
    corpus.write_text("北斗/\n", encoding="utf8")
    with pytest.raises(ValueError, match="add up to less than 1"):
        split_corpus([corpus], tmp_path / "split", dev_share=0.5, test_share=0.5)
    result = run_cli("split", corpus, tmp_path / "split", "--dev-share", 0.01, "--test-share", 0)
    assert result.returncode == 1
    assert result.stderr.strip() == "Error: no line fell into the dev part: give more lines or a larger --dev-share"
    assert [p.name for p in tmp_path.iterdir()] == ["c.txt"]
