import json

import pytest
import spacy
from spacy.tokens import DocBin

from spacy_preseg.annotation_formats import (
    doccano_row,
    flat_entities,
    gold_row,
    preseg_row,
    prodigy_task,
    read_task,
    writer,
)
from spacy_preseg.corpus import PresegCorpus, read_records
from spacy_preseg.entities import rule_pipeline
from spacy_preseg.textfiles import CorpusError

from .conftest import blank_preseg, run_cli

SOURCE = "利用/中俄/航天/合作/与/欧洲/空间局/"
TEXT = "利用中俄航天合作与欧洲空间局"
GOLD_SPANS = [(2, 3, "GPE"), (3, 4, "GPE"), (9, 14, "ORG")]


@pytest.fixture(scope="module")
def doc():
    return rule_pipeline()(SOURCE)


def test_flat_entities_hold_the_entities_inside_tokens(doc):
    assert [e.text for e in doc.ents] == ["欧洲空间局"]
    assert [(s, e, label) for s, e, label, _ in flat_entities(doc)] == GOLD_SPANS


@pytest.mark.parametrize("write", [gold_row, prodigy_task, doccano_row])
def test_every_format_reads_back_as_written(doc, write):
    task = read_task(json.loads(json.dumps(write(doc, "c.txt", 3, SOURCE))), "c.jsonl:1")
    assert (task.source, task.text, task.segmented, task.spans, task.accepted) == (SOURCE, TEXT, True, GOLD_SPANS, True)


def test_prodigy_tasks_split_tokens_at_entity_edges(doc):
    task = prodigy_task(doc, "c.txt", 3, SOURCE)
    assert [t["text"] for t in task["tokens"]] == ["利用", "中", "俄", "航天", "合作", "与", "欧洲", "空间局"]
    assert all(t["ws"] is False for t in task["tokens"])
    assert [(s["token_start"], s["token_end"], s["label"]) for s in task["spans"]] == [(1, 1, "GPE"), (2, 2, "GPE"), (6, 7, "ORG")]
    assert task["meta"] == {"file": "c.txt", "line": 3}
    for span in task["spans"]:
        assert task["tokens"][span["token_start"]]["start"] == span["start"]
        assert task["tokens"][span["token_end"]]["end"] == span["end"]


def test_a_prodigy_task_without_source_keeps_its_tokens():
    task = {"text": "km/s 中国", "tokens": [{"text": "km/s", "start": 0, "end": 4, "id": 0, "ws": True},
                                           {"text": "中国", "start": 5, "end": 7, "id": 1, "ws": False}],
            "spans": [{"start": 5, "end": 7, "token_start": 1, "token_end": 1, "label": "GPE"}], "answer": "accept"}
    read = read_task(task, "t.jsonl:1")
    assert read.segmented and read.text == "km/s 中国" and read.spans == [(5, 7, "GPE")]
    nlp = blank_preseg()
    assert [t.text for t in nlp(read.source)] == ["km/s", "中国"]


def test_rejected_prodigy_tasks_are_not_gold(doc):
    task = {**prodigy_task(doc, "c.txt", 1, SOURCE), "answer": "reject"}
    assert read_task(task, "t.jsonl:1").accepted is False


def test_doccano_entities_export_is_read():
    row = {"text": "中国与俄罗斯", "entities": [{"id": 1, "label": "GPE", "start_offset": 3, "end_offset": 6}]}
    task = read_task(row, "d.jsonl:1")
    assert not task.segmented and task.spans == [(3, 6, "GPE")]


@pytest.mark.parametrize(
    "obj, message",
    [
        ({"text": "中国俄罗斯", "label": [[0, 2, "GPE"], [1, 5, "GPE"]]}, r"x:1: spans \(0, 2, 'GPE'\) and \(1, 5, 'GPE'\) overlap"),
        ({"text": "中国", "spans": [{"start": 0, "end": 2, "label": "GPE"}], "label": []}, "holds both 'spans' and 'label'"),
        ({"text": "中国", "label": [[0, 2]]}, r"a span must be an object or \[start, end, label\]"),
        ({"text": "中国", "label": [[0, 2, "LOC"]]}, "the label 'LOC', which is none of the pipeline's"),
        ({"source": "中/国/", "text": "中国", "tokens": [{"text": "中国", "start": 0, "end": 2}],
          "spans": [{"start": 0, "end": 2, "token_start": 1, "token_end": 1, "label": "GPE"}]}, "token_start and token_end do not match"),
        ({"text": "中国x", "tokens": [{"text": "中国", "ws": False}]}, "'tokens' do not make up 'text'"),
        ({"source": "中国/", "text": "美国"}, "'text' is not 'source' without its delimiters"),
    ],
)
def test_bad_gold_names_file_and_line(obj, message):
    with pytest.raises(CorpusError, match=message):
        read_task(obj, "x:1", labels={"GPE", "ORG", "MISSION"})


def test_writer_names_the_formats():
    assert writer("prodigy") is prodigy_task
    with pytest.raises(ValueError, match="--format must be one of preseg, gold, prodigy, doccano"):
        writer("conll")


def test_preseg_rows_point_into_the_source(doc):
    row = preseg_row(doc, "c.txt", 1, SOURCE)
    (ent,) = row["entities"]
    assert SOURCE[ent["source_start"] : ent["source_end"]] == "欧洲/空间局"
    assert [e["id"] for e in row["subtoken_entities"]] == ["CN", "RU"]


@pytest.mark.parametrize("fmt", ["prodigy", "doccano", "gold"])
def test_silver_correction_gold_training_is_one_loop(tmp_path, fmt):
    """annotate writes silver in the tool's format, a person corrects it, convert and the reader take it as gold."""
    corpus = tmp_path / "c.txt"
    corpus.write_text("利用/中俄/航天/合作/\n与/欧洲/空间局/开展/北极光/合作/\n", encoding="utf8")
    result = run_cli("annotate", corpus, "--format", fmt, "--output", tmp_path / "silver.jsonl")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in (tmp_path / "silver.jsonl").read_text(encoding="utf8").splitlines()]
    # The correction: 北极光 (characters 8-11 of the second line) is a MISSION the rules did not find.
    if fmt == "prodigy":
        tokens = rows[1]["tokens"]
        index = next(t["id"] for t in tokens if t["text"] == "北极光")
        rows[1]["spans"].append({"start": 8, "end": 11, "token_start": index, "token_end": index, "label": "MISSION"})
        rows[1]["answer"] = rows[0]["answer"] = "accept"
    elif fmt == "doccano":
        rows[1]["label"].append([8, 11, "MISSION"])
    else:
        rows[1]["spans"].append({"start": 8, "end": 11, "label": "MISSION", "text": "北极光"})
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf8")
    expected = [[(2, 3, "GPE"), (3, 4, "GPE")], [(1, 6, "ORG"), (8, 11, "MISSION")]]
    assert [r.spans for r in read_records(gold)] == expected
    result = run_cli("convert", gold, tmp_path / "corpus")
    assert result.returncode == 0, result.stderr
    (shard,) = (tmp_path / "corpus").glob("*.spacy")
    docs = list(DocBin().from_disk(shard).get_docs(spacy.blank("zh").vocab))
    assert [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in docs] == expected
    examples = list(PresegCorpus(gold)(blank_preseg()))
    assert [t.text for t in examples[1].predicted] == ["与", "欧洲", "空间局", "开展", "北极光", "合作"]
    assert [[(e.start_char, e.end_char, e.label_) for e in eg.reference.ents] for eg in examples] == expected
