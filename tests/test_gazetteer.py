"""The shipped name lists: valid, consistent, complete, and reproducible from CLDR."""

import importlib.util
import json
from collections import Counter

import pytest

from spacy_preseg.gazetteer import (
    DATA_DIR,
    GAZETTEER_FILES,
    LABELS,
    RULE_KINDS,
    RULE_WORDS_FILES,
    PatternError,
    gazetteer_names,
    load_gazetteer,
    load_rule_words,
    read_patterns,
    validate_patterns,
)
from spacy_preseg.tagged import SURNAMES_FILE, UPOS_FILE

from .conftest import ROOT

FILE_LABELS = {"countries.jsonl": "GPE", "organizations.jsonl": "ORG", "missions.jsonl": "MISSION"}


def _build_countries_module():
    spec = importlib.util.spec_from_file_location("build_countries", ROOT / "scripts" / "build_countries.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def countries():
    return read_patterns(DATA_DIR / "countries.jsonl")


def test_the_data_directory_holds_only_files_that_are_loaded():
    assert sorted(p.name for p in DATA_DIR.iterdir() if not p.name.startswith(".")) == sorted(
        [*GAZETTEER_FILES, *RULE_WORDS_FILES, UPOS_FILE, SURNAMES_FILE]
    )
    assert set(FILE_LABELS) == set(GAZETTEER_FILES)


@pytest.mark.parametrize("name", GAZETTEER_FILES)
def test_every_shipped_file_validates_and_holds_its_label(name):
    patterns = read_patterns(DATA_DIR / name)
    assert len(patterns) > 50
    assert {p["label"] for p in patterns} == {FILE_LABELS[name]}
    for p in patterns:
        assert p["pattern"] == p["pattern"].strip() and p["id"]


def test_rule_words_are_valid():
    rows = [
        json.loads(line)
        for name in RULE_WORDS_FILES
        for line in (DATA_DIR / name).read_text(encoding="utf8").splitlines()
        if line.strip()
    ]
    rows = [row for row in rows if "about" not in row]
    assert {row["kind"] for row in rows} == set(RULE_KINDS)
    assert all(isinstance(row["word"], str) and row["word"].strip() == row["word"] != "" for row in rows)
    counts = Counter((row["kind"], row["word"]) for row in rows)
    assert [key for key, n in counts.items() if n > 1] == []
    words = load_rule_words()
    assert all(words[kind] for kind in RULE_KINDS)
    # Satellite kinds carry the English name the rules put into ids.
    assert all(name != word for word, name in words["satellite_kind"])


def test_no_duplicate_patterns_within_or_across_files():
    patterns = load_gazetteer()
    counts = Counter(p["pattern"] for p in patterns)
    assert [pattern for pattern, n in counts.items() if n > 1] == []
    assert len(list(gazetteer_names())) == len({p["pattern"] for p in patterns if len(p["pattern"]) > 1})


def test_no_ordinary_word_is_also_a_name():
    names = {p["pattern"] for p in load_gazetteer()}
    assert [w for w, _ in load_rule_words()["ordinary_word"] if w in names] == []


def test_the_gazetteers_use_the_three_documented_labels():
    assert {p["label"] for p in load_gazetteer()} == {"GPE", "ORG", "MISSION"} == set(LABELS)


def test_all_cldr_country_codes_are_present(countries):
    codes = {p["id"] for p in countries}
    try:
        cldr = set(_build_countries_module().cldr_countries())
    except ImportError:  # babel is a build-time dependency only
        cldr = None
    if cldr is not None:
        assert codes == cldr
    assert 245 <= len(codes) <= 260
    assert all(len(code) == 2 and code.isupper() and code.isalpha() for code in codes)
    for code in ("CN", "RU", "US", "PK", "BR", "SA", "AE", "MN", "CG", "CF"):
        assert code in codes


@pytest.mark.parametrize(
    "name,code",
    [("中国", "CN"), ("俄罗斯", "RU"), ("沙特阿拉伯", "SA"), ("沙特", "SA"), ("阿联酋", "AE"),
     ("蒙古国", "MN"), ("刚果（布）", "CG"), ("中非共和国", "CF"), ("巴基斯坦", "PK")],
)
def test_documented_country_names_have_their_iso_code(countries, name, code):
    assert {p["pattern"]: p["id"] for p in countries}[name] == code


def test_abbreviations_are_single_characters(countries):
    abbreviations = [p for p in countries if p.get("abbreviation")]
    assert {p["pattern"]: p["id"] for p in abbreviations if p["pattern"] in "中俄巴美"} == {
        "中": "CN", "俄": "RU", "巴": "PK", "美": "US",
    }
    assert all(len(p["pattern"]) == 1 for p in abbreviations)
    # And every one-character name is an abbreviation (found only in compounds).
    assert [p for p in load_gazetteer() if len(p["pattern"]) == 1 and not p.get("abbreviation")] == []


def test_flags_belong_to_their_labels():
    for p in load_gazetteer():
        if p.get("series") or "standalone" in p:
            assert p["label"] == "MISSION", p
        if p.get("abbreviation"):
            assert p["label"] == "GPE", p


def test_documented_organization_and_mission_ids():
    ids = {p["pattern"]: p["id"] for p in load_gazetteer()}
    assert ids["欧洲空间局"] == ids["欧洲航天局"] == "ESA"
    assert ids["嫦娥"] == "Chang'e"


def test_countries_file_is_what_the_build_script_produces():
    pytest.importorskip("babel")
    rows = _build_countries_module().build()
    path = DATA_DIR / "countries.jsonl"
    assert [json.loads(line) for line in path.read_text(encoding="utf8").splitlines()] == rows
    # Byte for byte, as the script writes it (readable Chinese, one row a line).
    assert path.read_text(encoding="utf8") == "".join(
        json.dumps(row, ensure_ascii=False) + "\n" for row in rows
    )


def test_the_build_script_names_the_line_of_a_bad_extra(tmp_path):
    pytest.importorskip("babel")
    extras = tmp_path / "extras.jsonl"
    extras.write_text('{"id": "CN", "pattern": "中华"}\n{"id": "XX", "pattern": "乌有国"}\n', "utf8")
    with pytest.raises(ValueError, match=r"extras\.jsonl:2: 'XX'"):
        _build_countries_module().build(extras)


# Validation errors --------------------------------------------------------


@pytest.mark.parametrize(
    "line,message",
    [
        ('{"pattern": "火星"}', "missing or empty 'label'"),
        ('{"label": "", "pattern": "火星"}', "missing or empty 'label'"),
        ('{"label": "MISSION", "pattern": ""}', "missing or empty 'pattern'"),
        ('{"label": "MISSION", "pattern": "  "}', "missing or empty 'pattern'"),
        ('{"label": "MISSION"}', "missing or empty 'pattern'"),
        ('{"label": "MISSION", "pattern": [{"LOWER": "mars"}]}', "token patterns are not supported"),
        ('{"label": "MISSION", "pattern": " 火星"}', "whitespace"),
        ('{"label": "MISSION", "pattern": "火星", "id": 7}', "'id' must be a non-empty string"),
        ('{"label": "MISSION", "pattern": "火星", "series": "yes"}', "'series' must be true or false"),
        ('{"label": "ORG", "pattern": "火星", "series": true}', "only MISSION patterns can be a series"),
        ('{"label": "GPE", "pattern": "火星", "abbreviation": true}', "an abbreviation is one character"),
        ('["GPE", "火星"]', "a pattern must be an object"),
        ('{"label": "GPE", "pattern": "火星"', "not valid JSON"),
    ],
)
def test_validation_errors_name_file_and_line(tmp_path, line, message):
    path = tmp_path / "mine.jsonl"
    path.write_text('{"label": "MISSION", "pattern": "天问"}\n\n' + line + "\n", "utf8")
    with pytest.raises(PatternError, match=message) as info:
        read_patterns(path)
    assert str(info.value).startswith(f"{path}:3: ")


def test_a_missing_patterns_file_is_named(tmp_path):
    with pytest.raises(PatternError, match="no such patterns file") as info:
        read_patterns(tmp_path / "nope.jsonl")
    assert "nope.jsonl" in str(info.value)


def test_patterns_given_as_a_list_are_named_by_index():
    good = {"label": "ORG", "pattern": "欧洲南方天文台", "id": "ESO"}
    assert validate_patterns([good, {"label": "ORG", "pattern": "天文台"}], "mine") == [
        good,
        {"label": "ORG", "pattern": "天文台", "id": "天文台"},
    ]
    with pytest.raises(PatternError, match=r"^mine\[1\]: missing or empty 'label'"):
        validate_patterns([good, {"pattern": "天文台"}], "mine")
