import spacy

from spacy_preseg.lexical import create_chinese_suffix

from .conftest import run_python


def test_suffix_is_the_last_character():
    nlp = spacy.blank("zh")
    assert nlp.vocab["现代化"].suffix_ == "现代化"
    nlp = create_chinese_suffix()(spacy.blank("zh"))
    assert [nlp.vocab[w].suffix_ for w in ("现代化", "们", "ＧＤＰ")] == ["化", "们", "Ｐ"]
    assert nlp.vocab["现代化"].prefix_ == "现"


def test_registered_through_entry_points():
    code = (
        "import spacy\n"
        "config = {'nlp': {'after_creation': {'@callbacks': 'spacy_preseg.chinese_suffix.v1'}}}\n"
        "nlp = spacy.blank('zh', config=config)\n"
        "print(nlp.vocab['现代化'].suffix_)\n"
    )
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "化"
