"""Regenerate spacy_preseg/data/countries.jsonl from CLDR (through Babel) and iso-codes.

CLDR's Chinese territory names are the source of the country names and
their ISO 3166-1 codes; the Chinese translations of the iso-codes project
(through pycountry) add the official long names (俄罗斯联邦, 大韩民国,
巴西联邦共和国); scripts/country_extras.jsonl adds what neither lists:
customary short forms (沙特, 阿联酋, 蒙古国) and the one-character
abbreviations (中俄 = 中 + 俄), with when they count alone.

Babel and pycountry are needed only to run this script (pip install -e ".[build]"):

    python scripts/build_countries.py
"""

import argparse
import json
from pathlib import Path

import gettext

import pycountry
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


def iso_official_names(codes: set, language: str = "zh_CN") -> dict:
    """Code -> the iso-codes Chinese names (short and official) of every country in codes."""
    translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
    names = {}
    for country in pycountry.countries:
        if country.alpha_2 not in codes:
            continue
        english = [country.name, getattr(country, "official_name", None), getattr(country, "common_name", None)]
        chinese = [translation.gettext(e) for e in english if e]
        # An untranslated name comes back in English: not a Chinese name.
        # Names with spaces cannot match segmented text (科科斯 (基林) 群岛).
        names[country.alpha_2] = [c for c in chinese if c and not c.isascii() and " " not in c]
    return names


def build(extras_path: Path = EXTRAS) -> list:
    zh_names = cldr_countries("zh")
    en_names = Locale.parse("en").territories
    rows = []
    seen = set()

    def add(code: str, pattern: str, flags: dict) -> None:
        if pattern in seen:
            return
        seen.add(pattern)
        rows.append({"label": "GPE", "pattern": pattern, "id": code, "name": en_names[code], **flags})

    for code in sorted(zh_names):
        add(code, zh_names[code], {})
    official = iso_official_names(set(zh_names))
    for code in sorted(official):
        for name in official[code]:
            # iso-codes writes some territories as parts of China (中国台湾省); CLDR's names stand.
            if not name.startswith("中国"):
                add(code, name, {})
    for line_no, extra in enumerate(srsly.read_jsonl(extras_path), start=1):
        code = extra.get("id")
        if code not in zh_names:
            raise ValueError(f"{extras_path}:{line_no}: {code!r} is not a CLDR country code")
        flags = {k: extra[k] for k in ("abbreviation", "alone", "in_compounds") if k in extra}
        add(code, extra["pattern"], flags)
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
