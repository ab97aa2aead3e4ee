"""preseg_entities: a rule-based ruler for countries, organizations and missions.

    nlp = spacy.blank("zh")
    nlp.add_pipe("preseg_entities")

Names are matched on the characters of the text and aligned to the tokens
(see :mod:`spacy_preseg.matcher`), so patterns match the same way whatever
the tokenizer and survive ``to_disk``/``spacy.load`` unchanged.

What a Doc gets:
- ``doc.ents``: the longest names that do not overlap (existing entities are
  kept unless ``overwrite_ents``); every entity has its normalized id in
  ``ent.ent_id_`` (ISO 3166-1 alpha-2 for GPE, acronym or English name for
  ORG, English name with the number normalized for MISSION).
- ``doc.spans[spans_key]``: every name found, nested ones included.
- ``doc._.subtoken_ents``: names that do not start and end on token
  boundaries (中 and 俄 in the token 中俄), as ``[start_char, end_char,
  label, id]``. With ``split_tokens = true`` such tokens are split instead
  and the names become entities.
"""

import warnings
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, Iterator, List, NamedTuple, Optional, Set, Tuple, Union

import spacy
import srsly
from spacy import util
from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.scorer import get_ner_prf
from spacy.tokens import Doc, Span
from spacy.training import Example, validate_examples
from spacy.util import registry

from .dictionary_words import cut_into_characters
from .doc_arrays import set_entities, span_group, token_edges
from .gazetteer import (
    LABELS,
    PatternError,
    load_gazetteer,
    load_rule_words,
    read_patterns,
    validate_patterns,
)
from .matcher import Candidate, NameMatcher, resolve
from .tokenizer import TOKENIZER_NAME, doc_text, read_from_segmented_text

SUBTOKEN_ATTR = "subtoken_ents"
CHUNK_SIZE = 32  # Docs per step of pipe(); see PresegEntities.pipe
DISPLACY_COLORS = {"GPE": "#feca74", "ORG": "#7aecec", "MISSION": "#c7a4ff"}
TOKENIZER_HINT = (
    f'use the tokenizer "{TOKENIZER_NAME}" ([nlp.tokenizer] @tokenizers = "{TOKENIZER_NAME}" '
    f'in a config, or spacy.blank("zh", config={{"nlp": {{"tokenizer": {{"@tokenizers": '
    f'"{TOKENIZER_NAME}"}}}}}}))'
)


def rule_pipeline(*, split_tokens: bool = False, char: bool = False, delimiter: str = "/") -> Language:
    """spacy.blank("zh") with the preseg tokenizer (or spaCy's "char" one) and preseg_entities."""
    tokenizer = {} if char else {"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME, "delimiter": delimiter}}}
    nlp = spacy.blank("zh", config=tokenizer)
    nlp.add_pipe("preseg_entities", config={"split_tokens": split_tokens})
    return nlp


class UnsplitDelimiterWarning(UserWarning):
    """Segmented text reached the component through a tokenizer that kept the "/"."""


@registry.scorers("spacy_preseg.entities_scorer.v1")
def make_entities_scorer() -> Callable[..., Dict[str, Any]]:
    return score_entities


def score_entities(examples: Iterable[Example], **kwargs: Any) -> Dict[str, Any]:
    """ents_p/r/f and ents_per_type, as spaCy's NER scorer reports them."""
    validate_examples(examples, "PresegEntities.score")
    return get_ner_prf(examples)


@Language.factory(
    "preseg_entities",
    assigns=["doc.ents", "token.ent_type", "token.ent_iob", "doc.spans"],
    default_config={
        "use_gazetteer": True,
        "label_map": {},
        "overwrite_ents": False,
        "split_tokens": False,
        "spans_key": "preseg_entities",
        "scorer": {"@scorers": "spacy_preseg.entities_scorer.v1"},
    },
    default_score_weights={
        "ents_f": 1.0,
        "ents_p": 0.0,
        "ents_r": 0.0,
        "ents_per_type": None,
    },
)
def make_preseg_entities(
    nlp: Language,
    name: str,
    use_gazetteer: bool,
    label_map: Dict[str, str],
    overwrite_ents: bool,
    split_tokens: bool,
    spans_key: Optional[str],
    scorer: Optional[Callable],
) -> "PresegEntities":
    return PresegEntities(
        nlp.vocab,
        name,
        use_gazetteer=use_gazetteer,
        label_map=label_map,
        overwrite_ents=overwrite_ents,
        split_tokens=split_tokens,
        spans_key=spans_key,
        scorer=scorer,
    )


class PresegEntities(Pipe):
    """Find GPE, ORG and MISSION names with the shipped gazetteers, rules and user patterns."""

    def __init__(
        self,
        vocab,
        name: str = "preseg_entities",
        *,
        use_gazetteer: bool = True,
        label_map: Optional[Dict[str, str]] = None,
        overwrite_ents: bool = False,
        split_tokens: bool = False,
        spans_key: Optional[str] = "preseg_entities",
        scorer: Optional[Callable] = score_entities,
    ) -> None:
        self.vocab = vocab
        self.name = name
        self.use_gazetteer = use_gazetteer
        self.label_map = _check_label_map(label_map or {})
        self.overwrite = overwrite_ents
        self.split_tokens = split_tokens
        self.spans_key = spans_key
        self.scorer = scorer
        self.user_patterns: List[Dict[str, Any]] = []
        self._warned = False
        self._build_matcher()

    def _build_matcher(self) -> None:
        shipped = load_gazetteer() if self.use_gazetteer else []
        self.matcher = NameMatcher(shipped, self.user_patterns, load_rule_words())

    # Patterns ------------------------------------------------------------

    @property
    def patterns(self) -> List[Dict[str, Any]]:
        """The patterns added by the user (the shipped gazetteers are not listed)."""
        return [dict(p) for p in self.user_patterns]

    @property
    def labels(self) -> Tuple[str, ...]:
        labels = set(LABELS) if self.use_gazetteer else set()
        labels.update(p["label"] for p in self.user_patterns)
        return tuple(sorted(self.label_map.get(label, label) for label in labels))

    def add_patterns(self, patterns: Iterable[Dict[str, Any]]) -> None:
        """Add phrase patterns ({"label", "pattern", "id"}), matched on the text."""
        self.user_patterns.extend(validate_patterns(patterns, "add_patterns()"))
        self._build_matcher()

    def clear(self) -> None:
        """Remove the user's patterns; the shipped gazetteers stay."""
        self.user_patterns = []
        self._build_matcher()

    def initialize(
        self,
        get_examples: Optional[Callable[[], Iterable[Example]]] = None,
        *,
        nlp: Optional[Language] = None,
        patterns: Optional[Iterable[Dict[str, Any]]] = None,
        patterns_path: Optional[Union[str, Path]] = None,
    ) -> None:
        """Set the user's patterns: from [initialize.components.preseg_entities].

        patterns takes a list or any iterable (srsly.read_jsonl.v1 gives a
        generator, which a Sequence annotation would make spaCy's settings
        validation refuse), patterns_path a JSONL file whose errors are
        reported with its line.
        """
        new = validate_patterns(patterns or [], "initialize(patterns)")
        if patterns_path is not None:
            new.extend(read_patterns(patterns_path))
        self.user_patterns = new
        self._build_matcher()

    # Annotation ----------------------------------------------------------

    def __call__(self, doc: Doc) -> Doc:
        error_handler = self.get_error_handler()
        try:
            self._annotate([doc])
            return doc
        except Exception as e:
            return error_handler(self.name, self, [doc], e)

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        """Annotate Docs in chunks of CHUNK_SIZE, whatever batch_size says.

        Each step runs over the whole chunk before the next starts, so the
        matcher's data stays in the CPU cache instead of being pushed out by
        the tokenizer's between Docs: about a third faster on Docs of a line.
        """
        error_handler = self.get_error_handler()
        for docs in util.minibatch(stream, size=CHUNK_SIZE):
            try:
                self._annotate(docs)
            except Exception:
                # Again a Doc at a time, so that only the Docs at fault reach the
                # error handler (as with EntityRuler), not their whole chunk.
                for doc in docs:
                    try:
                        self._annotate([doc])
                    except Exception as e:
                        error_handler(self.name, self, [doc], e)
                    else:
                        yield doc
            else:
                yield from docs

    def _annotate(self, docs: List[Doc]) -> None:
        for doc, matches in zip(docs, self.match_docs(docs)):
            self.set_annotations(doc, matches)

    def match(self, doc: Doc) -> "Matches":
        """Every name found in a Doc, and the non-overlapping ones that become entities."""
        return self.match_docs([doc])[0]

    def match_docs(self, docs: List[Doc]) -> List["Matches"]:
        """match() for several Docs, a step at a time over all of them."""
        texts = [doc_text(doc) for doc in docs]
        for doc, text in zip(docs, texts):
            self._warn_if_unsplit(doc, text)
        edges = [token_edges(doc) for doc in docs]
        find = self.matcher.find
        found = [
            find(text, *self._rule_edges(doc, text, bounds, ordered)) if bounds else []
            for doc, text, (_, _, bounds, ordered) in zip(docs, texts, edges)
        ]
        winners = [resolve(names) for names in found]
        return [Matches(f, w, starts, ends) for f, w, (starts, ends, _, _) in zip(found, winners, edges)]

    def _rule_edges(self, doc: Doc, text: str, bounds: Set[int], ordered: List[int]) -> Tuple[Set[int], List[int], bool]:
        """The edges the rules read: the tokens', or the words' where a tokenizer other than
        the preseg one on segmented text made each character a token."""
        if not cut_into_characters(text, bounds) or read_from_segmented_text(doc):
            return bounds, ordered, False
        words = self.matcher.word_edges(text)
        return set(words), words, True

    def set_annotations(self, doc: Doc, matches: "Matches") -> None:
        found, winners, starts, ends = matches
        existing = list(doc.ents)
        if existing:
            winners = self._respect_existing(doc, existing, winners)
        if self.split_tokens and _split_at(doc, winners, starts, ends):
            starts, ends, _, _ = token_edges(doc)
        named = self._on_token_edges(doc, found, starts, ends)
        entities = []
        subtoken = []
        for cand in winners:
            entity = named.get((cand.start, cand.end, cand.label))
            if entity is not None:
                entities.append(entity)
            else:
                subtoken.append([cand.start, cand.end, self.label_map.get(cand.label, cand.label), cand.id])
        if existing:
            new_entities = [Span(doc, start, end, label=label, span_id=id_) for start, end, label, id_ in entities]
            doc.ents = sorted([*doc.ents, *new_entities])
        else:
            set_entities(doc, entities)
        doc.user_data[_SUBTOKEN_KEY] = subtoken
        if self.spans_key:
            doc.spans[self.spans_key] = span_group(doc, self.spans_key, sorted(named.values()))

    def _on_token_edges(
        self, doc: Doc, found: List[Candidate], starts: Dict[int, int], ends: Dict[int, int]
    ) -> Dict[Tuple[int, int, str], Tuple[int, int, int, int]]:
        """The names on token edges as (start token, end token, label, id) tuples,
        by (start char, end char, label). Where several candidates give the same
        name, the lowest rank's id: the candidate resolve() keeps."""
        best: Dict[Tuple[int, int, str], Candidate] = {}
        for cand in found:
            key = (cand.start, cand.end, cand.label)
            if cand.start in starts and cand.end in ends and (key not in best or cand.rank < best[key].rank):
                best[key] = cand
        add = doc.vocab.strings.add  # where doc.ents and doc.spans look labels up
        label_map = self.label_map
        return {
            key: (starts[c.start], ends[c.end], add(label_map.get(c.label, c.label)), add(c.id))
            for key, c in best.items()
        }

    def _respect_existing(self, doc: Doc, ents: List[Span], winners: List[Candidate]) -> List[Candidate]:
        """Like EntityRuler: names that overlap an entity the Doc has are dropped,
        or with overwrite_ents the entities are."""

        if self.overwrite:
            named = {i for c in winners for i in range(c.start, c.end)}
            doc.ents = [e for e in ents if named.isdisjoint(range(e.start_char, e.end_char))]
            return winners
        taken = {i for e in ents for i in range(e.start_char, e.end_char)}
        return [c for c in winners if taken.isdisjoint(range(c.start, c.end))]

    def _warn_if_unsplit(self, doc: Doc, text: str) -> None:
        if self._warned or read_from_segmented_text(doc):
            return
        count = text.count("/")
        if count >= 2 and count * 10 >= len(text):
            self._warned = True
            warnings.warn(
                f"{self.name}: doc.text still holds {count} '/' delimiters, so the "
                "text looks pre-segmented but the tokenizer did not split it and "
                f"names across the delimiters are missed; {TOKENIZER_HINT}.",
                UnsplitDelimiterWarning,
                stacklevel=3,
            )

    # Serialization -------------------------------------------------------

    def to_bytes(self, *, exclude: Iterable[str] = tuple()) -> bytes:
        serializers = {"patterns": lambda: srsly.msgpack_dumps(self.user_patterns)}
        return util.to_bytes(serializers, exclude)

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = tuple()) -> "PresegEntities":
        deserializers = {"patterns": lambda b: self._load_patterns(srsly.msgpack_loads(b))}
        util.from_bytes(data, deserializers, exclude)
        return self

    def to_disk(self, path: Union[str, Path], *, exclude: Iterable[str] = tuple()) -> None:
        path = util.ensure_path(path)
        serializers = {"patterns.jsonl": lambda p: srsly.write_jsonl(p, self.user_patterns)}
        util.to_disk(path, serializers, exclude)

    def from_disk(self, path: Union[str, Path], *, exclude: Iterable[str] = tuple()) -> "PresegEntities":
        path = util.ensure_path(path)
        deserializers = {"patterns.jsonl": lambda p: self._load_patterns(read_patterns(p))}
        util.from_disk(path, deserializers, exclude)
        return self

    def _load_patterns(self, patterns: List[Dict[str, Any]]) -> None:
        self.user_patterns = validate_patterns(patterns, "stored patterns")
        self._build_matcher()


def _check_label_map(label_map: Dict[str, str]) -> Dict[str, str]:
    for label, new in label_map.items():
        if label not in LABELS:
            raise PatternError(
                f"label_map: unknown label {label!r}; the labels that can be "
                f"renamed are {', '.join(LABELS)}"
            )
        if not isinstance(new, str) or not new.strip():
            raise PatternError(f"label_map: {label!r} must map to a non-empty label, got {new!r}")
    return dict(label_map)


class Matches(NamedTuple):
    """What match_docs() found for a Doc: all names, the winners, and token starts/ends by character offset."""

    found: List[Candidate]
    winners: List[Candidate]
    starts: Dict[int, int]
    ends: Dict[int, int]


def _split_at(doc: Doc, winners: List[Candidate], starts: Dict[int, int], ends: Dict[int, int]) -> bool:
    """Split tokens at the edges of names that fall inside them (中俄 → 中 + 俄)."""
    cuts: Dict[int, set] = {}
    for cand in winners:
        for edge in (cand.start, cand.end):
            if edge not in starts and edge not in ends:
                token = max((i for offset, i in starts.items() if offset < edge), default=None)
                if token is not None:
                    cuts.setdefault(token, set()).add(edge - doc[token].idx)
    if not cuts:
        return False
    with doc.retokenize() as retokenizer:
        for i, offsets in cuts.items():
            token = doc[i]
            edges = [0, *sorted(offsets), len(token.text)]
            orths = [token.text[a:b] for a, b in zip(edges, edges[1:])]
            heads = [(token, k) for k in range(len(orths))]
            retokenizer.split(token, orths, heads=heads)
    return True


_SUBTOKEN_KEY = ("._.", SUBTOKEN_ATTR, None, None)
if not Doc.has_extension(SUBTOKEN_ATTR):
    Doc.set_extension(SUBTOKEN_ATTR, default=None)
