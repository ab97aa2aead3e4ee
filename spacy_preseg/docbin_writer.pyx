# cython: language_level=3, boundscheck=False, wraparound=False
"""DocBin files written from Docs' C structs: what DocBin.add stores, without its cost.

DocBin.add costs more than the pipeline that makes a short Doc: it reads
nine strings per token through Token objects, and makes up to three
``srsly.msgpack_dumps`` calls (user_data, the SpanGroups, each group), each
of which builds a new msgpack Packer whose encoders come from a
``catalogue`` registry scan (hundreds of microseconds a call once spaCy is
imported, whatever the payload). DocBinWriter reads the token attributes
from the token array into one buffer, collects strings by hash (a string is
looked up once per writer), and packs user_data and span groups with one
long-lived Packer of the same settings. ``to_docbin()`` is the DocBin that
DocBin.add would have filled, field for field; ``to_bytes()`` is the
message of its DocBin.to_bytes(), compressed at zlib's fastest level
(DocBin uses level 6, which takes longer than annotating the Docs it
compresses, for a quarter less size); DocBin.from_bytes reads either.
``write(file)`` streams that message through zlib a field at a time, so
writing a shard needs no copy of it beside the writer's buffers.
Encoders registered with srsly after the writer was made are not seen by it.
"""

import io
import struct
import zlib

import numpy
import srsly
from spacy.tokens import DocBin
from spacy.tokens._dict_proxies import SpanGroups

from cpython.buffer cimport PyBUF_READ
from libc.stdint cimport uint8_t
from libcpp.unordered_set cimport unordered_set
from libcpp.vector cimport vector
from spacy.attrs cimport attr_id_t
from spacy.structs cimport SpanC, TokenC
from spacy.tokens.doc cimport Doc, get_token_attr
from spacy.tokens.span_group cimport SpanGroup
from spacy.typedefs cimport attr_t, hash_t


cdef extern from "Python.h":
    object PyMemoryView_FromMemory(char* mem, Py_ssize_t size, int flags)

SPAN = struct.Struct(">QQQllll")  # as SpanGroup.to_bytes packs a span


cdef class DocBinWriter:
    """Add Docs as DocBin(attrs, store_user_data).add does; write them with ``to_disk(path)``."""

    cdef readonly list attrs
    cdef readonly bint store_user_data
    cdef readonly set strings
    cdef object version
    cdef object pack
    cdef vector[attr_id_t] attr_ids
    cdef vector[attr_t] tokens
    cdef vector[uint8_t] spaces
    cdef list lengths, cats, flags, user_data, span_groups
    cdef unordered_set[hash_t] seen  # string hashes whose string is in strings
    cdef unordered_set[hash_t] seen_morph
    cdef bint seen_empty  # the string of hash 0, "", is in strings
    cdef unordered_set[hash_t] seen_span_ids  # kb_id / id hashes of spans, found in the vocab

    def __init__(self, attrs=None, store_user_data=False):
        template = DocBin(store_user_data=store_user_data) if attrs is None else DocBin(attrs, store_user_data)
        self.attrs = list(template.attrs)  # validated and ordered as DocBin orders them
        self.version = template.version
        self.store_user_data = store_user_data
        for attr in self.attrs:
            self.attr_ids.push_back(attr)
        self.strings = set()
        self.lengths, self.cats, self.flags, self.user_data, self.span_groups = [], [], [], [], []
        # srsly.msgpack_dumps(x) is srsly.msgpack.Packer(use_bin_type=True).pack(x).
        self.pack = srsly.msgpack.Packer(use_bin_type=True).pack

    def __len__(self):
        return len(self.lengths)

    def add(self, Doc doc):
        """Store the Doc's annotations, as DocBin.add(doc) does."""
        cdef int i, j, n = doc.length, width = self.attr_ids.size()
        cdef size_t start = self.spaces.size()
        self.tokens.resize((start + n) * width)
        self.spaces.resize(start + n)
        cdef attr_t* row = self.tokens.data() + start * width
        cdef const attr_id_t* ids = self.attr_ids.data()
        for i in range(n):
            for j in range(width):
                row[j] = get_token_attr(&doc.c[i], ids[j])
            row += width
            self.spaces[start + i] = doc.c[i].spacy
        self.lengths.append(n)
        self.flags.append({"has_unknown_spaces": doc.has_unknown_spaces})
        self._add_token_strings(doc)
        self.cats.append(doc.cats)
        if self.store_user_data:
            self.user_data.append(self.pack(doc.user_data))
        self.span_groups.append(self._span_groups(doc))

    cdef void _add_token_strings(self, Doc doc) except *:
        """The strings DocBin.add takes from each token: text, tag_, lemma_, norm_, str(morph),
        dep_, ent_type_, ent_kb_id_, ent_id_."""
        cdef int i, k
        cdef const TokenC* token
        cdef hash_t keys[8]
        cdef hash_t key, last = 0, last_morph = 0
        cdef bint first_morph = True
        strings = doc.vocab.strings
        for i in range(doc.length):
            token = &doc.c[i]
            keys[:] = [
                token.lex.orth, token.tag, token.lemma, token.norm if token.norm != 0 else token.lex.norm,
                token.dep, token.ent_type, token.ent_kb_id, token.ent_id,
            ]
            for k in range(8):
                key = keys[k]
                # Most are 0 (no tag, lemma, parse, entity) or repeat the one before
                # (norm = orth): no set look-up for those.
                if key == 0:
                    if not self.seen_empty:
                        self._add(strings, 0)
                        self.seen_empty = True
                elif key != last:
                    if self.seen.count(key) == 0:
                        self._add(strings, key)
                    last = key
            if first_morph or token.morph != last_morph:
                if self.seen_morph.count(token.morph) == 0:
                    morph = strings[token.morph]
                    self.strings.add("" if morph == "_" else morph)
                    self.seen_morph.insert(token.morph)
                last_morph = token.morph
                first_morph = False

    cdef inline void _add(self, strings, hash_t key) except *:
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
                if self.seen.count(span.label) == 0:
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

    # Output ----------------------------------------------------------------

    cdef object _view(self, void* data, Py_ssize_t size):
        """A read-only memoryview of the writer's own buffer, valid until the writer changes."""
        return PyMemoryView_FromMemory(<char*>data, size, PyBUF_READ)

    cdef tuple _buffers(self):
        """The tokens' attributes (uint64, a row per token) and spaces (a byte per token), as views."""
        tokens = self._view(self.tokens.data(), self.tokens.size() * sizeof(attr_t))
        spaces = self._view(self.spaces.data(), self.spaces.size())
        return tokens, spaces

    def to_docbin(self):
        """The DocBin that DocBin.add would have filled with the same Docs."""
        docbin = DocBin(self.attrs, self.store_user_data)
        tokens, spaces = self._buffers()
        tokens = numpy.frombuffer(bytes(tokens), dtype=numpy.uint64).reshape((-1, len(self.attrs)))
        spaces = numpy.frombuffer(bytes(spaces), dtype=bool).reshape((-1, 1))
        edges = numpy.cumsum([0] + self.lengths)
        docbin.tokens = [tokens[a:b] for a, b in zip(edges, edges[1:])]
        docbin.spaces = [spaces[a:b] for a, b in zip(edges, edges[1:])]
        docbin.strings = set(self.strings)
        docbin.cats = list(self.cats)
        docbin.flags = list(self.flags)
        docbin.span_groups = list(self.span_groups)
        docbin.user_data = list(self.user_data)
        return docbin

    def write(self, out, int level=1):
        """Write to_bytes(level) to out (anything with write(bytes)), packed and compressed field by
        field: the tokens go to zlib from the writer's own buffer, and no copy of the whole
        message, packed or compressed, is ever made."""
        tokens, spaces = self._buffers()
        fields = [
            ("version", self.version),
            ("attrs", self.attrs),
            ("tokens", tokens),
            ("spaces", spaces),
            ("lengths", numpy.asarray(self.lengths, dtype="int32").tobytes("C")),
            ("strings", sorted(self.strings)),
            ("cats", self.cats),
            ("flags", self.flags),
            ("span_groups", self.span_groups),
        ]
        if self.store_user_data:
            fields.append(("user_data", self.user_data))
        zipped = zlib.compressobj(level)
        packer = srsly.msgpack.Packer(use_bin_type=True)
        out.write(zipped.compress(packer.pack_map_header(len(fields))))
        for key, value in fields:
            out.write(zipped.compress(packer.pack(key)))
            if isinstance(value, memoryview):
                out.write(zipped.compress(_bin_header(len(value))))
                out.write(zipped.compress(value))
            else:
                out.write(zipped.compress(packer.pack(value)))
        out.write(zipped.flush())

    def to_bytes(self, int level=1):
        """DocBin.to_bytes() of to_docbin(): the same message, compressed at the given zlib level."""
        out = io.BytesIO()
        self.write(out, level)
        return out.getvalue()

    def to_disk(self, path, int level=1):
        with open(path, "wb") as f:
            self.write(f, level)


def _bin_header(Py_ssize_t size):
    """The msgpack header of a bin of size bytes, as a Packer writes it (bin 8, 16 or 32)."""
    if size < 0x100:
        return struct.pack(">BB", 0xC4, size)
    if size < 0x10000:
        return struct.pack(">BH", 0xC5, size)
    return struct.pack(">BI", 0xC6, size)
