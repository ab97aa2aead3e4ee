"""Regenerate spacy_preseg/data/common_words.jsonl from jieba's dictionary.

A run of one-character country abbreviations (中俄, 中美) is a compound of
countries only where no common word cuts across it: in 可以加强 the run 以加
is cut by 可以 and 加强, in 新中国 the run 新中 by 中国. Where the text has
its own segmentation the token boundaries say this; behind spaCy's "char"
segmenter these common words do. They are the frequent words of jieba's
dictionary (a well-kept word list) that hold such an abbreviation without
being made of abbreviations only.

jieba is needed only to run this script (pip install -e ".[build]"):

    python scripts/build_common_words.py
"""

import argparse
import json
from pathlib import Path

import jieba
import srsly

ROOT = Path(__file__).resolve().parent.parent
COUNTRIES = ROOT / "spacy_preseg" / "data" / "countries.jsonl"
OUTPUT = ROOT / "spacy_preseg" / "data" / "common_words.jsonl"


def build(min_frequency: int) -> list:
    abbreviations = {row["pattern"] for row in srsly.read_jsonl(COUNTRIES) if row.get("abbreviation")}
    words = []
    with jieba.get_dict_file() as f:
        for line in f:
            word, frequency = line.decode("utf8").split()[:2]
            if (
                2 <= len(word) <= 4
                and int(frequency) >= min_frequency
                and any(c in abbreviations for c in word)
                and not all(c in abbreviations for c in word)
            ):
                words.append(word)
    return sorted(set(words))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-frequency", type=int, default=100)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    words = build(args.min_frequency)
    tmp = args.output.with_suffix(".jsonl.tmp")
    tmp.write_text("".join(json.dumps({"kind": "common_word", "word": w}, ensure_ascii=False) + "\n" for w in words), "utf8")
    tmp.replace(args.output)
    print(f"{len(words)} common words written to {args.output}")


if __name__ == "__main__":
    main()
