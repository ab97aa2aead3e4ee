"""spaCy for Chinese text that arrives already segmented with "/" between words."""

from .corpus import PresegCorpus, create_preseg_corpus
from .entities import PresegEntities, make_preseg_entities
from .tokenizer import (
    PresegTokenizer,
    create_preseg_tokenizer,
    doc_source_offsets,
    read_from_segmented_text,
    source_char_span,
)

__all__ = [
    "PresegCorpus",
    "create_preseg_corpus",
    "PresegEntities",
    "PresegTokenizer",
    "create_preseg_tokenizer",
    "doc_source_offsets",
    "make_preseg_entities",
    "read_from_segmented_text",
    "source_char_span",
]
