"""A displaCy page of a corpus's entities, with a legend and the entities inside tokens.

displaCy's "ent" style draws doc.ents only, so a name inside a corpus token
(中 and 美 of 中美, in doc._.subtoken_ents) would be invisible. Here both are
drawn from character offsets (displaCy's manual mode), the ones inside a
token striped; each entity's id is its tooltip. The page declares UTF-8 and
Chinese fonts, which the reader's machine must have (Noto Sans CJK, for one).
"""

from html import escape
from typing import Dict, Iterable, List, Sequence, Tuple

from spacy import displacy
from spacy.displacy.render import EntityRenderer
from spacy.tokens import Doc

from .annotation_formats import subtoken_entities

LABEL_NOTES = {
    "GPE": "countries",
    "ORG": "organizations",
    "MISSION": "missions, spacecraft, space systems",
}
FONTS = "'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', 'WenQuanYi Micro Hei', sans-serif"
ENTITY = (
    '<mark class="entity{kind}" title="{tooltip}" style="background: {bg}; padding: 0.3em 0.45em; margin: 0 0.15em; '
    'line-height: 1; border-radius: 0.35em;">{text}<span style="font-size: 0.7em; font-weight: bold; '
    'line-height: 1; vertical-align: middle; margin-left: 0.35rem">{label}{kb_link}</span></mark>'
)
STYLE = """
body { font-family: %s; font-size: 18px; padding: 2rem; color: #222; }
.legend { display: flex; flex-wrap: wrap; gap: 0.6rem 1.4rem; align-items: center; padding: 0.8rem 1rem;
          border: 1px solid #ddd; border-radius: 0.5rem; margin-bottom: 1.5rem; font-size: 15px; }
.legend mark { padding: 0.25em 0.5em; border-radius: 0.35em; font-weight: bold; font-size: 0.85em; }
.entity.inside { outline: 2px dashed #555; outline-offset: -2px; }
.doc { margin-bottom: 1.2rem; }
.where { color: #888; font-size: 12px; font-family: monospace; }
"""
STRIPES = "repeating-linear-gradient(135deg, {bg}, {bg} 5px, #ffffff 5px, #ffffff 8px)"


def entity_spans(doc: Doc, colors: Dict[str, str]) -> List[Dict[str, object]]:
    """displaCy's manual spans: doc.ents, then the sub-token entities that overlap none of them."""
    spans = []
    taken: List[Tuple[int, int]] = []
    for ent in doc.ents:
        spans.append(_span(ent.start_char, ent.end_char, ent.label_, ent.ent_id_, False, colors))
        taken.append((ent.start_char, ent.end_char))
    for start, end, label, ent_id in subtoken_entities(doc):
        if all(end <= s or start >= e for s, e in taken):
            spans.append(_span(start, end, label, ent_id, True, colors))
    return sorted(spans, key=lambda span: span["start"])  # type: ignore[arg-type,return-value]


def _span(start: int, end: int, label: str, ent_id: str, inside: bool, colors: Dict[str, str]) -> Dict[str, object]:
    tooltip = f"{label} {ent_id}" + (" (inside a token)" if inside else "")
    params = {"kind": " inside" if inside else "", "tooltip": escape(tooltip)}
    if inside:
        params["bg"] = STRIPES.format(bg=colors.get(label.upper(), "#ddd"))
    return {"start": start, "end": end, "label": label, "params": params}


def legend(labels: Iterable[str], colors: Dict[str, str]) -> str:
    items = []
    for label in labels:
        bg = colors.get(label.upper(), "#ddd")
        note = LABEL_NOTES.get(label, "")
        items.append(f'<span><mark style="background: {bg}">{escape(label)}</mark> {escape(note)}</span>')
    stripes = STRIPES.format(bg="#bbb")
    items.append(
        f'<span><mark class="entity inside" style="background: {stripes}">中</mark> striped: '
        "an entity inside a corpus token (doc._.subtoken_ents), e.g. 中 and 美 of 中美</span>"
    )
    items.append("<span>hover an entity for its id</span>")
    return '<div class="legend">' + "".join(items) + "</div>"


def render_page(docs: Sequence[Tuple[Doc, str]], labels: Iterable[str] = ()) -> str:
    """A whole HTML page: the legend (labels, then any others found), and every Doc under its title (file:line)."""
    colors = EntityRenderer().colors  # displaCy's defaults and the registered spacy_displacy_colors
    options = {"template": ENTITY, "colors": colors}
    shown = list(dict.fromkeys([*labels, *(e.label_ for doc, _ in docs for e in doc.ents)]))
    parts = []
    for doc, title in docs:
        data = {"text": doc.text, "ents": entity_spans(doc, colors), "title": None}
        markup = displacy.render(data, style="ent", manual=True, options=options, jupyter=False)
        parts.append(f'<div class="doc"><div class="where">{escape(title)}</div>{markup}</div>')
    return (
        '<!DOCTYPE html>\n<html lang="zh">\n<head>\n<meta charset="utf-8">\n'
        f"<title>spacy-preseg entities</title>\n<style>{STYLE % FONTS}</style>\n</head>\n<body>\n"
        + legend(shown, colors)
        + "\n".join(parts)
        + "\n</body>\n</html>\n"
    )
