# cython: language_level=3, boundscheck=False, wraparound=False
"""DocBin fields built from a Doc's C structs, the bytes that DocBin.add would store.

DocBin.add costs far more than the pipeline that makes a short Doc: it
reads nine strings per token through Token objects, and makes up to three
``srsly.msgpack_dumps`` calls (user_data, the SpanGroups, each group), each
of which builds a new msgpack Packer whose encoders come from a
``catalogue`` registry scan (hundreds of microseconds a call once spaCy is
imported, whatever the payload). DocBinWriter fills the same DocBin fields
from the token array, collects strings by hash (a string is looked up once
per writer), and packs user_data and span groups with one long-lived
Packer of the same settings, so the file that DocBin.to_disk writes is
byte for byte the one DocBin.add would give. Encoders registered with
srsly after the writer was made are not seen by it.
"""

import struct

import numpy
import srsly
from spacy.attrs import SPACY
from spacy.tokens import DocBin
from spacy.tokens._dict_proxies import SpanGroups

from libcpp.unordered_set cimport unordered_set
from spacy.structs cimport SpanC, TokenC
from spacy.tokens.doc cimport Doc
from spacy.tokens.span_group cimport SpanGroup
from spacy.typedefs cimport hash_t

SPAN = struct.Struct(">QQQllll")  # as SpanGroup.to_bytes packs a span


cdef class DocBinWriter:
    """Add Docs as DocBin.add does; write them with ``writer.docbin.to_disk(path)``."""

    cdef readonly object docbin
    cdef object pack
    cdef object strings
    cdef list attrs
    cdef bint store_user_data
    cdef unordered_set[hash_t] seen  # string hashes whose string is in docbin.strings
    cdef unordered_set[hash_t] seen_morph
    cdef unordered_set[hash_t] seen_span_ids  # kb_id / id hashes of spans, found in the vocab

    def __init__(self, attrs=None, store_user_data=False):
        self.docbin = DocBin(store_user_data=store_user_data) if attrs is None else DocBin(attrs, store_user_data)
        self.attrs = list(self.docbin.attrs) + [SPACY]
        self.store_user_data = store_user_data
        self.strings = self.docbin.strings
        # srsly.msgpack_dumps(x) is srsly.msgpack.Packer(use_bin_type=True).pack(x).
        self.pack = srsly.msgpack.Packer(use_bin_type=True).pack

    def __len__(self):
        return len(self.docbin)

    def add(self, Doc doc):
        """Store the Doc's annotations, as DocBin(store_user_data=...).add(doc) does."""
        docbin = self.docbin
        array = doc.to_array(self.attrs)
        if array.ndim == 1:
            array = array.reshape((array.shape[0], 1))
        docbin.tokens.append(numpy.ascontiguousarray(array[:, :-1]))
        docbin.spaces.append(numpy.asarray(array[:, -1:], dtype=bool))
        docbin.flags.append({"has_unknown_spaces": doc.has_unknown_spaces})
        self._add_token_strings(doc)
        docbin.cats.append(doc.cats)
        if self.store_user_data:
            docbin.user_data.append(self.pack(doc.user_data))
        docbin.span_groups.append(self._span_groups(doc))

    cdef void _add_token_strings(self, Doc doc) except *:
        cdef int i
        cdef const TokenC* token
        strings = doc.vocab.strings
        for i in range(doc.length):
            token = &doc.c[i]
            self._add(strings, token.lex.orth)
            self._add(strings, token.tag)
            self._add(strings, token.lemma)
            self._add(strings, token.norm if token.norm != 0 else token.lex.norm)
            self._add(strings, token.dep)
            self._add(strings, token.ent_type)
            self._add(strings, token.ent_kb_id)
            self._add(strings, token.ent_id)
            if self.seen_morph.count(token.morph) == 0:
                morph = strings[token.morph]
                self.strings.add("" if morph == "_" else morph)  # str(token.morph)
                self.seen_morph.insert(token.morph)

    cdef inline void _add(self, strings, hash_t key) except *:
        if self.seen.count(key) == 0:
            self.strings.add(strings[key])
            self.seen.insert(key)

    cdef bytes _span_groups(self, Doc doc):
        """doc.spans.to_bytes(), and the strings DocBin.add takes from the spans."""
        cdef SpanGroup group
        cdef SpanC span
        cdef size_t i
        if len(doc.spans) == 0:
            return SpanGroups._EMPTY_BYTES
        strings = doc.vocab.strings
        msg = {}
        for key, group in doc.spans.items():
            spans = []
            for i in range(group.c.size()):
                span = group.c[i]
                self._add(strings, span.label)
                self._add_span_id(strings, span.kb_id)
                self._add_span_id(strings, span.id)
                spans.append(SPAN.pack(span.id, span.kb_id, span.label, span.start, span.end, span.start_char, span.end_char))
            packed = self.pack({"name": group.name, "attrs": group.attrs, "spans": spans})
            msg.setdefault(packed, []).append(key)
        return self.pack(msg)

    cdef inline void _add_span_id(self, strings, hash_t key) except *:
        # DocBin.add stores a span's kb_id_ and id_ only when the vocab knows them.
        if self.seen_span_ids.count(key) == 0 and key in strings:
            self.strings.add(strings[key])
            self.seen_span_ids.insert(key)
