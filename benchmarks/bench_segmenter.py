"""Segmenter quality and speed: the corpus-trained pkuseg model against "char".

    python benchmarks/bench_segmenter.py [--iterations 20] [--repeats 3]

Trains a model on the seed as `python -m spacy_preseg train-segmenter` does
with its defaults (held-out share 0.1, seed 0, the gazetteer's names as user
dictionary), then scores on the same held-out lines:

- char:            one character a word (spaCy's "char" segmenter);
- pkuseg:          the model alone;
- pkuseg + names:  the model with its user dictionary (what load_segmenter
                   and the CLI's scores use);
- pkuseg + general: the model with pkuseg's general dictionary instead, which
                   is what spaCy's ChineseTokenizer loads by default.

P/R/F1 are over word ends (spacy_preseg.segmenter.boundary_scores). "ents
kept" counts the gold entities of the held-out lines (seeds/*.gold.jsonl)
whose both edges are word boundaries, so that a pipeline can label them
without splitting a token; the gazetteer was curated with the seed in view,
so this column flatters the names. tokens/s is held-out gold words per second
through spaCy's ChineseTokenizer (Docs made, one per held-out text), "char"
being spaCy's default and the others its "pkuseg" segmenter holding each
variant; best of --repeats, the variants taking turns, each timing at least
0.2 s of repeated passes; "x char" is the speed relative to char, measured
in the same run.
"""

import argparse
import tempfile
import time
from pathlib import Path

import spacy
import spacy_pkuseg
import srsly

from _common import ROOT, SEED, print_table, time_variants
from spacy_preseg.segmenter import (
    boundary_scores,
    load_segmenter,
    read_corpus,
    split_held_out,
    train_segmenter,
    word_ends,
)

GOLD = ROOT / "seeds" / "000_548318905ead5a0d.gold.jsonl"
MIN_SECONDS = 0.2


def entities_kept(segment, sentences, gold_spans):
    """(kept, total) gold entities whose edges are word boundaries of the segmentation."""
    kept = total = 0
    for words in sentences:
        text = "".join(words)
        bounds = word_ends(segment(text)) | {0}
        for span in gold_spans.get(text, []):
            total += 1
            kept += span["start"] in bounds and span["end"] in bounds
    return kept, total


def spacy_tokenizer(segmenter):
    """spaCy's ChineseTokenizer: "char" for list, else "pkuseg" holding the segmenter."""
    if segmenter is list:
        return spacy.blank("zh").tokenizer
    tokenizer = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "pkuseg"}}}).tokenizer
    tokenizer.pkuseg_seg = segmenter
    return tokenizer


def passes_for(tokenizer, texts):
    """How many passes over the texts take at least MIN_SECONDS, from one timed pass."""
    start = time.perf_counter()
    for text in texts:
        tokenizer(text)
    once = max(time.perf_counter() - start, 1e-6)
    return max(1, int(MIN_SECONDS / once) + 1)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--iterations", type=int, default=20, help="training iterations (default 20, as the CLI)")
    parser.add_argument("--repeats", type=int, default=3, help="time each variant this many times, keep the best")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        model_dir = Path(tmp) / "segmenter"
        train_segmenter([SEED], model_dir, iterations=args.iterations, progress=lambda message: None)
        _, held_out = split_held_out(read_corpus([SEED]))  # the CLI's split
        n_names = len((model_dir / "user_dict.txt").read_text(encoding="utf-8").split())
        segmenters = {
            "char": list,
            "pkuseg": load_segmenter(model_dir, user_dict=None),
            "pkuseg + names": load_segmenter(model_dir),
            "pkuseg + general": spacy_pkuseg.pkuseg(str(model_dir)),
        }
    variants = {name: getattr(seg, "cut", seg) for name, seg in segmenters.items()}
    tokenizers = {name: spacy_tokenizer(seg) for name, seg in segmenters.items()}

    texts = ["".join(words) for words in held_out]
    n_tokens = sum(len(words) for words in held_out)
    gold_spans = {row["text"]: row["spans"] for row in srsly.read_jsonl(GOLD)}
    passes = {name: passes_for(tokenizer, texts) for name, tokenizer in tokenizers.items()}

    def run(tokenizer, n):
        return lambda: sum(len(tokenizer(text)) for _ in range(n) for text in texts)

    timed = time_variants(
        {name: run(tokenizer, passes[name]) for name, tokenizer in tokenizers.items()},
        args.repeats,
        lambda tokens: tokens,
    )
    speed = {name: n_tokens * passes[name] / seconds for name, (seconds, _) in timed.items()}

    print(
        f"seed: {len(held_out)} held-out lines, {n_tokens} words, {sum(map(len, texts))} characters; "
        f"{args.iterations} iterations; user dictionary of {n_names} names"
    )
    rows = []
    for name, segment in variants.items():
        p, r, f = boundary_scores(segment, held_out)
        kept, total = entities_kept(segment, held_out, gold_spans)
        rows.append([name, p, r, f, f"{kept}/{total}", speed[name], f"{speed[name] / speed['char']:.3f}"])
    print_table(["segmenter", "P", "R", "F1", "ents kept", "tokens/s", "x char"], rows)


if __name__ == "__main__":
    main()
