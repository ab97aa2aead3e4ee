# cython: language_level=3, boundscheck=False, wraparound=False
"""Token edges and entities read from, and entities written to, a Doc's token array.

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


def entity_chars(Doc doc):
    """[(start_char, end_char, label_, ent_id_)] of doc.ents, read as Doc.ents reads the tokens."""
    cdef int i, start = -1
    cdef attr_t label = 0
    cdef hash_t ent_id = 0
    cdef const TokenC* token
    strings = doc.vocab.strings
    found = []
    for i in range(doc.length + 1):
        token = &doc.c[i] if i < doc.length else NULL
        if token != NULL and token.ent_iob == 1:
            if start == -1:
                raise ValueError(f"token {i} is inside an entity that no token begins (ent_iob I after O)")
            continue
        if start != -1 and label != 0:
            end = doc.c[i - 1].idx + doc.c[i - 1].lex.length
            found.append((doc.c[start].idx, end, strings[label], strings[ent_id]))
        start = -1
        if token != NULL and token.ent_iob == 3 and token.ent_type != 0:
            start, label, ent_id = i, token.ent_type, token.ent_id
    return found


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

