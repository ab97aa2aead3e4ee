"""Strict scoring of doc.ents against gold spans: exact character span and label.

Two ways to build the predicted Doc, matching spaCy's two ways:
- from the source line through the whole pipeline, tokenizer included
  (what a user of the pipeline gets);
- with ``gold_preproc``, from the reference Doc's words, skipping the
  tokenizer, as ``python -m spacy evaluate --gold-preproc`` does.
"""

from collections import Counter
from typing import Dict, Iterable, Set

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
