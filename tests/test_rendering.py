import re

from spacy_preseg.entities import rule_pipeline
from spacy_preseg.rendering import entity_spans, render_page

from .conftest import run_cli


def test_entities_inside_tokens_are_drawn_and_striped():
    doc = rule_pipeline()("推动/中美/关系/，/与/欧洲/空间局/合作/")
    spans = entity_spans(doc, {"GPE": "#feca74", "ORG": "#7aecec"})
    assert [(s["start"], s["end"], s["label"], s["params"]["kind"]) for s in spans] == [
        (2, 3, "GPE", " inside"), (3, 4, "GPE", " inside"), (8, 13, "ORG", ""),
    ]
    assert "repeating-linear-gradient" in spans[0]["params"]["bg"]
    html = render_page([(doc, "c.txt:1")], ["GPE", "MISSION", "ORG"])
    marks = re.findall(r'<mark class="entity( inside)?" title="([^"]*)"[^>]*>(.*?)<span', html, re.S)
    assert [(inside, title, text.strip()) for inside, title, text in marks] == [
        (" inside", "GPE CN (inside a token)", "中"),
        (" inside", "GPE US (inside a token)", "美"),
        ("", "ORG ESA", "欧洲空间局"),
    ]


def test_the_page_has_a_legend_a_charset_and_chinese_fonts():
    doc = rule_pipeline()("与/俄罗斯/合作/")
    html = render_page([(doc, "c.txt:7")], ["GPE", "MISSION", "ORG"])
    assert '<meta charset="utf-8">' in html and '<html lang="zh">' in html
    assert "Noto Sans CJK SC" in html
    legend = re.search(r'<div class="legend">(.*?)</div>', html, re.S).group(1)
    assert re.findall(r"<mark[^>]*>(\w+)</mark> (\w+)", legend)[:3] == [("GPE", "countries"), ("MISSION", "missions"), ("ORG", "organizations")]
    assert "#c7a4ff" in legend  # MISSION's color, registered through spacy_displacy_colors
    assert '<div class="where">c.txt:7</div>' in html


def test_render_names_each_document_by_file_and_line(tmp_path):
    corpus = tmp_path / "c.txt"
    corpus.write_text("利用/中俄/航天/合作/\n\n与/欧洲/空间局/\n", encoding="utf8")
    result = run_cli("render", corpus, tmp_path / "c.html")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "c.html").read_text(encoding="utf8")
    assert re.findall(r'<div class="where">([^<]*)</div>', html) == [f"{corpus}:1", f"{corpus}:3"]
    assert html.split('<div class="doc">', 1)[1].count('class="entity inside"') == 2
