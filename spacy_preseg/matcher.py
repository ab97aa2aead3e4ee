"""Find country, organization and mission names in text, on token boundaries.

Matching works on the characters of ``doc.text`` and is then checked against
the token boundaries, so a name is found however the text happens to be
split into tokens (欧洲/空间局 and 欧洲空间局 alike), while the segmentation
stays evidence: a name must start and end where tokens do (发展/中/国家 has
no 中国). Two kinds of names may fall inside a token and are then reported as
*sub-token* matches: organization and mission names that start a token but
end inside it (北斗 in 北斗导航, 联合国 in 联合国秘书长), and the countries
of a compound of one-character abbreviations (中俄 = 中 + 俄). A country
name never ends inside a token.

Besides the listed names, a few general rules generate names:
- a mission series followed by a number: 嫦娥/六/号, 嫦娥6号 → Chang'e-6;
- a country followed by a space-agency word: 巴西航天局;
- a country with a numbered satellite: 埃及二号遥感卫星, 巴基斯坦遥感卫星一号;
- a name in quotation marks followed by 号/卫星/探测器…: “月球—25”号 → 月球—25;
- a body named after an organization or a compound of countries, ending in
  委员会/工作组/中心…: 中俄/航天/合作/分委会/空间碎片/工作组.
"""

import re
from typing import Any, Dict, Iterable, List, NamedTuple, Optional, Sequence, Set, Tuple

USER_RANK, SHIPPED_RANK, RULE_RANK = 0, 1, 2
MAX_BODY_EXTENSION = 16
# Characters that end a generated body name; the dash is not among them
# because it joins the parts of names (澜沧江—湄公河, 中国—东盟).
BODY_BREAKS = "，。、；：！？“”‘’《》〈〉（）()[]【】「」『』,.;:!?\"'…\n\r\t "
ARABIC = "0-9０-９"
CHINESE_DIGITS = "零〇一二三四五六七八九十百两"
NUMBER = rf"[{ARABIC}]+|[{CHINESE_DIGITS}]+"
VARIANT_LETTERS = {"甲": "A", "乙": "B", "丙": "C", "丁": "D"}
SERIES_NUMBER = re.compile(
    rf"(?P<sep>[—\-－–]?)(?P<num>{NUMBER})(?P<hao>号)?"
    rf"(?P<variant>[A-Za-z](?![A-Za-z])|[甲乙丙丁]|[0-9]{{2}}(?=星))?(?P<xing>星)?"
)
_DIGIT_VALUES = {c: i for i, c in enumerate("零一二三四五六七八九")}
_DIGIT_VALUES.update({"〇": 0, "两": 2})


class Candidate(NamedTuple):
    """A name found at text[start:end]; rank breaks ties (user < shipped < rule)."""

    start: int
    end: int
    label: str
    id: str
    rank: int


class _Name(NamedTuple):
    pattern: str
    label: Optional[str]  # None: an ordinary word that blocks names inside it
    id: str
    rank: int
    series: bool
    standalone: bool
    english: str


def normalize_number(number: str) -> str:
    """Arabic digits as written (04 stays 04); Chinese numerals as their value."""
    if re.fullmatch(f"[{ARABIC}]+", number):
        return number.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if "十" not in number and "百" not in number:
        return "".join(str(_DIGIT_VALUES[c]) for c in number)
    value = 0
    for unit, size in (("百", 100), ("十", 10)):
        if unit in number:
            head, number = number.split(unit, 1)
            value += (_DIGIT_VALUES[head] if head else 1) * size
    return str(value + (_DIGIT_VALUES[number] if number else 0))


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


class NameMatcher:
    """Candidates for entities in a text, given the text's token boundaries.

    Holds plain data only (dicts, tuples, compiled patterns), so pipelines
    that use it pickle into worker processes.
    """

    def __init__(
        self,
        shipped: Sequence[Dict[str, Any]],
        user: Sequence[Dict[str, Any]],
        rule_words: Dict[str, Sequence[Tuple[str, str]]],
    ) -> None:
        self._names: Dict[str, List[_Name]] = {}
        self._abbreviations: Dict[str, str] = {}
        for rank, entries in ((USER_RANK, user), (SHIPPED_RANK, shipped)):
            for entry in entries:
                if entry.get("abbreviation"):
                    self._abbreviations.setdefault(entry["pattern"], entry["id"])
                else:
                    self._add(entry, rank)
        for word, _ in rule_words["ordinary_word"]:
            self._add({"pattern": word, "label": None, "id": word}, SHIPPED_RANK)
        for names in self._names.values():
            names.sort(key=lambda n: (-len(n.pattern), n.rank))

        kinds = {word: name for word, name in rule_words["satellite_kind"]}
        self._kind_names = kinds
        kind_re = _alternation(kinds)
        head_re = _alternation(w for w, _ in rule_words["satellite_head"])
        self._satellite_numbered_first = re.compile(
            rf"(?P<num>{NUMBER})号(?P<kinds>(?:{kind_re})*)(?P<head>卫星)?"
        )
        self._satellite_numbered_last = re.compile(
            rf"(?P<kinds>(?:{kind_re})+)(?:{head_re})(?P<num>{NUMBER})号"
        )
        self._agency_suffixes = sorted(
            (w for w, _ in rule_words["agency_suffix"]), key=len, reverse=True
        )
        self._mission_tails = tuple(w for w, _ in rule_words["mission_tail"])
        self._quoted = re.compile(
            r"“(?P<name>[^“”\s，。、；：！？]{1,20})”(?:"
            + _alternation(w for w, _ in rule_words["quoted_mission_suffix"])
            + ")"
        )
        self._body_heads = tuple(w for w, _ in rule_words["body_head"])
        self._body_stops = tuple(w for w, _ in rule_words["body_stop"])
        self._body_break = re.compile("[" + re.escape(BODY_BREAKS) + "]")
        self._compound = (
            re.compile("[" + re.escape("".join(self._abbreviations)) + "]{2,}")
            if self._abbreviations
            else None
        )

    def _add(self, entry: Dict[str, Any], rank: int) -> None:
        pattern = entry["pattern"]
        name = _Name(
            pattern=pattern,
            label=entry["label"],
            id=entry["id"],
            rank=rank,
            series=bool(entry.get("series")),
            standalone=entry.get("standalone", True),
            english=entry.get("name", entry["id"]),
        )
        self._names.setdefault(pattern[:2], []).append(name)

    # Finding -------------------------------------------------------------

    def find(self, text: str, starts: Iterable[int], bounds: Set[int]) -> List[Candidate]:
        """All candidates in text; starts are token starts, bounds all token edges."""
        found: List[Candidate] = []
        blockers: List[Tuple[int, int]] = []
        prefixes: List[Candidate] = []
        names = self._names
        for pos in starts:
            for key in (text[pos : pos + 2], text[pos]):
                for name in names.get(key, ()):
                    if len(name.pattern) < len(key) or not text.startswith(name.pattern, pos):
                        continue
                    end = pos + len(name.pattern)
                    if name.label is None:
                        if end in bounds:
                            blockers.append((pos, end))
                    elif name.series:
                        self._find_series(text, pos, end, name, bounds, found)
                    elif name.label == "GPE":
                        self._find_country_rules(text, pos, end, name.english, bounds, found)
                        if end in bounds:
                            found.append(Candidate(pos, end, name.label, name.id, name.rank))
                    else:
                        cand = Candidate(pos, end, name.label, name.id, name.rank)
                        found.append(cand)
                        if end in bounds and name.label == "ORG":
                            prefixes.append(cand)
        prefixes.extend(self._find_compounds(text, bounds, found))
        self._find_quoted(text, bounds, found)
        for prefix in prefixes:
            self._find_body(text, prefix, bounds, found)
        if blockers:
            found = _drop_blocked(found, blockers)
        return found

    def _find_series(
        self, text: str, pos: int, end: int, name: _Name, bounds: Set[int], found: List[Candidate]
    ) -> None:
        match = SERIES_NUMBER.match(text, end)
        if match and (match["hao"] or match["xing"] or match["sep"] or _is_short_arabic(match["num"])):
            number = normalize_number(match["num"])
            variant = match["variant"] or ""
            variant = VARIANT_LETTERS.get(variant, variant.upper())
            if variant.isdigit():
                variant = " " + variant
            full_id = f"{name.id}-{number}{variant}"
            ends = [match.end()]
            if match["variant"] or match["xing"]:
                ends.append(match.end("hao") if match["hao"] else match.end("num"))
            if not match["hao"] and _is_arabic(match["num"]):
                ends.extend(match.end() + len(t) for t in self._mission_tails if text.startswith(t, match.end()))
            ends.sort(reverse=True)
            aligned = [e for e in ends if e in bounds]
            best = aligned[0] if aligned else ends[0]
            if best == ends[0] or aligned:
                found.append(Candidate(pos, best, name.label, full_id, name.rank))
                return
        if name.standalone:
            found.append(Candidate(pos, end, name.label, name.id, name.rank))

    def _find_country_rules(
        self, text: str, start: int, end: int, english: str, bounds: Set[int], found: List[Candidate]
    ) -> None:
        for suffix in self._agency_suffixes:
            if text.startswith(suffix, end) and end + len(suffix) in bounds:
                found.append(
                    Candidate(start, end + len(suffix), "ORG", f"{english} space agency", RULE_RANK)
                )
                break
        first = self._satellite_numbered_first.match(text, end)
        if first:
            number = normalize_number(first["num"])
            if first["head"] and first.end() in bounds:
                kinds = self._kinds_english(first["kinds"])
                found.append(
                    Candidate(start, first.end(), "MISSION", f"{english}-{number} {kinds}Satellite", RULE_RANK)
                )
            elif first.end("num") + 1 in bounds:
                found.append(Candidate(start, first.end("num") + 1, "MISSION", f"{english}-{number}", RULE_RANK))
        last = self._satellite_numbered_last.match(text, end)
        if last and last.end() in bounds:
            kinds = self._kinds_english(last["kinds"])
            number = normalize_number(last["num"])
            found.append(
                Candidate(start, last.end(), "MISSION", f"{english} {kinds}Satellite-{number}", RULE_RANK)
            )

    def _kinds_english(self, kinds: str) -> str:
        words = []
        while kinds:
            word = max((k for k in self._kind_names if kinds.startswith(k)), key=len)
            words.append(self._kind_names[word])
            kinds = kinds[len(word) :]
        return "".join(w + " " for w in words)

    def _find_compounds(self, text: str, bounds: Set[int], found: List[Candidate]) -> List[Candidate]:
        """Countries of abbreviation compounds (中俄); returns the compounds themselves."""
        if self._compound is None:
            return []
        compounds = []
        for match in self._compound.finditer(text):
            start, end = match.span()
            if start not in bounds or end not in bounds:
                continue
            for i in range(start, end):
                found.append(Candidate(i, i + 1, "GPE", self._abbreviations[text[i]], RULE_RANK))
            compounds.append(Candidate(start, end, "GPE", match.group(), RULE_RANK))
        return compounds

    def _find_quoted(self, text: str, bounds: Set[int], found: List[Candidate]) -> None:
        if "“" not in text:
            return
        for match in self._quoted.finditer(text):
            start, end = match.span("name")
            name = match["name"]
            if start in bounds and end in bounds and not name.isdigit():
                found.append(Candidate(start, end, "MISSION", name, RULE_RANK))

    def _find_body(self, text: str, prefix: Candidate, bounds: Set[int], found: List[Candidate]) -> None:
        """A body named after an organization or a compound: prefix + … + head word."""
        start = prefix.end
        limit = min(len(text), start + MAX_BODY_EXTENSION)
        stop = self._body_break.search(text, start, limit)
        if stop:
            limit = stop.start()
        for word in self._body_stops:
            limit = min(limit, _find_aligned(text, word, start, limit, bounds, first=True))
        best = -1
        for head in self._body_heads:
            best = max(best, _find_aligned(text, head, start, limit, bounds, first=False))
        if best > start:
            found.append(Candidate(prefix.start, best, "ORG", text[prefix.start : best], RULE_RANK))


def _is_arabic(number: str) -> bool:
    return number[0] in "0123456789０１２３４５６７８９"


def _is_short_arabic(number: str) -> bool:
    return _is_arabic(number) and len(number) <= 2


def _find_aligned(text: str, word: str, start: int, limit: int, bounds: Set[int], first: bool) -> int:
    """First start (first=True) or last end of word in text[start:limit] on token edges.

    Returns limit (first) or -1 (last) when there is none.
    """
    result = limit if first else -1
    i = text.find(word, start, limit)
    while i != -1:
        end = i + len(word)
        if end in bounds and i in bounds:
            if first:
                return i
            result = end
        i = text.find(word, i + 1, limit)
    return result


def _drop_blocked(found: List[Candidate], blockers: List[Tuple[int, int]]) -> List[Candidate]:
    """Drop candidates that cut into an ordinary word (中国 in 发展中国家)."""
    covering: Dict[int, List[Tuple[int, int]]] = {}
    for block in blockers:
        for i in range(*block):
            covering.setdefault(i, []).append(block)
    kept = []
    for cand in found:
        cut = False
        for i in range(cand.start, cand.end):
            for b_start, b_end in covering.get(i, ()):
                if b_start < cand.start or b_end > cand.end:
                    cut = True
                    break
            if cut:
                break
        if not cut:
            kept.append(cand)
    return kept


def resolve(candidates: Iterable[Candidate]) -> List[Candidate]:
    """The longest candidates that do not overlap, in text order.

    Ties go to the lower rank (a user's pattern over a shipped one over a
    rule), then to the earlier start.
    """
    best: Dict[Tuple[int, int], Candidate] = {}
    for cand in candidates:
        key = (cand.start, cand.end)
        if key not in best or cand.rank < best[key].rank:
            best[key] = cand
    taken: List[Candidate] = []
    used: Set[int] = set()
    for cand in sorted(best.values(), key=lambda c: (c.start - c.end, c.rank, c.start)):
        span = range(cand.start, cand.end)
        if not any(i in used for i in span):
            used.update(span)
            taken.append(cand)
    return sorted(taken)
