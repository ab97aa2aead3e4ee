"""spaCy for Chinese text that arrives already segmented with "/" between words."""

from .entities import PresegEntities, make_preseg_entities
from .tokenizer import (
    PresegTokenizer,
    create_preseg_tokenizer,
    doc_source_offsets,
    read_from_segmented_text,
    source_char_span,
)

__all__ = [
    "PresegEntities",
    "PresegTokenizer",
    "create_preseg_tokenizer",
    "doc_source_offsets",
    "make_preseg_entities",
    "read_from_segmented_text",
    "source_char_span",
]
