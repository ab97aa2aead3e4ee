"""Annotation formats: entities written for annotation tools, and their files read back as gold.

One JSON object a line in every format, offsets in characters of ``text``
(the source without its delimiters):

- ``gold``, the package's own (as in ``seeds/``):
  ``{"line": 2, "source": "中国/与/…", "text": "中国与…", "spans": [{"start": 0, "end": 2, "label": "GPE", "text": "中国"}]}``
- ``prodigy``, tasks for Prodigy's ``ner.manual`` (interface ``ner_manual``):
  ``{"text", "tokens": [{"text", "start", "end", "id", "ws"}], "spans": [{"start", "end",
  "token_start", "token_end", "label"}], "meta": {"file", "line"}, "source"}``, where
  ``token_end`` is inclusive. Tasks that Prodigy exports with an ``"answer"`` other
  than ``"accept"`` are not gold and are left out.
- ``doccano``, its sequence-labeling JSONL: ``{"text", "label": [[start, end, "LABEL"]],
  "source", "file", "line"}`` (the extra keys are kept by doccano as metadata);
  exports with ``"entities": [{"start_offset", "end_offset", "label"}]`` are read too.

``source`` carries the corpus's words through the annotation tool and back; a
Prodigy task without it takes its words from ``tokens``, other objects without
it are plain text. ``line`` counts from 1, as everywhere in the package.

Gold is checked here once for every command: spans must fit the text, start
and end on a non-space character, carry a label (one of the pipeline's, when
the reader knows them) and not overlap (the annotation is flat,
docs/ANNOTATION.md).
"""

from dataclasses import dataclass
from typing import Any, Callable, Collection, Dict, List, Optional, Tuple

from spacy.tokens import Doc

from .doc_arrays import entity_chars
from .segments import is_segmented, join_segments, plain_text, split_words
from .textfiles import CorpusError
from .tokenizer import doc_text, source_char_spans

FORMATS = ("preseg", "gold", "prodigy", "doccano")
Span3 = Tuple[int, int, str]


@dataclass
class GoldTask:
    """What a line of a gold file says: the text, how it is segmented, its spans, whether it was accepted."""

    source: str
    text: str
    segmented: bool
    spans: List[Span3]
    accepted: bool = True


# Reading ---------------------------------------------------------------------


def read_task(obj: Any, where: str, delimiter: str = "/", labels: Optional[Collection[str]] = None) -> GoldTask:
    """Parse and check one object of a gold file in any of the formats; errors start with where."""
    if not isinstance(obj, dict) or not isinstance(obj.get("text", obj.get("source")), str):
        raise CorpusError(f"{where}: expected an object with a 'text' or 'source' string")
    source, segmented, text = _read_text(obj, where, delimiter)
    span_keys = [key for key in ("spans", "label", "labels", "entities") if key in obj]
    if len(span_keys) > 1:
        raise CorpusError(f"{where}: holds both {span_keys[0]!r} and {span_keys[1]!r}; give the spans once")
    raw = obj.get(span_keys[0]) if span_keys else None
    if raw is None:
        raw = []
    if not isinstance(raw, list):
        raise CorpusError(f"{where}: {span_keys[0]!r} must be a list, got {raw!r:.80}")
    tokens = obj.get("tokens")
    spans = sorted(_read_span(span, text, tokens, where, labels) for span in raw)
    for a, b in zip(spans, spans[1:]):
        if b[0] < a[1]:
            raise CorpusError(f"{where}: spans {a} and {b} overlap; gold annotation is flat (docs/ANNOTATION.md)")
    answer = obj.get("answer", "accept")
    return GoldTask(source, text, segmented, spans, accepted=answer == "accept")


def _read_text(obj: Dict[str, Any], where: str, delimiter: str) -> Tuple[str, bool, str]:
    source = obj.get("source")
    if source is None and isinstance(obj.get("tokens"), list):
        source = _source_from_tokens(obj["tokens"], where, delimiter)
        if "text" in obj and plain_text(source, delimiter) != obj["text"]:
            raise CorpusError(f"{where}: 'tokens' do not make up 'text'")
    if source is None:  # plain text, read as written
        return obj["text"], False, obj["text"]
    if not isinstance(source, str):
        raise CorpusError(f"{where}: 'source' must be a string")
    segmented = is_segmented(source, delimiter)
    text = plain_text(source, delimiter) if segmented else source
    if "text" in obj and obj["text"] != text:
        raise CorpusError(f"{where}: 'text' is not 'source' without its delimiters")
    return source, segmented, text


def _source_from_tokens(tokens: List[Any], where: str, delimiter: str) -> str:
    """A Prodigy task's tokens as a segmented text ("ws" defaults to true, as in Prodigy)."""
    if not all(isinstance(t, dict) and isinstance(t.get("text"), str) and t["text"] for t in tokens):
        raise CorpusError(f"{where}: every token must be an object with a non-empty 'text'")
    return join_segments([t["text"] for t in tokens], [bool(t.get("ws", True)) for t in tokens], delimiter)


def _read_span(
    span: Any, text: str, tokens: Optional[List[Any]], where: str, labels: Optional[Collection[str]]
) -> Span3:
    if isinstance(span, dict) and "start_offset" in span:  # doccano's "entities"
        start, end, label = span.get("start_offset"), span.get("end_offset"), span.get("label")
    elif isinstance(span, dict):
        start, end, label = span.get("start"), span.get("end"), span.get("label")
    elif isinstance(span, list) and len(span) == 3:  # doccano's [start, end, label]
        start, end, label = span
    else:
        raise CorpusError(f"{where}: a span must be an object or [start, end, label], got {span!r}")
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
        raise CorpusError(f"{where}: span {span!r} does not fit a text of {len(text)} characters")
    if not isinstance(label, str) or not label:
        raise CorpusError(f"{where}: span {span!r} has no label")
    if labels is not None and label not in labels:
        known = ", ".join(sorted(labels))
        raise CorpusError(f"{where}: span {span!r} has the label {label!r}, which is none of the pipeline's ({known})")
    if isinstance(span, dict) and "text" in span and text[start:end] != span["text"]:
        raise CorpusError(f"{where}: span {span!r} covers {text[start:end]!r}, not {span['text']!r}")
    if text[start].isspace() or text[end - 1].isspace():
        raise CorpusError(f"{where}: span {span!r} starts or ends with whitespace")
    if isinstance(span, dict) and "token_start" in span and tokens is not None:
        _check_token_span(span, start, end, tokens, where)
    return (start, end, label)


def _check_token_span(span: Dict[str, Any], start: int, end: int, tokens: List[Any], where: str) -> None:
    first, last = span.get("token_start"), span.get("token_end")
    try:
        fits = tokens[first]["start"] == start and tokens[last]["end"] == end
    except (IndexError, KeyError, TypeError):
        fits = False
    if not fits:
        raise CorpusError(f"{where}: span {span!r}: its token_start and token_end do not match its start and end")


# Writing ---------------------------------------------------------------------

Entity = Tuple[int, int, str, str]


def flat_entities(doc: Doc) -> List[Entity]:
    """doc.ents and the entities inside tokens (doc._.subtoken_ents), sorted and not overlapping.

    This is what gold holds: 中 and 美 of the token 中美 are GPE spans of their own.
    """
    ents = entity_chars(doc)
    taken = [(s, e) for s, e, _, _ in ents]
    for start, end, label, ent_id in subtoken_entities(doc):
        if all(end <= s or start >= e for s, e in taken):
            ents.append((start, end, label, ent_id))
    return sorted(ents)


def subtoken_entities(doc: Doc) -> List[Entity]:
    if not Doc.has_extension("subtoken_ents"):
        return []
    return [tuple(entry) for entry in (doc._.subtoken_ents or [])]  # type: ignore[misc]


def preseg_row(doc: Doc, file: str, line: int, source: Optional[str]) -> Dict[str, Any]:
    """annotate's own rows: entities with ids and offsets into the source line, and those inside tokens."""
    text = doc_text(doc)  # doc.text, without a Token object per token
    ents = entity_chars(doc)  # doc.ents, without a Span object each
    found = ents + subtoken_entities(doc)
    in_source = source_char_spans(doc, [(start, end) for start, end, _, _ in found])  # one mapping per Doc
    rows = [
        {"start": start, "end": end, "label": label, "id": ent_id, "text": text[start:end],
         "source_start": source_start, "source_end": source_end}
        for (start, end, label, ent_id), (source_start, source_end) in zip(found, in_source)
    ]
    return {"file": file, "line": line, "text": text, "entities": rows[: len(ents)], "subtoken_entities": rows[len(ents) :]}


def gold_row(doc: Doc, file: str, line: int, source: Optional[str]) -> Dict[str, Any]:
    text = doc.text
    row: Dict[str, Any] = {"file": file, "line": line}
    if source is not None:
        row["source"] = source
    row["text"] = text
    row["spans"] = [{"start": s, "end": e, "label": label, "text": text[s:e]} for s, e, label, _ in flat_entities(doc)]
    return row


def prodigy_task(doc: Doc, file: str, line: int, source: Optional[str]) -> Dict[str, Any]:
    """A ner_manual task whose tokens are the Doc's, split where an entity edge falls inside one."""
    ents = flat_entities(doc)
    words, spaces = split_words([t.text for t in doc], [bool(t.whitespace_) for t in doc],
                                [edge for s, e, _, _ in ents for edge in (s, e)])
    tokens = []
    first_token: Dict[int, int] = {}
    last_token: Dict[int, int] = {}
    pos = 0
    for i, (word, space) in enumerate(zip(words, spaces)):
        tokens.append({"text": word, "start": pos, "end": pos + len(word), "id": i, "ws": space})
        first_token[pos] = i
        last_token[pos + len(word)] = i
        pos += len(word) + space
    spans = [{"start": s, "end": e, "token_start": first_token[s], "token_end": last_token[e], "label": label}
             for s, e, label, _ in ents]
    task: Dict[str, Any] = {"text": doc.text, "tokens": tokens, "spans": spans, "meta": {"file": file, "line": line}}
    if source is not None:
        task["source"] = source
    return task


def doccano_row(doc: Doc, file: str, line: int, source: Optional[str]) -> Dict[str, Any]:
    row: Dict[str, Any] = {"text": doc.text, "label": [[s, e, label] for s, e, label, _ in flat_entities(doc)]}
    if source is not None:
        row["source"] = source
    row.update(file=file, line=line)
    return row


WRITERS: Dict[str, Callable[[Doc, str, int, Optional[str]], Dict[str, Any]]] = {
    "preseg": preseg_row,
    "gold": gold_row,
    "prodigy": prodigy_task,
    "doccano": doccano_row,
}


def writer(name: str) -> Callable[[Doc, str, int, Optional[str]], Dict[str, Any]]:
    if name not in WRITERS:
        raise ValueError(f"--format must be one of {', '.join(FORMATS)}, got {name!r}")
    return WRITERS[name]
