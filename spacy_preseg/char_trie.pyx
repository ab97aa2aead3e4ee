# cython: language_level=3, boundscheck=False, wraparound=False
"""A character trie for the listed names, walked from given start offsets.

Names may only start where a token starts, so instead of scanning every
character of a text (as an Aho-Corasick automaton does), the trie is walked
from each token edge and stops at the first character no name continues
with: a step or two per token on ordinary text.
"""

from cython.operator cimport dereference as deref
from libc.stdint cimport uint8_t, uint64_t
from libc.string cimport memset
from libcpp.unordered_map cimport unordered_map

# A bit per hashed step: most walks end at their first character, and a
# small bit table answers "no name goes on with this" without touching the
# (larger, slower) hash map.
cdef enum:
    FILTER_BYTES = 8192  # a bit for each 16-bit slot


cdef inline uint64_t _filter_slot(uint64_t step) nogil:
    return (step * <uint64_t>0x9E3779B97F4A7C15) >> 48


cdef class CharTrie:
    """Keys (strings) with values; finds the keys a text holds at given offsets."""

    cdef unordered_map[uint64_t, Py_ssize_t] children  # (node << 32 | character) -> node
    cdef uint8_t[FILTER_BYTES] may_step  # set where some step hashes to the bit
    cdef list values  # a node's value, None where no key ends
    cdef list items

    def __init__(self, items):
        """items: (key, value) pairs; a later value for the same key replaces the earlier."""
        self.values = [None]
        self.items = list(items)
        memset(self.may_step, 0, sizeof(self.may_step))
        for key, value in self.items:
            self._add(key, value)

    cdef void _add(self, str key, object value):
        cdef Py_ssize_t node = 0
        cdef uint64_t step, slot
        cdef Py_UCS4 character
        cdef unordered_map[uint64_t, Py_ssize_t].iterator found
        if not key:
            raise ValueError("CharTrie: empty key")
        for character in key:
            step = (<uint64_t>node << 32) | <uint64_t>character
            slot = _filter_slot(step)
            self.may_step[slot >> 3] |= 1 << (slot & 7)
            found = self.children.find(step)
            if found == self.children.end():
                self.children[step] = len(self.values)
                self.values.append(None)
            node = self.children[step]
        self.values[node] = value

    def __reduce__(self):
        return (CharTrie, (self.items,))

    def prefixes(self, str text, starts):
        """[(start, end, value)] for every key that is text[start:end], start in starts."""
        cdef Py_ssize_t length = len(text)
        cdef Py_ssize_t start, i, node
        cdef uint64_t step, slot
        cdef unordered_map[uint64_t, Py_ssize_t].iterator found
        hits = []
        for start in starts:
            if start < 0:
                continue
            node = 0
            i = start
            while i < length:
                step = (<uint64_t>node << 32) | <uint64_t><Py_UCS4>text[i]
                slot = _filter_slot(step)
                if not self.may_step[slot >> 3] & (1 << (slot & 7)):
                    break
                found = self.children.find(step)
                if found == self.children.end():
                    break
                node = deref(found).second
                i += 1
                value = self.values[node]
                if value is not None:
                    hits.append((start, i, value))
        return hits
