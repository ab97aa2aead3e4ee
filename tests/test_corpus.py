import json

import pytest
import spacy
from spacy.tokens import DocBin

from spacy_preseg.convert import convert
from spacy_preseg.corpus import (
    CorpusError,
    PresegCorpus,
    check_length,
    make_examples,
    read_records,
    reference_doc,
)
from spacy_preseg.segments import split_words
from spacy_preseg.shards import ShardError

from .conftest import SEED, SEED_GOLD, blank_preseg


def write(path, text, encoding="utf8"):
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


def test_lines_paragraphs_and_files(tmp_path):
    path = write(tmp_path / "c.txt", "中国/与/\n俄罗斯/\n\n北斗/卫星/\r\n")
    assert [(r.line, r.text) for r in read_records(path)] == [(1, "中国与"), (2, "俄罗斯"), (4, "北斗卫星")]
    assert [(r.line, r.text) for r in read_records(path, "paragraph")] == [(1, "中国与\n俄罗斯"), (4, "北斗卫星")]
    assert [r.text for r in read_records(path, "file")] == ["中国与\n俄罗斯\n\n北斗卫星"]
    with pytest.raises(CorpusError, match="group_by"):
        list(read_records(path, "sentence"))


def test_a_folder_is_read_in_order(tmp_path):
    write(tmp_path / "b.txt", "北斗/\n")
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub" / "a.txt", "嫦娥/\n")
    write(tmp_path / "notes.md", "ignored")
    assert [r.text for r in read_records(tmp_path)] == ["北斗", "嫦娥"]


def test_bad_input_names_file_and_line(tmp_path):
    with pytest.raises(CorpusError, match="no such file"):
        list(read_records(tmp_path / "missing.txt"))
    bad = write(tmp_path / "bad.txt", "北斗/\n".encode("utf8") + b"\xff\xfe/\n")
    with pytest.raises(CorpusError, match=r"bad\.txt:2: not UTF-8"):
        list(read_records(bad))
    gold = write(tmp_path / "g.jsonl", json.dumps({"source": "中国/", "spans": [{"start": 0, "end": 9, "label": "GPE"}]}) + "\n")
    with pytest.raises(CorpusError, match=r"g\.jsonl:1: span .* does not fit a text of 2 characters"):
        list(read_records(gold))
    gold = write(tmp_path / "h.jsonl", "\n" + json.dumps({"source": "中国/", "spans": [{"start": 0, "end": 2, "label": "GPE", "text": "美国"}]}))
    with pytest.raises(CorpusError, match=r"h\.jsonl:2: span .* covers '中国', not '美国'"):
        list(read_records(gold))
    gold = write(tmp_path / "i.jsonl", "{not json\n")
    with pytest.raises(CorpusError, match=r"i\.jsonl:1: not valid JSON"):
        list(read_records(gold))


def test_gold_records_keep_their_spans():
    records = list(read_records(SEED_GOLD))
    assert len(records) == 69
    assert records[1].spans == [(0, 2, "GPE")]
    assert all(r.text == r.source.replace("/", "") for r in records)


def test_reference_docs_split_words_only_at_gold_edges():
    record = next(r for r in read_records(SEED_GOLD) if r.line == 15)
    doc = reference_doc(spacy.blank("zh"), record)
    words = [t.text for t in doc]
    assert "中" in words and "美" in words and "中美" not in words
    assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == record.spans
    assert split_words(["中美", "合作"], [False, True], [1, 4]) == (["中", "美", "合作"], [False, False, True])


def test_examples_keep_the_corpus_words(seed_lines):
    nlp = blank_preseg()
    examples = list(PresegCorpus(SEED)(nlp))
    assert len(examples) == len(seed_lines)
    for example, line in zip(examples, seed_lines):
        assert [t.text for t in example.predicted] == [w for w in line.split("/") if w]
        assert example.reference.has_annotation("ENT_IOB")
    labels = {e.label_ for eg in examples for e in eg.reference.ents}
    assert labels == {"GPE", "ORG", "MISSION"}


def test_silver_reference_splits_compounds_into_countries(tmp_path):
    path = write(tmp_path / "c.txt", "利用/中俄/航天/合作/\n")
    (example,) = make_examples(blank_preseg(), read_records(path))
    assert [t.text for t in example.predicted] == ["利用", "中俄", "航天", "合作"]
    assert [(e.text, e.ent_id_) for e in example.reference.ents] == [("中", "CN"), ("俄", "RU")]


def test_plain_text_is_read_as_written_and_cut_by_the_pipelines_segmenter(tmp_path):
    path = write(tmp_path / "c.txt", "中国与俄罗斯合作\n速度/km\\/s/\nkm\\/s\n")
    records = list(read_records(path))
    assert [(r.text, r.segmented) for r in records] == [
        ("中国与俄罗斯合作", False),
        ("速度km/s", True),
        ("km\\/s", False),
    ]
    nlp = blank_preseg()
    examples = list(PresegCorpus(path)(nlp))
    assert [[t.text for t in eg.predicted] for eg in examples] == [[t.text for t in nlp(r.source)] for r in records]
    assert [e.text for e in examples[0].reference.ents] == ["中国", "俄罗斯"]
    gold = write(tmp_path / "g.jsonl", json.dumps({"text": "速度7.9km/s，俄罗斯", "spans": [{"start": 10, "end": 13, "label": "GPE"}]}))
    (record,) = read_records(gold)
    assert record.text == "速度7.9km/s，俄罗斯" and not record.segmented
    (example,) = PresegCorpus(gold)(nlp)
    assert example.predicted.text == record.text
    assert [(e.text, e.label_) for e in example.reference.ents] == [("俄罗斯", "GPE")]


def test_reader_options(tmp_path):
    lines = [f"第/{i}/行/北斗/" for i in range(20)] + ["很/长/" * 30]
    path = write(tmp_path / "c.txt", "\n".join(lines) + "\n")
    nlp = blank_preseg()
    assert len(list(PresegCorpus(path, limit=5)(nlp))) == 5
    assert len(list(PresegCorpus(path, max_length=10)(nlp))) == 20
    spacy.util.fix_random_seed(0)
    shuffled = [eg.text for eg in PresegCorpus(path, shuffle=True)(nlp)]
    assert sorted(shuffled) == sorted(eg.text for eg in PresegCorpus(path)(nlp))
    assert shuffled != [eg.text for eg in PresegCorpus(path)(nlp)]
    with pytest.raises(CorpusError, match="no path"):
        PresegCorpus(None)


def test_reader_is_registered_through_entry_points(tmp_path):
    from .conftest import run_python

    code = (
        "import sys, spacy\n"
        "from spacy.util import registry\n"
        "reader = registry.readers.get('spacy_preseg.PresegCorpus.v1')(sys.argv[1])\n"
        "nlp = spacy.blank('zh')\n"
        "print(sum(1 for _ in reader(nlp)))\n"
    )
    result = run_python(code, str(SEED))
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) == len(SEED.read_text(encoding="utf8").splitlines())



def test_several_inputs_are_read_in_order_each_once(tmp_path):
    a = write(tmp_path / "a.txt", "北斗/\n")
    b = write(tmp_path / "b.txt", "嫦娥/\n")
    assert [r.text for r in read_records([b, a, b])] == ["嫦娥", "北斗"]
    with pytest.raises(CorpusError, match="no input given"):
        list(read_records([]))


def test_lines_that_gold_holds_are_read_once_from_the_gold(tmp_path, seed_lines):
    records = list(read_records(SEED.parent))
    assert len(records) == len(seed_lines)
    assert all(r.path == SEED_GOLD and r.spans is not None for r in records)
    assert [r.text for r in read_records([SEED, SEED_GOLD])] == [r.text for r in records]
    # Lines the gold does not hold are still read, with their own line numbers.
    corpus = write(tmp_path / "c.txt", "中国/与/俄罗斯/\n北斗/卫星/\n")
    gold = write(tmp_path / "c.gold.jsonl", json.dumps({"source": "中国/与/俄/罗斯/", "spans": []}) + "\n")
    assert [(r.path.name, r.line, r.spans) for r in read_records(tmp_path)] == [("c.gold.jsonl", 1, []), ("c.txt", 2, None)]
    assert [r.line for r in read_records([corpus, gold], "paragraph")] == [2, 1]


def test_gold_is_checked_for_overlaps_and_labels(tmp_path):
    spans = [{"start": 0, "end": 2, "label": "GPE"}, {"start": 0, "end": 5, "label": "ORG"}]
    gold = write(tmp_path / "g.jsonl", "\n" + json.dumps({"source": "中国/航天局/", "spans": spans}) + "\n")
    with pytest.raises(CorpusError, match=r"g\.jsonl:2: spans \(0, 2, 'GPE'\) and \(0, 5, 'ORG'\) overlap"):
        list(read_records(gold))
    gold = write(tmp_path / "h.jsonl", json.dumps({"source": "中国/", "spans": [{"start": 0, "end": 2, "label": "COUNTRY"}]}) + "\n")
    assert [r.spans for r in read_records(gold)] == [[(0, 2, "COUNTRY")]]
    with pytest.raises(CorpusError, match=r"h\.jsonl:1: span .* has the label 'COUNTRY', which is none of the pipeline's \(GPE, ORG\)"):
        list(read_records(gold, labels={"GPE", "ORG"}))


def test_documents_longer_than_max_length_name_file_and_line(tmp_path):
    path = write(tmp_path / "c.txt", "北斗/\n" + "很/长/" * 10 + "\n")
    with pytest.raises(CorpusError, match=r"c\.txt:2: a document of 40 characters, longer than nlp.max_length \(30\)"):
        list(check_length(read_records(path), 30))
    assert len(list(check_length(read_records(path), 40))) == 2


def test_hidden_files_and_folders_are_skipped(tmp_path):
    write(tmp_path / "a.txt", "北斗/\n")
    (tmp_path / ".out.partial-1").mkdir()
    write(tmp_path / ".out.partial-1" / "b.txt", "嫦娥/\n")
    write(tmp_path / ".c.txt", "风云/\n")
    assert [r.text for r in read_records(tmp_path)] == ["北斗"]


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    out = tmp_path_factory.mktemp("converted") / "seed"
    convert(SEED, out, shard_size=30)
    return out


def test_the_reader_takes_converts_output_with_its_stored_words(converted, seed_lines):
    nlp = blank_preseg()
    vocab = spacy.blank("zh").vocab
    stored = [d for p in sorted(converted.glob("*.spacy")) for d in DocBin().from_disk(p).get_docs(vocab)]
    examples = list(PresegCorpus(converted)(nlp))
    assert len(examples) == len(seed_lines) == len(stored)
    for example, doc in zip(examples, stored):
        assert [t.text for t in example.predicted] == [t.text for t in doc]
        assert [t.text for t in example.reference] == [t.text for t in doc]
        assert [(e.start_char, e.end_char, e.label_) for e in example.reference.ents] == [
            (e.start_char, e.end_char, e.label_) for e in doc.ents
        ]
    assert not any(e.has_annotation("ENT_IOB") for e in (eg.predicted for eg in examples))
    # A single shard is a corpus too, and limit and max_length apply.
    shard = sorted(converted.glob("*.spacy"))[0]
    assert len(list(PresegCorpus(shard)(nlp))) == 30
    assert len(list(PresegCorpus(converted, limit=5)(nlp))) == 5
    assert all(len(eg.predicted) <= 10 for eg in PresegCorpus(converted, max_length=10)(nlp))


def test_the_reader_refuses_a_folder_without_its_manifest(converted, tmp_path):
    folder = tmp_path / "copy"
    folder.mkdir()
    for shard in converted.glob("*.spacy"):
        (folder / shard.name).write_bytes(shard.read_bytes())
    with pytest.raises(ShardError, match=r"copy: no _manifest.json, so this folder is not a complete output"):
        list(PresegCorpus(folder)(blank_preseg()))
    bad = write(tmp_path / "bad.spacy", b"not a docbin")
    with pytest.raises(CorpusError, match=r"bad\.spacy: not a DocBin file"):
        list(PresegCorpus(bad)(blank_preseg()))


# The word/TAG format ------------------------------------------------------------

TAGGED = (
    "19980103-01-002-001/m  新华社/nt  北京/ns  １月/t  ２日/t  电/n  江/nr  泽民/nr  会见/v  了/u  代表团/n  。/w  \n"
    "\n"
    "[国务院/nt  侨务/n  办公室/n]nt  主任/n  欧阳/nr  山尊/nr  访问/v  中国/ns  [欧洲/ns  空间局/n]nt  。/w\n"
    "李/nr  鹏/nr  乔/nr  石/nr  出席/v  ，/w  与/p  欧洲/ns  空间局/n  合作/vn\n"
)


def tagged_examples(tmp_path, **settings):
    path = write(tmp_path / "tagged.txt", TAGGED)
    return list(PresegCorpus(path, tagged=True, **settings)(blank_preseg()))


def ents(doc):
    return [(e.text, e.label_) for e in doc.ents]


def test_tagged_records_have_the_words_as_text(tmp_path):
    path = write(tmp_path / "tagged.txt", TAGGED)
    records = list(read_records(path, tagged=True))
    assert [(r.line, r.text[:8], r.tagged) for r in records] == [
        (1, "新华社北京１月２", True), (3, "国务院侨务办公室", True), (4, "李鹏乔石出席，与", True),
    ]
    (paragraph, second) = read_records(path, "paragraph", tagged=True)
    assert paragraph.text.startswith("新华社") and second.line == 3


def test_tagged_examples_keep_words_and_put_tags_on_the_reference(tmp_path):
    first = tagged_examples(tmp_path)[0]
    assert [t.text for t in first.predicted][:3] == ["新华社", "北京", "１月"]
    assert not first.predicted.has_annotation("TAG")
    assert [(t.tag_, t.pos_) for t in first.reference][:3] == [("nt", "PROPN"), ("ns", "PROPN"), ("t", "NOUN")]
    assert ents(first.reference) == [("新华社", "ORG"), ("北京", "LOC"), ("江泽民", "PERSON")]


def test_entities_from_tags_compounds_and_names(tmp_path):
    _, second, third = tagged_examples(tmp_path)
    assert ents(second.reference) == [
        ("国务院侨务办公室", "ORG"), ("欧阳山尊", "PERSON"), ("中国", "LOC"), ("欧洲空间局", "ORG"),
    ]
    assert ents(third.reference) == [("李鹏", "PERSON"), ("乔石", "PERSON"), ("欧洲", "LOC")]
    assert [(s.text, s.label_) for s in second.reference.spans["pku_brackets"]][0] == ("国务院侨务办公室", "nt")


def test_entity_tags_are_a_setting(tmp_path):
    first = tagged_examples(tmp_path, entity_tags={"ns": "GPE", "t": "DATE"})[0]
    assert ents(first.reference) == [("北京", "GPE"), ("１月", "DATE"), ("２日", "DATE")]
    none = tagged_examples(tmp_path, entity_tags={})[0]
    assert not none.reference.has_annotation("ENT_IOB")


def test_tag_entities_combine_with_preseg_entities(tmp_path):
    _, second, third = tagged_examples(tmp_path, preseg_entities=True)
    # Same span: preseg_entities' label; overlapping: the longer span, whichever gives it.
    assert ents(second.reference) == [
        ("国务院侨务办公室", "ORG"), ("欧阳山尊", "PERSON"), ("中国", "GPE"), ("欧洲空间局", "ORG"),
    ]
    assert ents(third.reference)[-1] == ("欧洲空间局", "ORG")
    assert [e.ent_id_ for e in third.reference.ents][-1] == "ESA"


def test_malformed_tagged_items_name_file_and_line(tmp_path):
    path = write(tmp_path / "bad.txt", "迈向/v  充满/v\n\n新华社/nt  北京\n")
    with pytest.raises(CorpusError, match=r"bad\.txt:3: item '北京' has no tag"):
        list(read_records(path, tagged=True))
    with pytest.raises(CorpusError, match=r"bad\.txt:3: item '北京' has no tag"):
        list(read_records(path, "paragraph", tagged=True))


def test_gold_files_keep_their_format_beside_a_tagged_corpus(tmp_path):
    gold = write(tmp_path / "g.jsonl", json.dumps({"source": "中国/与/俄罗斯/", "spans": [{"start": 0, "end": 2, "label": "GPE"}]}))
    (record,) = read_records(gold, tagged=True)
    assert (record.text, record.tagged, record.spans) == ("中国与俄罗斯", False, [(0, 2, "GPE")])


def test_a_config_sets_the_entity_tags(tmp_path):
    path = write(tmp_path / "tagged.txt", TAGGED)
    config = spacy.util.load_config_from_str(
        "[corpus]\n@readers = \"spacy_preseg.PresegCorpus.v1\"\npath = null\ntagged = true\n"
        "[corpus.entity_tags]\nnr = \"PER\"\n"
    )
    config["corpus"]["path"] = str(path)
    reader = spacy.util.registry.resolve(config)["corpus"]
    assert ents(next(iter(reader(blank_preseg()))).reference) == [("江泽民", "PER")]
