"""Entity speed: preseg_entities against spaCy's EntityRuler, and startup time.

    python benchmarks/bench_entities.py [--min-tokens 100000] [--repeats 3]

On the seed's lines repeated until they hold >= --min-tokens words, both in
one process, each the best of --repeats runs (the two take turns):

- preseg:  spacy.blank("zh") with "spacy_preseg.PresegTokenizer.v1" and
           nlp.add_pipe("preseg_entities"), over nlp.pipe(lines);
- ruler:   spacy.blank("zh") (char segmenter) with nlp.add_pipe("entity_ruler")
           holding every shipped gazetteer name as a phrase pattern (label,
           pattern, id; one-character abbreviations left out, series names
           kept), over nlp.pipe(lines with "/" removed).

Both with a Doc per line (the target) and with a Doc per copy of the seed
file (its lines joined by line breaks); the Docs are consumed as a stream,
counting entities. For reference, also preseg_entities behind the char
segmenter (spacy.blank("zh"), lines with "/" removed), where the rules read
the words of spacy-pkuseg's dictionary.

words/s is corpus words (the "/" segments of the input) per second for both.

Startup: spacy.blank("zh", ...) + add_pipe("preseg_entities") + the first
doc, timed with perf_counter inside a fresh interpreter (after `import
spacy`, so interpreter start and spaCy's import are excluded, our package's
import and data loading are included); median of 3 subprocesses. The
EntityRuler's build with the same patterns (read from a JSONL file) is
printed for reference.
"""

import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import spacy
import srsly

from _common import PRESEG_CONFIG, as_files, check, load_lines, parse_args, print_table, time_variants
from spacy_preseg.gazetteer import load_gazetteer

STARTUP_RUNS = 3
STARTUP_CODE = """
import json, sys, time
import spacy
import srsly
kind, config, patterns_path, line = sys.argv[1:5]
start = time.perf_counter()
if kind == "preseg":
    nlp = spacy.blank("zh", config=json.loads(config))
    nlp.add_pipe("preseg_entities")
else:
    nlp = spacy.blank("zh")
    nlp.add_pipe("entity_ruler").add_patterns(list(srsly.read_jsonl(patterns_path)))
    line = line.replace("/", "")
nlp(line)
print(time.perf_counter() - start)
"""


def ruler_patterns():
    """The shipped names as EntityRuler phrase patterns."""
    return [
        {"label": p["label"], "pattern": p["pattern"], "id": p["id"]}
        for p in load_gazetteer()
        if not p.get("abbreviation")
    ]


def startup_seconds(kind: str, patterns_path: Path, line: str) -> float:
    """Median build + first-doc time over fresh interpreters."""
    args = [kind, srsly.json_dumps(PRESEG_CONFIG), str(patterns_path), line]
    times = []
    for _ in range(STARTUP_RUNS):
        out = subprocess.run(
            [sys.executable, "-c", STARTUP_CODE, *args],
            capture_output=True, text=True, check=True,
        )
        times.append(float(out.stdout.split()[-1]))
    return statistics.median(times)


def main() -> None:
    args = parse_args(__doc__)
    lines, n_words = load_lines(args.min_tokens)
    plain_lines = [line.replace("/", "") for line in lines]
    patterns = ruler_patterns()

    preseg = spacy.blank("zh", config=PRESEG_CONFIG)
    preseg.add_pipe("preseg_entities")
    ruler = spacy.blank("zh")
    ruler.add_pipe("entity_ruler").add_patterns(patterns)
    char_preseg = spacy.blank("zh")
    char_preseg.add_pipe("preseg_entities")

    files = as_files(lines)
    plain_files = [text.replace("/", "") for text in files]
    # The outputs are consumed as a stream (entities counted), as over a real corpus.
    variants = {
        "preseg_entities": lambda: sum(len(doc.ents) for doc in preseg.pipe(lines)),
        "char + EntityRuler": lambda: sum(len(doc.ents) for doc in ruler.pipe(plain_lines)),
        "preseg_entities, file docs": lambda: sum(len(doc.ents) for doc in preseg.pipe(files)),
        "char + EntityRuler, file docs": lambda: sum(len(doc.ents) for doc in ruler.pipe(plain_files)),
        "char + preseg_entities": lambda: sum(len(doc.ents) for doc in char_preseg.pipe(plain_lines)),
    }
    results = time_variants(variants, args.repeats, lambda count: count)
    seconds = {name: secs for name, (secs, _) in results.items()}

    with tempfile.TemporaryDirectory() as tmp:
        patterns_path = Path(tmp) / "patterns.jsonl"
        srsly.write_jsonl(patterns_path, patterns)
        startup = {
            "preseg_entities": startup_seconds("preseg", patterns_path, lines[0]),
            "char + EntityRuler": startup_seconds("ruler", patterns_path, lines[0]),
        }

    print(f"corpus: {len(lines):,} lines, {n_words:,} words (\"/\" segments), "
          f"best of {args.repeats} (taking turns); words/s = corpus words / seconds")
    print(f"EntityRuler: {len(patterns):,} phrase patterns; startup = build + first doc "
          f"in a fresh interpreter, median of {STARTUP_RUNS}")
    rows = [
        [name, secs, n_words / secs, ents, f"{startup[name]:.3f}" if name in startup else ""]
        for name, (secs, ents) in results.items()
    ]
    print_table(["pipeline", "seconds", "words/s", "entities", "startup s"], rows)
    print()
    check("preseg_entities / EntityRuler, a doc per line (words/s)",
          seconds["char + EntityRuler"] / seconds["preseg_entities"], 3.0)
    print(f"(a doc per seed file: {seconds['char + EntityRuler, file docs'] / seconds['preseg_entities, file docs']:.2f}x;"
          " with ~1,600 words per Doc, spaCy's per-Doc costs no longer weigh and the rules' Python per name does)")
    check("preseg_entities startup", startup["preseg_entities"], 1.0, higher_is_better=False, unit=" s")


if __name__ == "__main__":
    main()
