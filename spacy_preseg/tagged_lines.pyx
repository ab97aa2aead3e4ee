# cython: language_level=3, boundscheck=False, wraparound=False
"""Lines of word/TAG items scanned, and tags and POS written to a Doc's token array.

Almost every line of a tagged corpus is a plain run of items on one line,
without brackets or a document id. Read in Python (a pattern or a split per
item) and tagged with spaCy's Doc(tags=..., pos=...), such a line costs more
than twice what a slash-segmented line of the same words does; here the scan
of the items and the writing of the tags cost little beside making the Doc
itself. Anything else, and every malformed item, is left to the Python reader
of spacy_preseg.tagged, which reads all of the format and names what is wrong.
"""

from cpython.unicode cimport Py_UNICODE_ISSPACE
from spacy.parts_of_speech cimport univ_pos_t
from spacy.tokens.doc cimport Doc
from spacy.typedefs cimport attr_t
from spacy.vocab cimport Vocab


def scan_plain_line(str text, str delimiter):
    """(words, tags, starts) of a line of plain word/TAG items, or None when the line needs parse_tagged.

    A plain line has items separated by spaces or tabs, each with a non-empty
    word and tag, no "[" or "]", no other whitespace, no byte order mark, and
    does not start with an ASCII digit (as a document id does).
    """
    cdef Py_ssize_t n = len(text), dlen = len(delimiter), i = 0, start, last
    cdef Py_UCS4 c, first
    if n == 0 or dlen == 0:
        return None
    first = delimiter[0]
    c = text[0]
    if c == 0xFEFF or (c >= 48 and c <= 57):
        return None
    words = []
    tags = []
    starts = []
    while i < n:
        c = text[i]
        if c == 32 or c == 9:
            i += 1
            continue
        start = i
        last = -1
        while i < n:
            c = text[i]
            if c == 32 or c == 9:
                break
            if c == 91 or c == 93 or Py_UNICODE_ISSPACE(c):  # "[", "]", line breaks and the like
                return None
            if c == first and (dlen == 1 or text.startswith(delimiter, i)):
                last = i
            i += 1
        if last <= start or last + dlen >= i:
            return None
        words.append(text[start:last])
        tags.append(text[last + dlen:i])
        starts.append(start)
    return words, tags, starts


def write_tags(Doc doc, list tags, dict tag_values, tag_value):
    """Set the tag and POS of every token of doc to those of tags (one per token).

    tag_values maps a tag to (tag hash, POS id); tag_value(tag) makes and
    stores the entry of a tag not in it yet.
    """
    cdef int k
    if len(tags) != doc.length:
        raise ValueError(f"{len(tags)} tags for {doc.length} tokens")
    for k in range(doc.length):
        value = tag_values.get(tags[k])
        if value is None:
            value = tag_value(tags[k])
        doc.c[k].tag = <attr_t>value[0]
        doc.c[k].pos = <univ_pos_t>value[1]
