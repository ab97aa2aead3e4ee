"""Scores against gold: doc.ents by exact character span and label, a segmentation by its word ends.

Entities: two ways to build the predicted Doc, matching spaCy's two ways:
- from the source line through the whole pipeline, tokenizer included
  (what a user of the pipeline gets);
- with ``gold_preproc``, from the reference Doc's words, skipping the
  tokenizer, as ``python -m spacy evaluate --gold-preproc`` does.
"""

from collections import Counter
from typing import Callable, Dict, Iterable, NamedTuple, Sequence, Set, Tuple

from spacy.language import Language
from spacy.tokens import Doc

from .corpus import Record, process_record, reference_doc

def predict(nlp: Language, record: Record, gold_preproc: bool = False) -> Doc:
    """The pipeline's Doc for a gold record."""
    if gold_preproc:
        reference = reference_doc(nlp, record)
        words = [t.text for t in reference]
        return nlp(Doc(nlp.vocab, words=words, spaces=[bool(t.whitespace_) for t in reference]))
    return process_record(nlp, record)


def prf(tp: int, fp: int, fn: int) -> Dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f": f, "tp": tp, "fp": fp, "fn": fn}


def score(nlp: Language, records: Iterable[Record], gold_preproc: bool = False) -> Dict[str, object]:
    """Micro and per-label precision, recall and F1 over gold records."""
    counts: Counter = Counter()
    labels: Set[str] = set()
    for record in records:
        doc = predict(nlp, record, gold_preproc)
        predicted = {(e.start_char, e.end_char, e.label_) for e in doc.ents}
        gold = set(record.spans or [])
        for span in predicted | gold:
            labels.add(span[2])
            outcome = "tp" if span in predicted and span in gold else "fp" if span in predicted else "fn"
            counts[outcome] += 1
            counts[(span[2], outcome)] += 1
    per_label = {
        label: prf(counts[(label, "tp")], counts[(label, "fp")], counts[(label, "fn")])
        for label in sorted(labels)
    }
    return {"micro": prf(counts["tp"], counts["fp"], counts["fn"]), "per_label": per_label}


# Word boundaries -----------------------------------------------------------


class Scores(NamedTuple):
    """Precision, recall and F1 of a segmentation, as fractions."""

    precision: float
    recall: float
    f1: float


def word_ends(words: Sequence[str]) -> Set[int]:
    """The character offsets at which the words end, the text's end included."""
    ends, offset = set(), 0
    for word in words:
        offset += len(word)
        ends.add(offset)
    return ends


def boundary_scores(segment: Callable[[str], Sequence[str]], sentences: Iterable[Sequence[str]]) -> Scores:
    """Score a segmenter's word ends against the gold sentences' (micro-averaged)."""
    return _segmentation_scores(segment, sentences, word_ends)


def word_scores(segment: Callable[[str], Sequence[str]], sentences: Iterable[Sequence[str]]) -> Scores:
    """Score a segmenter's words against the gold words, a word counting when both its ends are right.

    The measure of pkuseg's training log and of most segmentation papers;
    stricter than boundary_scores, since one wrong boundary costs two words.
    """
    return _segmentation_scores(segment, sentences, _word_spans)


def _word_spans(words: Sequence[str]) -> Set[Tuple[int, int]]:
    spans, offset = set(), 0
    for word in words:
        spans.add((offset, offset + len(word)))
        offset += len(word)
    return spans


def _segmentation_scores(
    segment: Callable[[str], Sequence[str]],
    sentences: Iterable[Sequence[str]],
    units: Callable[[Sequence[str]], Set],
) -> Scores:
    correct = predicted = gold = 0
    for words in sentences:
        text = "".join(words)
        found = segment(text)
        if "".join(found) != text:
            raise ValueError(f"The segmenter changed the text {text!r} into {found!r}")
        gold_units, found_units = units(words), units(found)
        correct += len(gold_units & found_units)
        predicted += len(found_units)
        gold += len(gold_units)
    scores = prf(correct, predicted - correct, gold - correct)
    return Scores(scores["p"], scores["r"], scores["f"])
