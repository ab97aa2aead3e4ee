"""Regenerate spacy_preseg/data/common_words.jsonl from jieba's dictionary.

A run of one-character country abbreviations (中俄, 中美) is a compound of
countries only where no common word cuts across it: in 可以加强 the run 以加
is cut by 可以 and 加强, in 新中国 the run 新中 by 中国. Where the text has
its own segmentation the token boundaries say this; behind spaCy's "char"
segmenter these common words do. They are the frequent words of jieba's
dictionary (a well-kept word list) that hold such an abbreviation without
being made of abbreviations only.

Words made of abbreviations only are compounds (中美, 美日韩) or ordinary
words (巴黎, 坦克, 中文, 加以); the frequent ones of the second kind are
written as ``ordinary_word`` rows, which block the compound reading: jieba's
frequent words of abbreviations only, less those it tags as abbreviations,
organizations or times (j, nt, t: 中日, 中印), those that pair a country with
a region (中欧, 中非: compounds by the annotation rules), and listed names.

jieba is needed only to run this script (pip install -e ".[build]"):

    python scripts/build_common_words.py
"""

import argparse
import json
from pathlib import Path

import jieba
import srsly

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "spacy_preseg" / "data"
COUNTRIES = DATA / "countries.jsonl"
RULE_WORDS = DATA / "rule_words.jsonl"
GAZETTEERS = [DATA / "countries.jsonl", DATA / "organizations.jsonl", DATA / "missions.jsonl"]
OUTPUT = DATA / "common_words.jsonl"
COMPOUND_TAGS = {"j", "nt", "t"}  # jieba's tags for abbreviations, organizations, times
# Frequent words of abbreviations only that jieba tags otherwise but that are compounds of countries.
COMPOUNDS = {"英美"}


def compound_units() -> tuple:
    """(abbreviations found in compounds, one-character regions) from the shipped data."""
    abbreviations = {
        row["pattern"]
        for row in srsly.read_jsonl(COUNTRIES)
        if row.get("abbreviation") and row.get("in_compounds", True)
    }
    regions = {
        row["word"] for row in srsly.read_jsonl(RULE_WORDS) if row.get("kind") == "region_unit" and len(row["word"]) == 1
    }
    return abbreviations, regions


def build(min_frequency: int, min_ordinary_frequency: int) -> tuple:
    abbreviations, regions = compound_units()
    units = abbreviations | regions
    names = {row["pattern"] for path in GAZETTEERS for row in srsly.read_jsonl(path) if "pattern" in row}
    curated = {row["word"] for row in srsly.read_jsonl(RULE_WORDS) if row.get("kind") == "ordinary_word"}
    common, ordinary = set(), set()
    with jieba.get_dict_file() as f:
        for line in f:
            word, frequency, tag = line.decode("utf8").split()[:3]
            frequency = int(frequency)
            if not 2 <= len(word) <= 4 or not any(c in units for c in word):
                continue
            if not all(c in units for c in word):
                if frequency >= min_frequency:
                    common.add(word)
            elif (
                frequency >= min_ordinary_frequency
                and tag not in COMPOUND_TAGS
                and not (len(word) == 2 and word[0] in abbreviations and word[1] in regions)
                and word not in names
                and word not in curated
                and word not in COMPOUNDS
            ):
                ordinary.add(word)
    return sorted(common), sorted(ordinary)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-frequency", type=int, default=100)
    parser.add_argument("--min-ordinary-frequency", type=int, default=150)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    common, ordinary = build(args.min_frequency, args.min_ordinary_frequency)
    rows = [{"kind": "common_word", "word": w} for w in common] + [{"kind": "ordinary_word", "word": w} for w in ordinary]
    tmp = args.output.with_suffix(".jsonl.tmp")
    tmp.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), "utf8")
    tmp.replace(args.output)
    print(f"{len(common)} common and {len(ordinary)} ordinary words written to {args.output}")


if __name__ == "__main__":
    main()
