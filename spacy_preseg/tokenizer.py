"""A spaCy tokenizer that keeps the word boundaries of slash-segmented text.

Segmented text (see :mod:`spacy_preseg.segments`) becomes one token per
segment, with the delimiters removed from ``doc.text``. With ``tagged``, text
is read in the People's Daily word/TAG format (:mod:`spacy_preseg.tagged`):
a token per word with its tag and Universal POS, and the bracketed compounds
in ``doc.spans``. Text without a delimiter goes to spaCy's own Chinese
tokenizer ("char", "jieba" or "pkuseg"), which this tokenizer wraps and
serializes along with itself.
"""

from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple, Union

import srsly
from spacy import util
from spacy.lang.zh import ChineseTokenizer, Segmenter
from spacy.language import Language
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.scorer import Scorer
from spacy.tokens import Doc, Span, Token
from spacy.training import Example, validate_examples
from spacy.util import DummyTokenizer, registry
from spacy.vocab import Vocab

from .segments import (
    BOM,
    is_segmented,
    plain_text,
    source_offsets,
    span_in_source,
    spans_in_source,
    split_segments,
    validate_delimiter,
)
from .tagged import (
    BRACKETS_KEY,
    TaggedText,
    is_tagged,
    load_upos_map,
    parse_tagged,
    tagged_source_offsets,
    upos_of,
)
from .tagged_lines import write_tags

TOKENIZER_NAME = "spacy_preseg.PresegTokenizer.v1"
SOURCE_ATTR = "preseg_source"


@registry.tokenizers(TOKENIZER_NAME)
def create_preseg_tokenizer(
    delimiter: str = "/", segmenter: Segmenter = Segmenter.char, tagged: bool = False
) -> Callable[[Language], "PresegTokenizer"]:
    """Build a PresegTokenizer for a pipeline from config settings."""

    def preseg_tokenizer_factory(nlp: Language) -> "PresegTokenizer":
        return PresegTokenizer(nlp.vocab, delimiter=delimiter, segmenter=segmenter, tagged=tagged)

    return preseg_tokenizer_factory


class PresegTokenizer(DummyTokenizer):
    """Tokenize slash-segmented (or word/TAG) text by its delimiters, anything else by a fallback."""

    def __init__(
        self,
        vocab: Vocab,
        delimiter: str = "/",
        segmenter: Union[Segmenter, str] = Segmenter.char,
        tagged: bool = False,
    ) -> None:
        self.vocab = vocab
        self.delimiter = validate_delimiter(delimiter)
        self.segmenter = _segmenter_name(segmenter)
        self.tagged = _tagged_setting(tagged)
        self.fallback = ChineseTokenizer(vocab, segmenter=self.segmenter)
        self._tag_values: Dict[str, Tuple[int, int]] = {}

    def __call__(self, text: str) -> Doc:
        if not isinstance(text, str):
            raise TypeError(
                f"PresegTokenizer expects a str, got {type(text).__name__}: {text!r:.80}"
            )
        if self.tagged and is_tagged(text, self.delimiter):
            return self.tagged_doc(text)
        if self.tagged or not is_segmented(text, self.delimiter):
            if self.segmenter == Segmenter.pkuseg and self.fallback.pkuseg_seg is None:
                from .segmenter import PKUSEG_MODEL_HINT

                raise ValueError(
                    f"segmenter = 'pkuseg' needs a model for text without delimiters. {PKUSEG_MODEL_HINT}"
                )
            if not text.startswith(BOM):
                return self.fallback(text)
            # As for segmented text, the byte order mark is no part of the Doc.
            doc = self.fallback(text[1:])
            doc.user_data[_SOURCE_KEY] = [text, None]
            return doc
        words, spaces = split_segments(text, self.delimiter)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        doc.user_data[_SOURCE_KEY] = [text, self.delimiter]
        return doc

    def tagged_doc(self, text: str, parsed: Optional[TaggedText] = None) -> Doc:
        """A Doc of word/TAG items: the words, their tags and POS, the compounds as spans.

        parsed is the text's parse_tagged() where the caller has it already.
        """
        if parsed is None:
            parsed = parse_tagged(text, self.delimiter)
        doc = Doc(self.vocab, words=parsed.words, spaces=[False] * len(parsed.words))
        write_tags(doc, parsed.tags, self._tag_values, self._tag_value)
        if parsed.brackets:
            doc.spans[BRACKETS_KEY] = [Span(doc, a, b, label=tag) for a, b, tag in parsed.brackets]
        keep_source(doc, text, self.delimiter, tagged=True)
        return doc

    def _tag_value(self, tag: str) -> Tuple[int, int]:
        """(tag hash, POS id) of a tag, the tag added to the vocab's strings; cached."""
        value = (self.vocab.strings.add(tag), POS_IDS[upos_of(tag, load_upos_map())])
        self._tag_values[tag] = value
        return value

    def initialize(
        self,
        get_examples: Optional[Callable[[], Iterable[Example]]] = None,
        *,
        nlp: Optional[Language] = None,
        pkuseg_model: Optional[Union[str, Path]] = None,
        pkuseg_user_dict: Optional[str] = "default",
    ) -> None:
        """Load the fallback's pkuseg model: the settings of spaCy's [initialize.tokenizer].

        pkuseg_model is a directory written by ``python -m spacy_preseg
        train-segmenter`` (or any spacy-pkuseg model directory). For
        pkuseg_user_dict, "default" is the dictionary the model ships with (a
        train-segmenter model's user_dict.txt and no general dictionary; for
        other pkuseg models pkuseg's general dictionary, as spaCy does), None
        no dictionary, a path that file alone. Only the "pkuseg" segmenter
        uses these settings; the others ignore them.
        """
        if self.segmenter != Segmenter.pkuseg:
            return
        from .segmenter import load_segmenter  # spacy_pkuseg is imported only when used

        self.fallback.pkuseg_seg = load_segmenter(pkuseg_model, pkuseg_user_dict)

    def _load_fallback(self, load: Callable[[], Any]) -> None:
        """Deserialize the fallback; spaCy rebuilds its pkuseg model as spacy-pkuseg's own segmenter."""
        load()
        if self.fallback.pkuseg_seg is not None:
            from .segmenter import PkusegSegmenter

            self.fallback.pkuseg_seg = PkusegSegmenter.of(self.fallback.pkuseg_seg)

    def score(self, examples: Iterable[Example]) -> Dict[str, Any]:
        validate_examples(examples, "PresegTokenizer.score")
        return Scorer.score_tokenization(examples)

    def _get_config(self) -> Dict[str, Any]:
        return {"delimiter": self.delimiter, "segmenter": self.segmenter, "tagged": self.tagged}

    def _set_config(self, config: Dict[str, Any]) -> None:
        self.delimiter = validate_delimiter(config.get("delimiter", "/"))
        self.tagged = _tagged_setting(config.get("tagged", False))
        self._tag_values = {}  # the vocab's strings may have been reloaded
        segmenter = _segmenter_name(config.get("segmenter", Segmenter.char))
        if segmenter != self.segmenter:
            self.segmenter = segmenter
            self.fallback = ChineseTokenizer(self.vocab, segmenter=segmenter)

    def to_bytes(self, *, exclude: Iterable[str] = tuple()) -> bytes:
        serializers = {
            "cfg": lambda: srsly.json_dumps(self._get_config()),
            "fallback": lambda: self.fallback.to_bytes(),
        }
        return util.to_bytes(serializers, exclude)

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = tuple()) -> "PresegTokenizer":
        deserializers = {
            "cfg": lambda b: self._set_config(srsly.json_loads(b)),
            "fallback": lambda b: self._load_fallback(lambda: self.fallback.from_bytes(b)),
        }
        util.from_bytes(data, deserializers, exclude)
        return self

    def to_disk(self, path: Union[str, Path], *, exclude: Iterable[str] = tuple()) -> None:
        path = util.ensure_path(path)
        serializers = {
            "cfg": lambda p: srsly.write_json(p, self._get_config()),
            "fallback": lambda p: self.fallback.to_disk(p),
        }
        util.to_disk(path, serializers, exclude)

    def from_disk(
        self, path: Union[str, Path], *, exclude: Iterable[str] = tuple()
    ) -> "PresegTokenizer":
        path = util.ensure_path(path)
        deserializers = {
            "cfg": lambda p: self._set_config(srsly.read_json(p)),
            "fallback": lambda p: self._load_fallback(lambda: self.fallback.from_disk(p)),
        }
        util.from_disk(path, deserializers, exclude)
        return self


def _segmenter_name(segmenter: Union[Segmenter, str]) -> str:
    name = segmenter.value if isinstance(segmenter, Segmenter) else segmenter
    if name not in Segmenter.values():
        raise ValueError(
            f"Unknown segmenter {name!r}: use one of {', '.join(Segmenter.values())}."
        )
    return name


def _tagged_setting(tagged: Any) -> bool:
    if not isinstance(tagged, bool):
        raise ValueError(f"tagged must be true or false, got {tagged!r}")
    return tagged


# Offsets back into the source --------------------------------------------

# user_data holds [source, delimiter] (delimiter None: plain text), and
# [source, delimiter, TAGGED_FORMAT] for text read in the word/TAG format.
_SOURCE_KEY = ("._.", SOURCE_ATTR, None, None)
TAGGED_FORMAT = "tagged"


def keep_source(doc: Doc, source: str, delimiter: Optional[str], tagged: bool = False) -> None:
    """Keep the text a Doc was read from in doc.user_data, for offsets into it."""
    doc.user_data[_SOURCE_KEY] = [source, delimiter, TAGGED_FORMAT] if tagged else [source, delimiter]


def read_from_segmented_text(doc: Doc) -> bool:
    """True when the Doc was made by PresegTokenizer from segmented text."""
    stored = doc.user_data.get(_SOURCE_KEY)
    return stored is not None and stored[1] is not None


def doc_text(doc: Doc) -> str:
    """doc.text, taken from the tokenizer's input where that is cheaper than joining tokens."""
    stored = doc.user_data.get(_SOURCE_KEY)
    return doc.text if stored is None or len(stored) > 2 else plain_text(*stored)


def doc_source_offsets(doc: Doc) -> Tuple[List[int], List[int]]:
    """(starts, ends): where every character of doc.text stands in the tokenizer's input.

    doc.text[i:j] comes from input[starts[i]:ends[j - 1]]. Docs that were
    not read from segmented text map to themselves. The input is kept in
    ``doc.user_data`` and so survives DocBin (with ``store_user_data=True``),
    pickling and retokenization.
    """
    stored = doc.user_data.get(_SOURCE_KEY)
    if stored is None:
        n = len(doc.text)
        return list(range(n)), list(range(1, n + 1))
    if len(stored) > 2:
        return tagged_source_offsets(stored[0], stored[1])
    source, delimiter = stored
    return source_offsets(source, delimiter)


def source_char_span(doc: Doc, start_char: int, end_char: int) -> Tuple[int, int]:
    """The [start, end) offsets in the input of doc.text[start_char:end_char]."""
    if _SOURCE_KEY not in doc.user_data:
        return start_char, end_char
    return span_in_source(doc_source_offsets(doc), start_char, end_char)


def source_char_spans(doc: Doc, spans: Iterable[Tuple[int, int]]) -> List[Tuple[int, int]]:
    """source_char_span() for several (start_char, end_char) spans of one Doc."""
    stored = doc.user_data.get(_SOURCE_KEY)
    if stored is None:
        return [(start, end) for start, end in spans]
    if len(stored) > 2:  # the tagged format: through the offsets of every character
        offsets = doc_source_offsets(doc)
        return [span_in_source(offsets, start, end) for start, end in spans]
    return spans_in_source(stored[0], stored[1], spans)


def _token_source_span(token: Token) -> Tuple[int, int]:
    return source_char_span(token.doc, token.idx, token.idx + len(token))


def _span_source_span(span: Span) -> Tuple[int, int]:
    return source_char_span(span.doc, span.start_char, span.end_char)


def register_extensions() -> None:
    """Register the Doc, Token and Span attributes that point back into the source."""
    if not Doc.has_extension(SOURCE_ATTR):
        Doc.set_extension(SOURCE_ATTR, default=None)
    if not Token.has_extension("source_span"):
        Token.set_extension("source_span", getter=_token_source_span)
    if not Span.has_extension("source_span"):
        Span.set_extension("source_span", getter=_span_source_span)


register_extensions()
