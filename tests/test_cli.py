import json
import subprocess
import sys

import pytest
import spacy
from spacy.tokens import DocBin

from spacy_preseg.shards import manifest_files

from .conftest import SEED, SEED_GOLD, run_cli



def test_convert_text_gives_silver_docbins(tmp_path, seed_lines):
    result = run_cli("convert", SEED, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    (path,) = (tmp_path / "out").glob("*.spacy")
    docs = list(DocBin().from_disk(path).get_docs(spacy.blank("zh").vocab))
    assert len(docs) == len(seed_lines)
    assert [d.text for d in docs] == [line.replace("/", "") for line in seed_lines]
    assert sum(len(d.ents) for d in docs) > 80
    assert docs[1][0]._.source_span == (0, 2)


def test_convert_shards_and_processes(tmp_path, seed_lines):
    result = run_cli("convert", SEED, tmp_path / "out", "--shard-size", 30, "--n-process", 2)
    assert result.returncode == 0, result.stderr
    shards = sorted((tmp_path / "out").glob("*.spacy"))
    assert [p.name for p in shards] == [f"000_548318905ead5a0d-000{i}.spacy" for i in range(3)]
    vocab = spacy.blank("zh").vocab
    texts = [d.text for p in shards for d in DocBin().from_disk(p).get_docs(vocab)]
    assert texts == [line.replace("/", "") for line in seed_lines]


def test_convert_again_replaces_the_earlier_files(tmp_path):
    assert run_cli("convert", SEED, tmp_path / "out", "--shard-size", 30).returncode == 0
    assert run_cli("convert", SEED, tmp_path / "out").returncode == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["000_548318905ead5a0d.spacy", "_manifest.json"]


def test_empty_input_is_an_error(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n", encoding="utf8")
    for args in (("convert", empty, tmp_path / "out"), ("annotate", empty), ("render", empty, tmp_path / "e.html")):
        result = run_cli(*args)
        assert result.returncode == 1
        assert result.stderr.strip() == f"Error: {empty}: no documents to {args[0]}"
    assert [p.name for p in tmp_path.iterdir()] == ["empty.txt"]


def test_option_mistakes_are_one_line(tmp_path):
    result = run_cli("annotate", SEED, "--output", tmp_path)
    assert result.returncode == 1 and result.stderr.strip() == f"Error: {tmp_path} is a folder; give a file name"
    result = run_cli("score", SEED_GOLD, "--model", tmp_path, "--char")
    assert result.returncode == 1 and "do not apply to --model" in result.stderr


def test_convert_gold_keeps_gold_spans(tmp_path, seed_gold):
    result = run_cli("convert", SEED_GOLD, tmp_path / "gold")
    assert result.returncode == 0, result.stderr
    docs = list(DocBin().from_disk(next((tmp_path / "gold").glob("*.spacy"))).get_docs(spacy.blank("zh").vocab))
    assert [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in docs] == [
        [(s["start"], s["end"], s["label"]) for s in g["spans"]] for g in seed_gold
    ]


def test_bad_input_is_one_line_and_leaves_nothing(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes("北斗/\n".encode("utf8") * 3 + b"\xff/\n")
    result = run_cli("convert", bad, tmp_path / "out")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [f"Error: {bad}:4: not UTF-8 text (invalid start byte at byte 0 of the line)"]
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["bad.txt"]
    result = run_cli("annotate", tmp_path / "missing.txt", "--output", tmp_path / "a.jsonl")
    assert result.returncode == 1 and "missing.txt: no such file or folder" in result.stderr
    assert not (tmp_path / "a.jsonl").exists()
    gold = tmp_path / "g.jsonl"
    gold.write_text(json.dumps({"source": "中国/", "spans": [{"start": 1, "end": 5, "label": "GPE"}]}), encoding="utf8")
    result = run_cli("convert", gold, tmp_path / "out")
    assert result.returncode == 1 and f"{gold}:1: span" in result.stderr and "Traceback" not in result.stderr


def test_annotate_gives_ids_and_source_offsets(tmp_path):
    corpus = tmp_path / "c.txt"
    corpus.write_text("利用/中俄/航天/合作/\n与/欧洲/空间局/开展/“/嫦娥/六/号/”/任务/\n", encoding="utf8")
    result = run_cli("annotate", corpus)
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["line"] for r in rows] == [1, 2]
    assert [(e["text"], e["id"]) for e in rows[0]["subtoken_entities"]] == [("中", "CN"), ("俄", "RU")]
    assert [(e["text"], e["label"], e["id"]) for e in rows[1]["entities"]] == [
        ("欧洲空间局", "ORG", "ESA"),
        ("嫦娥六号", "MISSION", "Chang'e-6"),
    ]
    source = corpus.read_text(encoding="utf8").splitlines()[1]
    chang_e = rows[1]["entities"][1]
    assert source[chang_e["source_start"] : chang_e["source_end"]] == "嫦娥/六/号"
    assert "2 documents, 2 entities" in result.stderr


def test_render_uses_the_registered_colors(tmp_path):
    result = run_cli("render", SEED, tmp_path / "seed.html", "--limit", 5)
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "seed.html").read_text(encoding="utf8")
    assert "<html" in html and "嫦娥七号" in html
    assert "#c7a4ff" in html  # MISSION's color from the spacy_displacy_colors entry point


@pytest.mark.parametrize(
    "options, floor",
    [((), 0.95), (("--split-tokens",), 0.97), (("--char",), 0.95), (("--gold-preproc",), 0.97)],
)
def test_score_reports_micro_and_per_label(tmp_path, options, floor):
    result = run_cli("score", SEED_GOLD, "--output", tmp_path / "s.json", *options)
    assert result.returncode == 0, result.stderr
    scores = json.loads((tmp_path / "s.json").read_text())
    assert set(scores["per_label"]) == {"GPE", "ORG", "MISSION"}
    assert scores["micro"]["f"] >= floor
    assert scores["micro"]["p"] >= 0.97
    assert result.stdout.splitlines()[1].startswith("micro")


def test_every_command_takes_several_inputs_and_a_delimiter(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text("利用|中俄|航天|合作|\n", encoding="utf8")
    b = tmp_path / "b.jsonl"
    b.write_text(json.dumps({"source": "与|欧洲|空间局|", "spans": [{"start": 1, "end": 6, "label": "ORG"}]}) + "\n", encoding="utf8")
    result = run_cli("annotate", a, b, "--delimiter", "|")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["file"], r["line"], r["text"]) for r in rows] == [(str(a), 1, "利用中俄航天合作"), (str(b), 1, "与欧洲空间局")]
    result = run_cli("convert", a, b, tmp_path / "out", "-d", "|")
    assert result.returncode == 0, result.stderr
    vocab = spacy.blank("zh").vocab
    docs = [d for path in manifest_files(tmp_path / "out") for d in DocBin().from_disk(path).get_docs(vocab)]
    assert [[t.text for t in d] for d in docs] == [["利用", "中", "俄", "航天", "合作"], ["与", "欧洲", "空间局"]]
    result = run_cli("score", b, b, "--delimiter", "|", "--output", tmp_path / "s.json")
    assert result.returncode == 0, result.stderr
    assert json.loads((tmp_path / "s.json").read_text())["micro"]["tp"] == 1
    result = run_cli("render", a, b, tmp_path / "r.html", "-d", "|")
    assert result.returncode == 0, result.stderr
    assert "空间局" in (tmp_path / "r.html").read_text(encoding="utf8")


def test_a_folder_with_a_corpus_and_its_gold_is_read_once(tmp_path, seed_lines):
    result = run_cli("convert", SEED.parent, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    docs = list(DocBin().from_disk(next((tmp_path / "out").glob("*.spacy"))).get_docs(spacy.blank("zh").vocab))
    assert len(docs) == len(seed_lines)
    result = run_cli("annotate", SEED.parent)
    assert [json.loads(line)["file"] for line in result.stdout.splitlines()] == [str(SEED_GOLD)] * len(seed_lines)


def test_a_closed_pipe_ends_quietly(tmp_path, seed_lines):
    corpus = tmp_path / "big.txt"
    corpus.write_text("\n".join(seed_lines * 40) + "\n", encoding="utf8")
    process = subprocess.Popen(
        [sys.executable, "-m", "spacy_preseg", "annotate", str(corpus)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    first = process.stdout.readline()
    process.stdout.close()  # as `head -1` does
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=120) == 1
    assert json.loads(first)["line"] == 1
    assert stderr == ""


def test_bad_gold_is_refused_by_every_command(tmp_path):
    overlapping = tmp_path / "o.jsonl"
    overlapping.write_text("\n" + json.dumps({"source": "中国/航天局/", "spans": [
        {"start": 0, "end": 2, "label": "GPE"}, {"start": 0, "end": 5, "label": "ORG"}]}) + "\n", encoding="utf8")
    unknown = tmp_path / "u.jsonl"
    unknown.write_text(json.dumps({"source": "中国/", "spans": [{"start": 0, "end": 2, "label": "COUNTRY"}]}) + "\n", encoding="utf8")
    for gold, message in ((overlapping, f"{overlapping}:2: spans (0, 2, 'GPE') and (0, 5, 'ORG') overlap"),
                          (unknown, f"{unknown}:1: span {{'start': 0, 'end': 2, 'label': 'COUNTRY'}} has the label 'COUNTRY'")):
        for args in (("score", gold, "-o", tmp_path / "s.json"), ("convert", gold, tmp_path / "out"),
                     ("annotate", gold, "-o", tmp_path / "a.jsonl"), ("render", gold, tmp_path / "r.html")):
            result = run_cli(*args)
            assert result.returncode == 1, args
            (line,) = result.stderr.strip().splitlines()
            assert line.startswith(f"Error: {message}"), (args, line)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o.jsonl", "u.jsonl"]


def test_documents_over_max_length_are_refused_with_file_and_line(tmp_path):
    corpus = tmp_path / "c.txt"
    corpus.write_text("北斗/\n\n" + "中国/与/俄罗斯/" * 30 + "\n", encoding="utf8")
    for args in (("convert", corpus, tmp_path / "out"), ("annotate", corpus, "-o", tmp_path / "a.jsonl"),
                 ("render", corpus, tmp_path / "r.html")):
        result = run_cli(*args, "--group-by", "paragraph", "--max-length", 100)
        assert result.returncode == 1
        assert result.stderr.strip() == (
            f"Error: {corpus}:3: a document of 270 characters, longer than nlp.max_length (100): "
            "raise it with --max-length, or use --group-by line"
        )
    assert [p.name for p in tmp_path.iterdir()] == ["c.txt"]
    result = run_cli("annotate", corpus, "--group-by", "file", "--max-length", 300)
    assert result.returncode == 0, result.stderr


def test_a_model_with_another_delimiter_is_refused(tmp_path):
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "spacy_preseg.PresegTokenizer.v1", "delimiter": "|"}}})
    nlp.to_disk(tmp_path / "model")
    result = run_cli("annotate", SEED, "--model", tmp_path / "model", "--delimiter", "/")
    assert result.returncode == 1
    assert result.stderr.strip() == f"Error: --delimiter '/': the tokenizer of {tmp_path / 'model'} reads '|'"


TAGGED = (
    "19980103-01-002-001/m  新华社/nt  北京/ns  电/n  ，/w  与/p  欧洲/ns  空间局/n  合作/vn\n"
    "[国务院/nt  侨务/n  办公室/n]nt  主任/n  江/nr  泽民/nr  访问/v  俄罗斯/ns\n"
)


def test_convert_tagged_keeps_tags_and_marks_their_entities(tmp_path):
    corpus = tmp_path / "t.txt"
    corpus.write_text(TAGGED, encoding="utf8")
    result = run_cli("convert", "--tagged", corpus, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    docs = list(DocBin().from_disk(tmp_path / "out" / "t.spacy").get_docs(spacy.blank("zh").vocab))
    assert [t.tag_ for t in docs[0]][:3] == ["nt", "ns", "n"]
    assert [(e.text, e.label_) for e in docs[1].ents] == [("国务院侨务办公室", "ORG"), ("江泽民", "PERSON"), ("俄罗斯", "LOC")]
    line = TAGGED.splitlines()[1]
    assert docs[1][4]._.source_span == (line.index("江"), line.index("江") + 1)


def test_annotate_reads_tagged_corpora(tmp_path):
    corpus = tmp_path / "t.txt"
    corpus.write_text(TAGGED, encoding="utf8")
    result = run_cli("annotate", "--tagged", corpus)
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows[0]["text"] == "新华社北京电，与欧洲空间局合作"
    (esa,) = [e for e in rows[0]["entities"] if e["id"] == "ESA"]
    assert esa["text"] == "欧洲空间局"
    source = TAGGED.splitlines()[0]
    assert source[esa["source_start"] : esa["source_end"]] == "欧洲/ns  空间局"


def test_malformed_tagged_items_end_commands_with_file_and_line(tmp_path):
    corpus = tmp_path / "t.txt"
    corpus.write_text("迈向/v  充满/v\n[中国/ns  共产党/nt\n", encoding="utf8")
    for args in (("convert", corpus, tmp_path / "out"), ("annotate", corpus), ("render", corpus, tmp_path / "t.html")):
        result = run_cli(args[0], "--tagged", *args[1:])
        assert result.returncode == 1
        assert result.stderr.strip() == f"Error: {corpus}:2: the bracket of item '[中国/ns' is not closed on its line"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.txt"]


def test_train_segmenter_reads_tagged_corpora(tmp_path):
    from spacy_preseg.segmenter_training import read_corpus

    corpus = tmp_path / "t.txt"
    corpus.write_text(TAGGED * 6, encoding="utf8")
    assert read_corpus([corpus], tagged=True)[1] == ["国务院", "侨务", "办公室", "主任", "江", "泽民", "访问", "俄罗斯"]
    result = run_cli("train-segmenter", "--tagged", corpus, tmp_path / "model", "--iterations", 1, "--dev-share", 0)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "model" / "weights.npz").exists()
