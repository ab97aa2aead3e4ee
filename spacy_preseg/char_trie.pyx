# cython: language_level=3, boundscheck=False, wraparound=False
"""A character trie for the listed names, walked from given start offsets.

Names may only start where a token starts, so instead of scanning every
character of a text (as an Aho-Corasick automaton does), the trie is walked
from each token edge and stops at the first character no name continues
with: a step or two per token on ordinary text.
"""

from libc.stdint cimport int32_t, uint8_t, uint64_t
from libc.string cimport memset
from libcpp.vector cimport vector

cdef enum:
    FILTER_BYTES = 8192  # a bit for each 16-bit slot


cdef inline uint64_t _mix(uint64_t step) nogil:
    return step * <uint64_t>0x9E3779B97F4A7C15


cdef class CharTrie:
    """Keys (strings) with values; finds the keys a text holds at given offsets.

    A step from a node by a character is the number node << 32 | character.
    The steps live in one open-addressing table (a cache miss per step at
    most), and a bit table of 8 KB answers most "no name goes on with this"
    questions, the usual end of a walk, without touching it.
    """

    cdef vector[uint64_t] steps  # a slot's step + 1, 0 where the slot is empty
    cdef vector[int32_t] targets  # the node a slot's step leads to
    cdef uint64_t mask
    cdef uint8_t[FILTER_BYTES] may_step  # set where some step's filter bit is
    cdef list values  # a node's value, None where no key ends
    cdef list items

    def __init__(self, items):
        """items: (key, value) pairs; a later value for the same key replaces the earlier."""
        items = list(items)
        values = [None]
        children = {}
        for key, value in items:
            if not isinstance(key, str) or not key:
                raise ValueError(f"CharTrie: keys must be non-empty strings, got {key!r}")
            node = 0
            for character in key:
                step = (node << 32) | ord(character)
                if step not in children:
                    children[step] = len(values)
                    values.append(None)
                node = children[step]
            values[node] = value
        # Only a complete trie replaces the current one: table and values agree.
        self._fill_table(children)
        self.items = items
        self.values = values

    cdef void _fill_table(self, dict children):
        cdef uint64_t size = 16
        cdef uint64_t step, mixed, slot
        while size < 2 * len(children):
            size *= 2
        self.mask = size - 1
        self.steps.assign(size, 0)
        self.targets.assign(size, 0)
        memset(self.may_step, 0, sizeof(self.may_step))
        for key, node in children.items():
            step = key
            mixed = _mix(step)
            self.may_step[mixed >> 51] |= 1 << ((mixed >> 48) & 7)
            slot = (mixed >> 20) & self.mask
            while self.steps[slot] != 0:
                slot = (slot + 1) & self.mask
            self.steps[slot] = step + 1
            self.targets[slot] = node

    cdef inline Py_ssize_t _child(self, Py_ssize_t node, Py_UCS4 character) nogil:
        """The node a step leads to, -1 where there is none."""
        cdef uint64_t step = (<uint64_t>node << 32) | <uint64_t>character
        cdef uint64_t mixed = _mix(step)
        cdef uint64_t slot = (mixed >> 20) & self.mask
        if not self.may_step[mixed >> 51] & (1 << ((mixed >> 48) & 7)):
            return -1
        while self.steps[slot] != 0:
            if self.steps[slot] == step + 1:
                return self.targets[slot]
            slot = (slot + 1) & self.mask
        return -1

    def __reduce__(self):
        return (CharTrie, (self.items,))

    def prefixes(self, str text, starts):
        """[(start, end, value)] for every key that is text[start:end], start in starts."""
        cdef Py_ssize_t length = len(text)
        cdef Py_ssize_t start, i, node
        hits = []
        for start in starts:
            if start < 0:
                continue
            node = 0
            i = start
            while i < length:
                node = self._child(node, text[i])
                if node < 0:
                    break
                i += 1
                value = self.values[node]
                if value is not None:
                    hits.append((start, i, value))
        return hits
