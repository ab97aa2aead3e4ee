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
- a body named after an organization, a compound of countries or a country
  joined to an organization by a dash, ending in 委员会/工作组/中心…:
  中俄/航天/合作/分委会/空间碎片/工作组, 中国/-/东盟/卫星/信息/海上/应用/中心.
"""

import re
from operator import itemgetter
from typing import Any, Dict, Iterable, List, NamedTuple, Optional, Sequence, Set, Tuple

from .char_trie import CharTrie
from .gazetteer import pattern_text

USER_RANK, SHIPPED_RANK, RULE_RANK = 0, 1, 2
MAX_BODY_EXTENSION = 16
# Characters that end a generated body name; the dash is not among them
# because it joins the parts of names (澜沧江—湄公河, 中国—东盟).
BODY_BREAKS = "，。、；：！？“”‘’《》〈〉（）()[]【】「」『』,.;:!?\"'…\n\r\t "
ARABIC_DIGITS = "0123456789０１２３４５６７８９"
CHINESE_DIGITS = "零〇一二三四五六七八九十百两"
NUMBER = rf"[{ARABIC_DIGITS}]+|[{CHINESE_DIGITS}]+"
VARIANT_LETTERS = {"甲": "A", "乙": "B", "丙": "C", "丁": "D"}
DASHES = "—-－–"
SERIES_NUMBER = re.compile(
    rf"(?P<sep>[{re.escape(DASHES)}]?)(?P<num>{NUMBER})(?P<hao>号)?"
    rf"(?P<variant>[A-Za-z](?![A-Za-z])|[甲乙丙丁]|[0-9]{{2}}[A-Za-z]?(?=卫?星))?(?P<xing>星)?"
)
DESIGNATION = re.compile(rf"(?P<num>[{ARABIC_DIGITS}]{{1,3}})(?P<variant>[A-Za-z])?星")
DESIGNATION_FIRST = frozenset(ARABIC_DIGITS)
SERIES_NUMBER_FIRST = frozenset(DASHES + ARABIC_DIGITS + CHINESE_DIGITS)
_ARABIC_NUMBER = re.compile(f"[{ARABIC_DIGITS}]+")
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_START_END = itemgetter(0, 1)  # a Candidate's (start, end)
_END_START = itemgetter(1, 0)
_DIGIT_VALUES = {c: i for i, c in enumerate("零一二三四五六七八九")}
_DIGIT_VALUES.update({"〇": 0, "两": 2})
# A numeral with units: 十一, 二十, 一百零五, 两百一十; the empty group is an implicit 一.
_CHINESE_NUMBER = re.compile(
    r"(?:(?P<hundreds>[一二两三四五六七八九]?)百[零〇]?)?"
    r"(?:(?P<tens>[一二两三四五六七八九]?)十)?"
    r"(?P<units>[一二两三四五六七八九])?"
)


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


# Marks the first two characters of a compound in the trie (see NameMatcher);
# the only name without a pattern.
_COMPOUND_START = _Name("", None, "", RULE_RANK, False, False, "")


def _make_name(entry: Dict[str, Any], rank: int) -> _Name:
    return _Name(
        pattern=pattern_text(entry),
        label=entry["label"],
        id=entry["id"],
        rank=rank,
        series=bool(entry.get("series")),
        standalone=entry.get("standalone", True),
        english=entry.get("name", entry["id"]),
    )


def normalize_number(number: str) -> str:
    """Arabic digits as written (04 stays 04); Chinese numerals as their value."""
    if _ARABIC_NUMBER.fullmatch(number):
        return number.translate(_FULL_WIDTH_DIGITS)
    if "十" not in number and "百" not in number:
        return "".join(str(_DIGIT_VALUES[c]) for c in number)
    parts = _CHINESE_NUMBER.fullmatch(number)
    if parts is None:  # not a well-formed numeral (十五六): keep it as written
        return number
    value = 0
    for group, size in (("hundreds", 100), ("tens", 10), ("units", 1)):
        digit = parts[group]
        if digit is not None:
            value += (_DIGIT_VALUES[digit] if digit else 1) * size
    return str(value)


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


class NameMatcher:
    """Candidates for entities in a text, given the text's token boundaries.

    Holds plain data (dicts, tuples, compiled patterns) and a character
    trie of the listed names, all of which pickle, so pipelines that use it
    run in worker processes.
    """

    def __init__(
        self,
        shipped: Sequence[Dict[str, Any]],
        user: Sequence[Dict[str, Any]],
        rule_words: Dict[str, Sequence[Tuple[str, str]]],
    ) -> None:
        names: Dict[str, List[_Name]] = {}
        self._abbreviations: Dict[str, str] = {}
        for rank, entries in ((USER_RANK, user), (SHIPPED_RANK, shipped)):
            for entry in entries:
                if entry.get("abbreviation"):
                    self._abbreviations.setdefault(entry["pattern"], entry["id"])
                else:
                    names.setdefault(pattern_text(entry), []).append(_make_name(entry, rank))
        for word, _ in rule_words["ordinary_word"]:
            names.setdefault(word, []).append(_make_name({"pattern": word, "label": None, "id": word}, SHIPPED_RANK))
        # The first two characters of every compound (中俄, 中欧): the walk from
        # the token edges finds where compounds may start along with the names.
        starters = [a + b for a in self._abbreviations for b in self._abbreviations]
        starters.extend(w for w, _ in rule_words["country_region_pair"])
        for starter in starters:
            names.setdefault(starter, []).append(_COMPOUND_START)
        # Entries were added user first, then shipped: in rank order.
        self._names = CharTrie((pattern, tuple(entries)) for pattern, entries in names.items())

        kinds = {word: name for word, name in rule_words["satellite_kind"]}
        self._kind_names = kinds
        kind_re = _alternation(kinds)
        head_re = _alternation(w for w, _ in rule_words["satellite_head"])
        self._satellite_numbered_first = re.compile(
            rf"(?P<num>{NUMBER})号(?P<kinds>(?:{kind_re})*)(?P<head>卫星)?"
        )
        # 巴基斯坦/遥感/卫星/一/号, or with a designation of digits and a letter:
        # 巴基斯坦/通信/卫星/1R (digits alone are a count or a measure: 卫星/5/米).
        self._satellite_numbered_last = re.compile(
            rf"(?P<kinds>(?:{kind_re})+)(?:{head_re})"
            rf"(?:(?P<num>{NUMBER})号|(?P<code>[{ARABIC_DIGITS}]{{1,2}}[A-Za-z])(?![0-9A-Za-z]))"
        )
        self._agency = re.compile(_alternation(w for w, _ in rule_words["agency_suffix"]))
        # What can follow a country in a rule: a cheap test before the regexes.
        self._after_country = frozenset(
            [w[0] for w, _ in rule_words["agency_suffix"]]
            + [w[0] for w in kinds] + list(ARABIC_DIGITS + CHINESE_DIGITS)
        )
        self._series_context = re.compile(_alternation(w for w, _ in rule_words["series_context"]))
        self._mission_tails = tuple(w for w, _ in rule_words["mission_tail"])
        self._quoted = re.compile(
            rf"“(?P<name>[^“”\s，。、；：！？]{{1,20}})”(?:{kind_re})*(?:"
            + _alternation(w for w, _ in rule_words["quoted_mission_suffix"])
            + ")"
        )
        self._body_heads = re.compile(_alternation(w for w, _ in rule_words["body_head"]))
        self._body_stops = re.compile(_alternation(w for w, _ in rule_words["body_stop"]))
        self._body_break = re.compile("[" + re.escape(BODY_BREAKS) + "]")
        # Countries, or a listed country-and-region pair (中欧 = China + Europe), then countries.
        countries = "[" + re.escape("".join(self._abbreviations)) + "]"
        pairs = _alternation(w for w, _ in rule_words["country_region_pair"])
        self._compound = re.compile(f"(?:{pairs}){countries}*|{countries}{{2,}}" if pairs else f"{countries}{{2,}}")
        self._common_words = frozenset(w for w, _ in rule_words["common_word"])
        self._common_lengths = sorted({len(w) for w in self._common_words})

    # Finding -------------------------------------------------------------

    def find(self, text: str, bounds: Set[int]) -> List[Candidate]:
        """All candidates in text, given the character offsets of all token edges."""
        found: List[Candidate] = []
        blockers: List[Tuple[int, int]] = []
        prefixes: List[Candidate] = []
        hits = self._names.prefixes(text, bounds)
        hits.sort(key=_END_START)  # as a left-to-right scan finds them
        compound_starts: List[int] = []
        for start, end, names in hits:
            for name in names:
                if not name.pattern:  # _COMPOUND_START, also after unpickling
                    compound_starts.append(start)
                elif name.label is None:
                    if end in bounds:
                        blockers.append((start, end))
                elif name.series:
                    self._find_series(text, start, end, name, bounds, found)
                elif name.label == "GPE":
                    self._find_country_rules(text, start, end, name.english, bounds, found)
                    if end in bounds:
                        found.append(Candidate(start, end, name.label, name.id, name.rank))
                else:
                    cand = Candidate(start, end, name.label, name.id, name.rank)
                    found.append(cand)
                    if end in bounds and name.label == "ORG":
                        prefixes.append(cand)
                    elif name.label == "MISSION" and text[end : end + 1] in DESIGNATION_FIRST:
                        self._find_designation(text, cand, bounds, found)
        if compound_starts:
            prefixes.extend(self._find_compounds(text, bounds, found, compound_starts))
        self._find_quoted(text, bounds, found)
        if prefixes:
            prefixes.extend(self._joined_to_countries(text, bounds, found, prefixes))
            # A body name stops before another organization (欧洲空间局/和/联合国/…委员会).
            org_starts = sorted({c.start for c in found if c.label == "ORG"})
            for prefix in prefixes:
                self._find_body(text, prefix, bounds, found, org_starts)
        if blockers:
            found = _drop_blocked(found, blockers)
        return found

    def _find_series(
        self, text: str, pos: int, end: int, name: _Name, bounds: Set[int], found: List[Candidate]
    ) -> None:
        match = SERIES_NUMBER.match(text, end) if text[end : end + 1] in SERIES_NUMBER_FIRST else None
        if match and (match["hao"] or match["xing"] or match["sep"] or _is_short_arabic(match["num"])):
            number = normalize_number(match["num"])
            variant = match["variant"] or ""
            variant = VARIANT_LETTERS.get(variant, variant.upper())
            if variant[:1].isdigit():
                variant = " " + variant
            number_end = match.end("hao") if match["hao"] else match.end("num")
            ends = [match.end()]
            if match["variant"] or match["xing"]:
                ends.append(number_end)
            if not match["hao"] and _is_arabic(match["num"]):
                ends.extend(match.end() + len(t) for t in self._mission_tails if text.startswith(t, match.end()))
            ends.sort(reverse=True)
            aligned = [e for e in ends if e in bounds]
            name_end = aligned[0] if aligned else ends[0]
            # The variant is part of the id only where it is part of the name (嫦娥五号/T1: no).
            full_id = f"{name.id}-{number}{variant if name_end > number_end else ''}"
            found.append(Candidate(pos, name_end, name.label, full_id, name.rank))
            return
        if name.standalone or self._names_a_series(text, end, bounds):
            found.append(Candidate(pos, end, name.label, name.id, name.rank))

    def _names_a_series(self, text: str, end: int, bounds: Set[int]) -> bool:
        """A series name that is also a common word, followed by 系列/运载火箭… (长征/系列)."""
        context = self._series_context.match(text, end) if end in bounds else None
        return context is not None and context.end() in bounds

    def _find_country_rules(
        self, text: str, start: int, end: int, english: str, bounds: Set[int], found: List[Candidate]
    ) -> None:
        if text[end : end + 1] not in self._after_country:
            return
        agency = self._agency.match(text, end)
        if agency and agency.end() in bounds:
            found.append(Candidate(start, agency.end(), "ORG", f"{english} space agency", RULE_RANK))
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
            if last["num"]:
                number = normalize_number(last["num"])
            else:
                number = last["code"].translate(_FULL_WIDTH_DIGITS).upper()
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

    def _find_compounds(
        self, text: str, bounds: Set[int], found: List[Candidate], starts: List[int]
    ) -> List[Candidate]:
        """Countries of abbreviation compounds (中俄, 中欧) at the given token edges;
        returns the compounds themselves."""
        compounds: List[Candidate] = []
        country_ends: Optional[Dict[int, int]] = None
        for start in sorted(set(starts)):
            match = self._compound.match(text, start)
            if match is None or (compounds and start < compounds[-1].end):
                continue
            end = match.end()
            if end not in bounds:
                # A compound may end inside its last token (中俄关系), not run into
                # the next one: 中俄/蒙古 is 中俄, 中/欧洲 no compound.
                end = max((i for i in range(start + 1, end) if i in bounds), default=end)
                if end - start < 2:
                    continue
            if self._cut_by_common_word(text, start, end, bounds):
                continue
            if country_ends is None:
                country_ends = {}
                for cand in found:
                    if cand.label == "GPE" and cand.end > country_ends.get(cand.start, 0):
                        country_ends[cand.start] = cand.end
            if country_ends.get(start, 0) > end:
                continue  # the start of a listed country: 中非 in 中非共和国
            for i in range(start, end):
                if text[i] in self._abbreviations:
                    found.append(Candidate(i, i + 1, "GPE", self._abbreviations[text[i]], RULE_RANK))
            compounds.append(Candidate(start, end, "GPE", text[start:end], RULE_RANK))
        return compounds

    def _cut_by_common_word(self, text: str, start: int, end: int, bounds: Set[int]) -> bool:
        """True when a common word crosses an edge of text[start:end] (可以|加强, 新中|国).

        The word counts where the tokens allow it: on token edges, or inside one token.
        """
        for length in self._common_lengths:
            for pos in range(max(0, start - length + 1), end):
                word_end = pos + length
                if not (pos < start < word_end or pos < end < word_end):
                    continue
                if text[pos:word_end] not in self._common_words:
                    continue
                on_edges = pos in bounds and word_end in bounds
                if on_edges or not any(i in bounds for i in range(pos + 1, word_end)):
                    return True
        return False

    def _find_designation(self, text: str, mission: Candidate, bounds: Set[int], found: List[Candidate]) -> None:
        """A satellite of a named series by its number: 中巴地球资源卫星 + 04A星 → CBERS-04A."""
        match = DESIGNATION.match(text, mission.end)
        if match and match.end() in bounds:
            number = normalize_number(match["num"]) + (match["variant"] or "").upper()
            found.append(mission._replace(end=match.end(), id=f"{mission.id}-{number}"))

    def _find_quoted(self, text: str, bounds: Set[int], found: List[Candidate]) -> None:
        if "“" not in text:
            return
        for match in self._quoted.finditer(text):
            start, end = match.span("name")
            name = match["name"]
            if start in bounds and end in bounds and not name.isdigit():
                found.append(Candidate(start, end, "MISSION", name, RULE_RANK))

    def _joined_to_countries(
        self, text: str, bounds: Set[int], found: List[Candidate], prefixes: List[Candidate]
    ) -> List[Candidate]:
        """Prefixes that a country joins with a dash (中国/—/东盟/…/中心): a body
        name may start at the country."""
        after_dash = [p for p in prefixes if p.start > 0 and text[p.start - 1] in DASHES and p.end in bounds]
        if not after_dash:
            return []
        countries = {c.end: c for c in found if c.label == "GPE" and c.end in bounds}
        joined = []
        for prefix in after_dash:
            country = countries.get(prefix.start - 1)
            if country is not None:
                joined.append(Candidate(country.start, prefix.end, "ORG", text[country.start : prefix.end], RULE_RANK))
        return joined

    def _find_body(
        self,
        text: str,
        prefix: Candidate,
        bounds: Set[int],
        found: List[Candidate],
        org_starts: Sequence[int],
    ) -> None:
        """A body named after an organization or a compound: prefix + … + head word."""
        start = prefix.end
        limit = min(len(text), start + MAX_BODY_EXTENSION)
        for org_start in org_starts:
            if start <= org_start < limit:
                limit = org_start
                break
        if not self._body_heads.search(text, start, limit):
            return
        stop = self._body_break.search(text, start, limit)
        if stop:
            limit = stop.start()
        for stop in self._body_stops.finditer(text, start, limit):
            if stop.start() in bounds and stop.end() in bounds:
                limit = stop.start()
                break
        best = -1
        for head in self._body_heads.finditer(text, start, limit):
            if head.start() in bounds and head.end() in bounds:
                best = head.end()
        if best > start:
            found.append(Candidate(prefix.start, best, "ORG", text[prefix.start : best], RULE_RANK))


def _is_arabic(number: str) -> bool:
    return number[0] in ARABIC_DIGITS


def _is_short_arabic(number: str) -> bool:
    return _is_arabic(number) and len(number) <= 2


def _drop_blocked(found: List[Candidate], blockers: List[Tuple[int, int]]) -> List[Candidate]:
    """Drop candidates that cut into an ordinary word (中国 in 发展中国家).

    A candidate cuts into a word when it starts or ends strictly inside it.
    """
    inside: Set[int] = set()
    for start, end in blockers:
        inside.update(range(start + 1, end))
    return [cand for cand in found if cand.start not in inside and cand.end not in inside]


def resolve(candidates: Iterable[Candidate]) -> List[Candidate]:
    """The longest candidates that do not overlap, in text order.

    Ties go to the lower rank (a user's pattern over a shipped one over a
    rule), then to the name added first.
    """
    taken: List[Candidate] = []
    cluster: List[Candidate] = []
    cluster_end = -1
    for cand in sorted(candidates, key=_START_END):
        if cand.start < cluster_end:
            cluster.append(cand)
            cluster_end = max(cluster_end, cand.end)
        else:
            taken.extend(_resolve_overlapping(cluster))
            cluster = [cand]
            cluster_end = cand.end
    taken.extend(_resolve_overlapping(cluster))
    return taken


def _resolve_overlapping(cluster: List[Candidate]) -> List[Candidate]:
    """resolve() for one run of candidates that overlap in a chain."""
    if len(cluster) < 2:
        return cluster
    best: Dict[Tuple[int, int], Candidate] = {}
    for cand in cluster:
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
