"""annotate's output: a JSONL row per document, written as UTF-8 text."""

from typing import Any, Dict, List, Tuple

import srsly
from spacy.tokens import Doc

from .corpus import Record
from .tokenizer import doc_text, source_char_spans


def entity_rows(doc: Doc) -> Tuple[List[Dict[str, Any]], List[Dict[str, Any]]]:
    """doc.ents and doc._.subtoken_ents with ids and offsets into the source line."""
    found = [(e.start_char, e.end_char, e.label_, e.ent_id_) for e in doc.ents]
    inside = len(found)
    found.extend(tuple(entry) for entry in doc._.subtoken_ents or ())
    if not found:
        return [], []
    text = doc_text(doc)
    in_source = source_char_spans(doc, [(start, end) for start, end, _, _ in found])
    rows = [
        {
            "start": start,
            "end": end,
            "label": label,
            "id": ent_id,
            "text": text[start:end],
            "source_start": source_start,
            "source_end": source_end,
        }
        for (start, end, label, ent_id), (source_start, source_end) in zip(found, in_source)
    ]
    return rows[:inside], rows[inside:]


def annotation_row(record: Record, doc: Doc) -> Dict[str, Any]:
    ents, inside = entity_rows(doc)
    return {"file": str(record.path), "line": record.line, "text": doc_text(doc), "entities": ents, "subtoken_entities": inside}


def dumps_row(row: Dict[str, Any]) -> str:
    """One JSONL line: CJK as UTF-8 text, not \\u escapes (a quarter of the size)."""
    return srsly.ujson.dumps(row, ensure_ascii=False, escape_forward_slashes=False) + "\n"
