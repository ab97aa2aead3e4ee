from types import SimpleNamespace

from spacy_preseg.progress import corpus_progress, count_lines


def test_count_lines(tmp_path):
    path = tmp_path / "c.txt"
    for text, lines in (("", 0), ("a\n", 1), ("a\nb", 2), ("a\n\n", 2)):
        path.write_text(text, encoding="utf8")
        assert count_lines(path) == lines


def test_progress_shows_lines_of_the_total(tmp_path, capsys):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("x\n" * 30, encoding="utf8")
    b.write_text("y\n" * 10, encoding="utf8")
    records = [SimpleNamespace(path=a, line=i) for i in range(1, 31)] + [SimpleNamespace(path=b, line=i) for i in range(1, 11)]
    assert list(corpus_progress(iter(records), [a, b], "reading", enabled=True)) == records
    err = capsys.readouterr().err
    assert "reading" in err and "100%" in err and "40.0/40.0" in err
    assert list(corpus_progress(iter(records), [a, b], "reading", enabled=False)) == records
    assert capsys.readouterr().err == ""
