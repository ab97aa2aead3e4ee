"""How well the context rule for names with another sense decides, on gold sets.

    python benchmarks/bench_senses.py [GOLD ...]   (default: devset/ heldout/)

Every occurrence, at a token start, of a listed name flagged ``ambiguous`` or
``ordinary_sense`` (北斗, 风云, 嫦娥, 伽利略, …) is decided by
spacy_preseg.senses alone, without the designation rules; it counts as right
where a gold MISSION or ORG starts there, and as wrong elsewhere. Prints the
rule's precision (of the occurrences it takes for mentions) and recall.
"""

import sys
from pathlib import Path

from spacy_preseg.corpus import read_records
from spacy_preseg.entities import rule_pipeline
from spacy_preseg.segments import split_segments

ROOT = Path(__file__).resolve().parent.parent


def evaluate(path, matcher):
    counts = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    for record in read_records(path):
        if record.spans is None or not record.segmented:
            continue
        edges, pos = [0], 0
        for word in split_segments(record.source, record.delimiter)[0]:
            pos += len(word)
            edges.append(pos)
        starts = {start for start, _, label in record.spans if label in ("MISSION", "ORG")}
        for start, end, names in matcher._names.prefixes(record.text, set(edges)):
            for name in names:
                if name.label and (name.ambiguous or name.ordinary_sense):
                    mention = matcher.senses.is_mention(record.text, edges, start, end, name.ambiguous)
                    truth = start in starts
                    counts[("t" if mention == truth else "f") + ("p" if mention else "n")] += 1
    return counts


def main() -> None:
    paths = sys.argv[1:] or [ROOT / "devset", ROOT / "heldout"]
    matcher = rule_pipeline().get_pipe("preseg_entities").matcher
    print(f"{'gold':<12}{'names':>7}{'taken':>7}{'P':>8}{'R':>8}")
    for path in paths:
        c = evaluate(path, matcher)
        taken = c["tp"] + c["fp"]
        total = sum(c.values())
        precision = c["tp"] / taken if taken else 0.0
        recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        print(f"{Path(path).name:<12}{total:>7}{taken:>7}{precision:>8.3f}{recall:>8.3f}")


if __name__ == "__main__":
    main()
