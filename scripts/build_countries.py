"""Regenerate spacy_preseg/data/countries.jsonl from CLDR (through Babel).

CLDR's Chinese territory names are the source of the country names and
their ISO 3166-1 codes; scripts/country_extras.jsonl adds what CLDR does not
list: official long names, customary short forms (沙特, 阿联酋, 蒙古国) and
the one-character abbreviations used in compounds (中俄 = 中 + 俄).

Babel is needed only to run this script (pip install -e ".[build]"):

    python scripts/build_countries.py
"""

import argparse
import json
from pathlib import Path

import srsly
from babel import Locale

ROOT = Path(__file__).resolve().parent.parent
EXTRAS = ROOT / "scripts" / "country_extras.jsonl"
OUTPUT = ROOT / "spacy_preseg" / "data" / "countries.jsonl"

# CLDR codes that are not countries or territories with an ISO 3166-1 code:
# groupings (EU, EZ, UN), pseudo and unknown regions, a continent (AQ) and
# the exceptionally reserved codes of places that belong to other countries.
NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ", "AQ", "AC", "CP", "CQ", "DG", "EA", "IC", "TA"}


def cldr_countries(locale: str = "zh") -> dict:
    """Code -> Chinese name for every CLDR territory that is a country."""
    names = Locale.parse(locale).territories
    return {
        code: name
        for code, name in names.items()
        if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES
    }


def build(extras_path: Path = EXTRAS) -> list:
    zh_names = cldr_countries("zh")
    en_names = Locale.parse("en").territories
    rows = []
    seen = set()

    def add(code: str, pattern: str, abbreviation: bool = False) -> None:
        if pattern in seen:
            return
        seen.add(pattern)
        row = {"label": "GPE", "pattern": pattern, "id": code, "name": en_names[code]}
        if abbreviation:
            row["abbreviation"] = True
        rows.append(row)

    for code in sorted(zh_names):
        add(code, zh_names[code])
    for line_no, extra in enumerate(srsly.read_jsonl(extras_path), start=1):
        code = extra.get("id")
        if code not in zh_names:
            raise ValueError(f"{extras_path}:{line_no}: {code!r} is not a CLDR country code")
        add(code, extra["pattern"], extra.get("abbreviation", False))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    rows = build()
    tmp = args.output.with_suffix(".jsonl.tmp")
    # Readable Chinese in the file: srsly escapes non-ASCII when it writes.
    tmp.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), "utf8")
    tmp.replace(args.output)
    print(f"{len(rows)} country names written to {args.output}")


if __name__ == "__main__":
    main()
