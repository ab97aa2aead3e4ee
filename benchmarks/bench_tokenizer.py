"""Tokenizer speed: PresegTokenizer against a bare Doc ceiling and spaCy's "zh" tokenizer.

    python benchmarks/bench_tokenizer.py [--min-tokens 100000] [--repeats 3]

On the seed's lines repeated until they hold >= --min-tokens words, one
tokenizer call per line (as a user processing a corpus line by line), all
in one process, each the best of --repeats runs (the variants take turns):

- preseg:   spacy.blank("zh") with "spacy_preseg.PresegTokenizer.v1";
- preseg, one doc: the same tokenizer on the whole text ("\\n".join(lines));
- ceiling:  Doc(vocab, words=..., spaces=[False]*n) from line.split("/")
            (non-empty parts; the split is timed);
- spaCy zh: spacy.blank("zh") (char segmenter) on the lines with "/" removed.

tokens/s counts the tokens each tokenizer produced; words/s is the common
unit: corpus words (the "/" segments of the input) per second, so the ratios
compare the time each takes over the same text.
"""

import spacy
from spacy.tokens import Doc

from _common import PRESEG_CONFIG, check, load_lines, parse_args, print_table, time_variants


def ceiling(vocab, lines):
    docs = []
    for line in lines:
        words = [part for part in line.split("/") if part]
        docs.append(Doc(vocab, words=words, spaces=[False] * len(words)))
    return docs


def main() -> None:
    args = parse_args(__doc__)
    lines, n_words = load_lines(args.min_tokens)
    plain_lines = [line.replace("/", "") for line in lines]
    whole_text = "\n".join(lines)

    preseg = spacy.blank("zh", config=PRESEG_CONFIG).tokenizer
    default = spacy.blank("zh").tokenizer
    vocab = preseg.vocab

    variants = {
        "preseg (per line)": lambda: [preseg(line) for line in lines],
        "preseg (one doc)": lambda: [preseg(whole_text)],
        "ceiling Doc(split)": lambda: ceiling(vocab, lines),
        "spaCy zh char": lambda: [default(line) for line in plain_lines],
    }
    results = time_variants(variants, args.repeats, lambda docs: sum(len(doc) for doc in docs))
    seconds = {name: secs for name, (secs, _) in results.items()}

    print(f"corpus: {len(lines):,} lines, {n_words:,} words (\"/\" segments), "
          f"best of {args.repeats} (taking turns); words/s = corpus words / seconds")
    rows = [
        [name, secs, tokens, tokens / secs, n_words / secs]
        for name, (secs, tokens) in results.items()
    ]
    print_table(["tokenizer", "seconds", "tokens", "tokens/s", "words/s"], rows)
    print()
    vs_ceiling = seconds["ceiling Doc(split)"] / seconds["preseg (per line)"]
    vs_default = seconds["spaCy zh char"] / seconds["preseg (per line)"]
    check("preseg / ceiling (words/s)", vs_ceiling, 0.7)
    check("preseg / spaCy zh char (words/s)", vs_default, 2.0)


if __name__ == "__main__":
    main()
