# cython: language_level=3, boundscheck=False, wraparound=False
"""Token edges read from, and entities written to, a Doc's token array.

preseg_entities does little work per name, so on short Docs its cost is
spaCy's per-Doc and per-Span Python work: a Token object per token to learn
where tokens start and end, a Span object per name, Doc.set_ents() and a
SpanGroup built from Spans. These functions do the same on the C structs
behind the Doc, the way spaCy's own components do.
"""

from spacy.structs cimport SpanC, TokenC
from spacy.typedefs cimport attr_t, hash_t
from spacy.tokens.doc cimport Doc
from spacy.tokens.span_group cimport SpanGroup


def token_edges(Doc doc):
    """({start char: token index}, {end char: token index + 1}, {every edge}, [every edge, in order])."""
    cdef int i, start, end, last = -1
    cdef const TokenC* token
    starts = {}
    ends = {}
    edges = set()
    ordered = []
    for i in range(doc.length):
        token = &doc.c[i]
        start = token.idx
        end = token.idx + token.lex.length
        starts[start] = i
        ends[end] = i + 1
        if start != last:
            ordered.append(start)
        ordered.append(end)
        last = end
    edges.update(ordered)
    return starts, ends, edges, ordered


def set_entities(Doc doc, list entities):
    """Doc.set_ents(entities, default="outside") for (start, end, label, id) tuples.

    The tuples hold token offsets and string-store hashes, are in text order
    and do not overlap (as resolve() gives them).
    """
    cdef int i, start, end, previous_end = 0
    cdef attr_t label_hash
    cdef hash_t id_hash
    # Check everything (and that the hashes are integers) before writing anything.
    for start, end, label, ent_id in entities:
        if start < previous_end or end <= start or end > doc.length:
            raise ValueError(f"entity tokens [{start}, {end}) overlap or leave the Doc")
        label_hash = label
        id_hash = ent_id
        previous_end = end
    for i in range(doc.length):
        doc.c[i].ent_iob = 2
        doc.c[i].ent_type = 0
    for start, end, label, ent_id in entities:
        for i in range(start, end):
            doc.c[i].ent_iob = 3 if i == start else 1
            doc.c[i].ent_type = label
            doc.c[i].ent_kb_id = 0
            doc.c[i].ent_id = ent_id


def span_group(Doc doc, str name, list spans):
    """A SpanGroup of (start, end, label, id) tuples: token offsets and hashes."""
    cdef SpanGroup group = SpanGroup(doc, name=name)
    cdef SpanC span
    cdef int start, end
    for start, end, label, span_id in spans:
        if not 0 <= start < end <= doc.length:
            raise ValueError(f"span tokens [{start}, {end}) leave the Doc")
        span.start = start
        span.end = end
        span.start_char = doc.c[start].idx
        span.end_char = doc.c[end - 1].idx + doc.c[end - 1].lex.length
        span.label = label
        span.kb_id = 0
        span.id = span_id
        group.push_back(span)
    return group

