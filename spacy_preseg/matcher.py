"""Find country, organization and mission names in text, on token boundaries.

Matching works on the characters of ``doc.text`` and is then checked against
the token boundaries, so a name is found however the text happens to be
split into tokens (欧洲/空间局 and 欧洲空间局 alike), while the segmentation
stays evidence: a name must start where a token starts, and a country name
end where one ends (发展/中/国家 has no 中国, 巴西人 no 巴西). Organization
and mission names that start a token but end inside it are *sub-token*
matches (北斗 in 北斗导航, 联合国 in 联合国秘书长), as are one-character
country abbreviations inside a token (中 and 俄 in 中俄, 中 in 中方).

Besides the listed names, general rules find:

- countries: compounds of one-character abbreviations (中俄, 中日韩, 坦赞铁路;
  the regions in them, 中欧 → 中, are no country), "the X side" (中方, 美方),
  an abbreviation alone in its token where the context says it stands for
  its country (俄/外长, 对/美/出口, 来/华);
- missions: a series with a designation in any script (嫦娥/六/号, 长征五号乙,
  联盟MS-25, 哨兵-2B, GSAT-24), X号 before a spacecraft word (努里号/运载/火箭),
  a quoted name before or after one (“龙”/货运/飞船, 着陆器/“/维克拉姆/”), a
  Latin designation beside one (SAOCOM-1B/雷达/卫星) or in space context, a country's numbered
  satellite (埃及二号遥感卫星), a listed satellite with its number
  (中巴地球资源卫星04A星);
- organizations: a country with an agency word (巴西航天局) or a government
  body (日本/外务省, 中国/驻/印度尼西亚/大使馆), a body named after an
  organization, a country, a compound or a person ending in 委员会, 研究所,
  公司… (中俄/航天/合作/分委会, 以色列/航空/航天/工业/公司,
  马克斯·普朗克/地外/物理/研究所), a Latin name beside a company word.

Names that are also ordinary words (北斗, 风云, 嫦娥, 伽利略) count only where
their context says so (see :mod:`spacy_preseg.senses`); a name that is the
whole of a title in 《》 (a film, a poem, a play) is none.
"""

import re
from bisect import bisect_left, bisect_right
from operator import itemgetter
from typing import Any, Dict, Iterable, List, NamedTuple, Optional, Sequence, Set, Tuple

from .char_trie import CharTrie
from .designations import ARABIC_DIGITS, CHINESE_DIGITS, DASHES, NUMBER, normalize_number, series_designation
from .designations import FIRST_CHARACTERS as DESIGNATION_STARTS
from .dictionary_words import dictionary, word_edges
from .gazetteer import pattern_text
from .senses import SenseContext, alternation

USER_RANK, SHIPPED_RANK, RULE_RANK = 0, 1, 2
MAX_BODY_EXTENSION = 16
MAX_BODY_TOKENS = 6
# Characters that end a generated name; the dash is not among them because
# it joins the parts of names (澜沧江—湄公河, 中国—东盟).
BODY_BREAKS = "，。、；：！？“”‘’《》〈〉（）()[]【】「」『』,.;:!?\"'…\n\r\t "
PUNCTUATION = frozenset(BODY_BREAKS)
DESIGNATION = re.compile(rf"(?P<num>[{ARABIC_DIGITS}]{{1,3}})(?P<variant>[A-Za-z])?星")
DESIGNATION_FIRST = frozenset(ARABIC_DIGITS)
LATIN_NAME = re.compile(rf"[A-Za-z][A-Za-z0-9]*(?:[.{re.escape(DASHES)}][A-Za-z0-9]+)*")
LATIN_LETTER = re.compile("[A-Za-z]")
# A code of letters, a dash and a number (NEONSAT-1, NVS-01, MTG-I1): a spacecraft where the text is of space.
LATIN_DESIGNATION = re.compile(rf"[A-Z][A-Za-z]+[{re.escape(DASHES)}][A-Z]?[0-9][A-Za-z0-9]*")
DESIGNATION_CODE = re.compile(rf"[{re.escape(DASHES)}](?<=[\u4e00-\u9fff].)[A-Za-z0-9]+(?:[.{re.escape(DASHES)}][A-Za-z0-9]+)*")
CJK_NAME = re.compile("[\u4e00-\u9fff]+")
DASH = re.compile(f"[{re.escape(DASHES)}]")
PLACE_IN_BRACKETS = re.compile("（[\u4e00-\u9fff]{2,4}）")
QUOTED = re.compile(r"“([^“”\s，。、；：！？]{1,20})”")
TITLE = re.compile("《([^《》]{1,40})》")
PERSON_DOT = re.compile("[\u4e00-\u9fff]·[\u4e00-\u9fff]")
# The first characters of a name formed as X号: not a demonstrative, a count or an ordinal.
NOT_X_HAO_START = frozenset("这该此本首头每同其某第前后上下型编称年月日时代" + ARABIC_DIGITS + CHINESE_DIGITS)
_START_END = itemgetter(0, 1)  # a Candidate's (start, end)


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
    ambiguous: bool  # counts only in a space context
    ordinary_sense: bool  # counts unless the context is the other sense
    english: str
    abbreviation: bool = False
    latin: bool = False  # written in Latin letters (GSAT): takes a designation only after a dash or digits


def _make_name(entry: Dict[str, Any], rank: int) -> _Name:
    return _Name(
        pattern=pattern_text(entry),
        label=entry["label"],
        id=entry["id"],
        rank=rank,
        series=bool(entry.get("series")),
        standalone=entry.get("standalone", True),
        ambiguous=bool(entry.get("ambiguous")),
        ordinary_sense=bool(entry.get("ordinary_sense")),
        english=entry.get("name", entry["id"]),
        abbreviation=bool(entry.get("abbreviation")),
        latin=pattern_text(entry).isascii(),
    )


def _words(rule_words: Dict[str, Sequence[Tuple[str, str]]], kind: str) -> List[str]:
    return [word for word, _ in rule_words.get(kind, ())]


def _regex(words: Iterable[str]) -> "re.Pattern":
    return re.compile(alternation(words) or "(?!)")


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
        self._alone: Dict[str, str] = {}  # abbreviation -> "context", "relation", "run" or "never"
        self._abbreviation_ids: Dict[str, str] = {}
        self._compound_abbreviations: Set[str] = set()
        for rank, entries in ((USER_RANK, user), (SHIPPED_RANK, shipped)):
            for entry in entries:
                name = _make_name(entry, rank)
                names.setdefault(name.pattern, []).append(name)
                if name.abbreviation:
                    self._alone.setdefault(name.pattern, entry.get("alone", "context"))
                    self._abbreviation_ids.setdefault(name.pattern, name.id)
                    if entry.get("in_compounds", True):
                        self._compound_abbreviations.add(name.pattern)
        for word in _words(rule_words, "ordinary_word"):
            names.setdefault(word, []).append(_Name(word, None, word, SHIPPED_RANK, False, False, False, False, word))
        # Entries were added user first, then shipped: in rank order.
        self._names = CharTrie((pattern, tuple(entries)) for pattern, entries in names.items())
        # Three characters shared with a country's name (塔吉克族, 新加坡): no compound there.
        self._country_prefixes = frozenset(
            pattern[:3] for pattern, entries in names.items() if len(pattern) >= 3 and any(n.label == "GPE" for n in entries)
        )

        self.senses = SenseContext(
            _words(rule_words, "space_context"),
            _words(rule_words, "ordinary_context"),
            _words(rule_words, "sense_tail"),
        )
        kinds = {word: name for word, name in rule_words["satellite_kind"]}
        self._kind_names = kinds
        kind_re = alternation(kinds)
        head_re = alternation(_words(rule_words, "satellite_head"))
        self._satellite_numbered_first = re.compile(
            rf"(?P<num>{NUMBER})号(?P<kinds>(?:{kind_re})*)(?P<head>卫星)?"
        )
        # 巴基斯坦/遥感/卫星/一/号, or with a designation of digits and a letter:
        # 巴基斯坦/通信/卫星/1R (digits alone are a count or a measure: 卫星/5/米).
        self._satellite_numbered_last = re.compile(
            rf"(?P<kinds>(?:{kind_re})+)(?:{head_re})"
            rf"(?:(?P<num>{NUMBER})号|(?P<code>[{ARABIC_DIGITS}]{{1,2}}[A-Za-z])(?![0-9A-Za-z]))"
        )
        self._agency = _regex(_words(rule_words, "agency_suffix"))
        self._government = _regex(_words(rule_words, "government_body"))
        self._series_context = _regex(_words(rule_words, "series_context"))
        self._mission_tails = tuple(_words(rule_words, "mission_tail"))
        # After an unlisted name a programme word counts too (Ax-3/任务); before a quote only a spacecraft.
        self._vehicle_or_programme = _regex(_words(rule_words, "vehicle_word") + _words(rule_words, "programme_word"))
        self._vehicle_ends = tuple(_words(rule_words, "vehicle_word"))
        self._quoted_suffix = _regex(_words(rule_words, "quoted_mission_suffix"))
        self._body_heads = _regex(_words(rule_words, "body_head") + _words(rule_words, "government_body"))
        self._suffix_heads = frozenset(_words(rule_words, "head_suffix"))
        head_ends = {w[-1] for w in _words(rule_words, "body_head") + _words(rule_words, "government_body")}
        self._head_ends = re.compile("[" + re.escape("".join(sorted(head_ends | self._suffix_heads))) + "]")
        self._suffix_head = re.compile("[" + re.escape("".join(sorted(self._suffix_heads))) + "]")
        self._site_heads = tuple(_words(rule_words, "site_head"))
        self._not_heads = tuple(_words(rule_words, "not_a_head"))
        self._body_stops = _regex(_words(rule_words, "body_stop"))
        self._body_break = re.compile("[" + re.escape(BODY_BREAKS) + "]")
        self._company_words = tuple(_words(rule_words, "company_context"))
        self._latin_stopwords = frozenset(w.lower() for w in _words(rule_words, "latin_stopword"))
        self._regions = tuple(sorted(_words(rule_words, "region_unit"), key=len, reverse=True))
        self._abbreviation_suffixes = frozenset(_words(rule_words, "abbreviation_suffix"))
        self._lone_before = frozenset(_words(rule_words, "lone_before"))
        self._lone_after = frozenset(_words(rule_words, "lone_after"))
        self._country_suffix_blockers = frozenset(_words(rule_words, "country_suffix_blocker"))
        self._blocker_starts = frozenset(w[0] for w in self._country_suffix_blockers)
        self._demonym_suffixes = frozenset(_words(rule_words, "demonym_suffix"))
        # In text cut into characters (see _in_unknown_run): single characters that are words
        # of their own (numerals, function words) and those that may be countries.
        self._word_characters = frozenset(CHINESE_DIGITS) | frozenset(
            w
            for kind in ("body_stop", "lone_before", "lone_after", "abbreviation_suffix")
            for w in _words(rule_words, kind)
            if len(w) == 1
        )
        self._country_characters = frozenset(self._alone) | frozenset(w for w in _words(rule_words, "region_unit") if len(w) == 1)
        self._lone_before_characters = frozenset(w for w in _words(rule_words, "lone_before") if len(w) == 1)
        # What may follow the first abbreviation of a compound: a cheap test before parsing one.
        self._compound_followers = frozenset(self._compound_abbreviations | {r[0] for r in self._regions})
        self._common_words = frozenset(_words(rule_words, "common_word"))
        self._common_lengths = sorted({len(w) for w in self._common_words})
        # What can follow a country in a rule: a cheap test before the regexes.
        self._after_country = frozenset(
            [w[0] for w in _words(rule_words, "agency_suffix")]
            + [w[0] for w in kinds]
            + list(ARABIC_DIGITS + CHINESE_DIGITS)
        )

    # Finding -------------------------------------------------------------

    def word_edges(self, text: str) -> List[int]:
        """The edges of text's words for the rules, where its tokens are single characters
        (see :mod:`spacy_preseg.dictionary_words`): a listed name is a word, and so is a
        country with a demonym suffix (法国人: a people, no country); a word of relation
        and an abbreviation that counts only after one are two (访华 → 访/华)."""
        longest: Dict[int, int] = {}
        suffixes, words = self._demonym_suffixes, dictionary()
        for start, end, names in self._names.prefixes(text, range(len(text))):
            if end - start < 2:
                continue
            if (
                text[end : end + 1] in suffixes
                and text[end : end + 2] not in words  # 巴勒斯坦/人民
                and any(n.label == "GPE" and not n.abbreviation for n in names)
            ):
                end += 1
            if end > longest.get(start, 0):
                longest[start] = end
        edges = self._joined_words(text, word_edges(text, longest))
        split = [
            start + 1
            for start, end in zip(edges, edges[1:])
            if end - start == 2
            and text[start] in self._lone_before_characters
            and self._alone.get(text[start + 1]) == "relation"
        ]
        return sorted(edges + split) if split else edges

    def _joined_words(self, text: str, edges: List[int]) -> List[int]:
        """Words that segmented text writes as one: a run of single abbreviations (中/日/韩 →
        中日韩, a compound) and a head suffix after a word (保护/部 → 保护部)."""
        words = list(zip(edges, edges[1:]))
        joined: List[List[int]] = []
        i = 0
        while i < len(words):
            start, end = words[i]
            if self._single_of_a_name(text, start, end):
                j = i
                while j < len(words) and self._single_of_a_name(text, *words[j]):
                    j += 1
                run = words[i:j]
                if len(run) >= 2 and all(text[a] in self._country_characters for a, _ in run):
                    joined.append([run[0][0], run[-1][1]])
                else:
                    joined.extend([a, b] for a, b in run)
                i = j
                continue
            last = joined[-1] if joined else None
            if end - start == 1 and text[start] in self._suffix_heads and last and last[1] - last[0] >= 2 and CJK_NAME.fullmatch(text, last[0], last[1]):
                last[1] = end
            else:
                joined.append([start, end])
            i += 1
        return [0] + [end for _, end in joined]

    def _single_of_a_name(self, text: str, start: int, end: int) -> bool:
        """A word of one Chinese character that is no word alone (a numeral, a function word, a head suffix)."""
        if end - start != 1 or CJK_NAME.match(text, start) is None:
            return False
        return text[start] not in self._word_characters and text[start] not in self._suffix_heads

    def find(
        self, text: str, bounds: Set[int], edges: Optional[List[int]] = None, cut_into_characters: bool = False
    ) -> List[Candidate]:
        """All candidates in text, given the character offsets of all token edges.

        edges, the same offsets in order, saves sorting them where a rule needs them;
        cut_into_characters says that they are those of word_edges(), not the tokens'.
        """
        return _Search(self, text, bounds, edges, cut_into_characters).run()


class _Search:
    """One text's search: the text, its token edges and what has been found."""

    def __init__(
        self, matcher: NameMatcher, text: str, bounds: Set[int], edges: Optional[List[int]], cut_into_characters: bool
    ) -> None:
        self.m = matcher
        self.text = text
        self.bounds = bounds
        self._edges = edges
        self.cut_into_characters = cut_into_characters
        self.found: List[Candidate] = []
        self.blockers: List[Tuple[int, int]] = []
        self.prefixes: List[Candidate] = []
        self.lone: List[Tuple[int, _Name]] = []
        self.country_ids: Set[str] = set()
        self.country_hits: Dict[int, int] = {}  # start -> longest end of a listed country there

    # Token positions, computed when a rule first needs them.

    @property
    def edges(self) -> List[int]:
        if self._edges is None:
            self._edges = sorted(self.bounds)
        return self._edges

    def token_end(self, start: int) -> int:
        """The end of the token that starts at start (or contains it)."""
        edges = self.edges
        i = bisect_right(edges, start)
        return edges[i] if i < len(edges) else len(self.text)

    def previous_token(self, start: int) -> str:
        edges = self.edges
        i = bisect_left(edges, start)
        return self.text[edges[i - 1] : start] if i > 0 else ""

    def next_token(self, end: int) -> str:
        return self.text[end : self.token_end(end)] if end < len(self.text) else ""

    def tokens_after(self, end: int, count: int) -> List[Tuple[int, int]]:
        """Up to count (start, end) token spans from end on."""
        edges = self.edges
        i = bisect_left(edges, end)
        return [(edges[k], edges[k + 1]) for k in range(i, min(i + count, len(edges) - 1))]

    def add(self, start: int, end: int, label: str, ent_id: str, rank: int = RULE_RANK) -> Candidate:
        cand = Candidate(start, end, label, ent_id, rank)
        self.found.append(cand)
        return cand

    # The search ----------------------------------------------------------

    def run(self) -> List[Candidate]:
        m, text, bounds = self.m, self.text, self.bounds
        abbreviations = []
        for start, end, names in m._names.prefixes(text, bounds):
            for name in names:
                if name.label is None:
                    if end in bounds:
                        self.blockers.append((start, end))
                elif name.abbreviation:
                    abbreviations.append((start, name))  # once every country name is known
                elif name.series or name.label == "MISSION":
                    self._series(start, end, name)
                elif name.label == "GPE":
                    self.country_ids.add(name.id)
                    if end > self.country_hits.get(start, 0):
                        self.country_hits[start] = end
                    self._country(start, end, name)
                else:
                    self._listed(start, end, name)
        for start, name in abbreviations:
            self._abbreviation(start, name)
        for start, name in self.lone:
            self._lone_abbreviation(start, name)
        if "“" in text:
            self._quoted()
        if "号" in text:
            self._x_hao()
        if LATIN_LETTER.search(text):
            self._latin()
        if DESIGNATION_CODE.search(text):
            self._designated_names()
        if "·" in text:
            self._person_prefixes()
        if self.prefixes:
            self._bodies()
        found = self.found
        if self.blockers:
            found = _drop_blocked(found, self.blockers)
        if "《" in text:
            found = self._drop_titles(found)
        return found

    # Listed names ----------------------------------------------------------

    def _listed(self, start: int, end: int, name: _Name) -> None:
        if (name.ambiguous or name.ordinary_sense) and not self.m.senses.is_mention(
            self.text, self.edges, start, end, needs_space=name.ambiguous
        ):
            return
        if end not in self.bounds and self.token_end(start) < end and self.token_end(end) - end < 2:
            return  # 消息/报道: a name that cuts a later word before its last character is none
        cand = self.add(start, end, name.label, name.id, name.rank)
        if end not in self.bounds:
            return  # a sub-token name: 北斗 in 北斗导航
        if name.label == "ORG":
            self.prefixes.append(cand)
        elif name.label == "MISSION" and self.text[end : end + 1] in DESIGNATION_FIRST:
            self._numbered_member(cand)

    def _numbered_member(self, mission: Candidate) -> None:
        """A satellite of a named series by its number: 中巴地球资源卫星 + 04A星 → CBERS-04A."""
        match = DESIGNATION.match(self.text, mission.end)
        if match and match.end() in self.bounds:
            number = normalize_number(match["num"]) + (match["variant"] or "").upper()
            self.found.append(mission._replace(end=match.end(), id=f"{mission.id}-{number}"))

    def _series(self, start: int, end: int, name: _Name) -> None:
        """A mission name and its designation (嫦娥/六/号, 联盟MS-25, 沙维特-2); else the bare name."""
        text, bounds = self.text, self.bounds
        designation = series_designation(text, end, name.latin) if text[end : end + 1] in DESIGNATION_STARTS else None
        if designation is not None and designation.arabic:
            # A number stays inside its token: 亚马孙-1/2021 is Amazonia-1 of 2021.
            digits_end = designation.start
            while digits_end < len(text) and text[digits_end] in ARABIC_DIGITS:
                digits_end += 1
            cut = next((b for b in range(designation.start + 1, digits_end) if b in bounds), None)
            if cut is not None:
                designation = series_designation(text[:cut], end, name.latin)
        if designation is not None:
            ends = list(designation.ends)
            if designation.latin:
                # A code stays inside its token: 亚马孙-1/2021 is Amazonia-1 of 2021.
                cap = self.token_end(designation.start)
                ends = [min(e, cap) for e in ends]
            aligned = sorted((e for e in ends if e in bounds), reverse=True)
            if not aligned and designation.arabic and not designation.latin:
                # 月球—资源—1轨/道器: where the tokens run on, an Arabic number takes a tail word.
                tails = [e + len(t) for e in designation.ends for t in self.m._mission_tails if text.startswith(t, e)]
                aligned = sorted((e for e in tails if e in bounds), reverse=True)
            if aligned:
                name_end = aligned[0]
                code = designation.normalized
                if not designation.latin and name_end <= designation.short_end:
                    # The variant is part of the id only where it is part of the name (嫦娥五号/T1: no).
                    code = normalize_number(text[designation.start : designation.short_end].rstrip("号"))
                separator = " " if designation.latin and code[:1].isalpha() else "-"
                self.add(start, name_end, name.label, f"{name.id}{separator}{code}", name.rank)
                return
        if not name.series:
            self._listed(start, end, name)
        elif not name.standalone:
            if self._names_a_series(end):
                self.add(start, end, name.label, name.id, name.rank)
        else:
            self._listed(start, end, name)

    def _names_a_series(self, end: int) -> bool:
        """A series name that is also a common word, followed by 系列/运载火箭… (长征/系列)."""
        context = self.m._series_context.match(self.text, end) if end in self.bounds else None
        return context is not None and context.end() in self.bounds

    # Countries ------------------------------------------------------------

    def _country(self, start: int, end: int, name: _Name) -> None:
        text = self.text
        if text[end : end + 1] in self.m._after_country:
            self._country_rules(start, end, name.english)
        if end not in self.bounds:
            return  # a country never ends inside a token: 巴西人, 中国人
        if text[end : end + 1] in self.m._blocker_starts and self.next_token(end) in self.m._country_suffix_blockers:
            return  # 墨西哥/城, 朝鲜/半岛: a city, a peninsula
        cand = self.add(start, end, "GPE", name.id, name.rank)
        self.prefixes.append(cand)

    def _country_rules(self, start: int, end: int, english: str) -> None:
        m, text, bounds = self.m, self.text, self.bounds
        agency = m._agency.match(text, end)
        if agency and agency.end() in bounds:
            self.add(start, agency.end(), "ORG", f"{english} space agency")
        first = m._satellite_numbered_first.match(text, end)
        if first:
            number = normalize_number(first["num"])
            if first["head"] and first["kinds"] and first.end() in bounds:
                kinds = self._kinds_english(first["kinds"])
                self.add(start, first.end(), "MISSION", f"{english}-{number} {kinds}Satellite")
            elif first.end("num") + 1 in bounds:
                self.add(start, first.end("num") + 1, "MISSION", f"{english}-{number}")
        last = m._satellite_numbered_last.match(text, end)
        if last and last.end() in bounds:
            kinds = self._kinds_english(last["kinds"])
            if last["num"]:
                number = normalize_number(last["num"])
            else:
                number = last["code"].upper()
            self.add(start, last.end(), "MISSION", f"{english} {kinds}Satellite-{number}")

    def _kinds_english(self, kinds: str) -> str:
        words = []
        while kinds:
            word = max((k for k in self.m._kind_names if kinds.startswith(k)), key=len)
            words.append(self.m._kind_names[word])
            kinds = kinds[len(word) :]
        return "".join(w + " " for w in words)

    def _abbreviation(self, start: int, name: _Name) -> None:
        """A one-character abbreviation at a token start: alone, "the X side" or a compound."""
        bounds, following = self.bounds, self.text[start + 1 : start + 2]
        if start + 1 in bounds:
            self.lone.append((start, name))
        elif following in self.m._abbreviation_suffixes and start + 2 in bounds:
            self.add(start, start + 1, "GPE", name.id)  # 中方, 美方, 以方
        elif name.pattern in self.m._compound_abbreviations and following in self.m._compound_followers:
            self._compound(start, self.token_end(start))

    def _compound(self, start: int, token_end: int) -> None:
        """Countries of a compound of abbreviations that starts a token (中俄, 中日韩, 中欧, 中东盟)."""
        m, text = self.m, self.text
        if self.country_hits.get(start, 0) > start + 1 or text[start : start + 3] in m._country_prefixes:
            return  # a country's name: 巴西, 新加坡, 塔吉克族
        units: List[Tuple[int, int, bool]] = []  # (start, end, is a country)
        pos = start
        while pos < token_end:
            region = next((r for r in m._regions if text.startswith(r, pos) and pos + len(r) <= token_end), None)
            if region is not None and units:
                units.append((pos, pos + len(region), False))
                pos += len(region)
            elif text[pos] in m._compound_abbreviations:
                units.append((pos, pos + 1, True))
                pos += 1
            else:
                break
        if len(units) < 2:
            return
        end = units[-1][1]
        rest = text[end:token_end]
        if rest and rest not in m._abbreviation_suffixes and not (len(rest) >= 2 and CJK_NAME.fullmatch(rest)):
            return  # 巴西人, 中科院, 卡伊姆-100: the start of a word or a name, not countries
        if self._cut_by_common_word(start, end):
            return
        # 新墨西哥: a country's name starts inside and runs on, so these are no countries.
        if any(end < n_end for u_start, _, _ in units[1:] for _, n_end, names in m._names.prefixes(text, [u_start]) if any(n.label == "GPE" and not n.abbreviation for n in names)):
            return
        for unit_start, unit_end, is_country in units:
            if is_country:
                self.add(unit_start, unit_end, "GPE", m._abbreviation_ids[text[unit_start]])
        self.prefixes.append(Candidate(start, end, "GPE", text[start:end], RULE_RANK))

    def _cut_by_common_word(self, start: int, end: int) -> bool:
        """True when a common word crosses an edge of text[start:end] (可以|加强, 新中|国).

        The word counts where the tokens allow it: on token edges, or inside one token.
        """
        text, bounds = self.text, self.bounds
        for length in self.m._common_lengths:
            for pos in range(max(0, start - length + 1), end):
                word_end = pos + length
                if not (pos < start < word_end or pos < end < word_end):
                    continue
                if text[pos:word_end] not in self.m._common_words:
                    continue
                on_edges = pos in bounds and word_end in bounds
                if on_edges or not any(i in bounds for i in range(pos + 1, word_end)):
                    return True
        return False

    def _lone_abbreviation(self, start: int, name: _Name) -> None:
        """An abbreviation that is a token of its own: a country where the context says so.

        It counts beside another such abbreviation (中/美, 日/美/同盟), after a word
        of relation (对/美, 来/华), before a word of government (俄/外长),
        or where the Doc names the same country in full (俄罗斯 … 俄/将).
        """
        mode = self.m._alone.get(name.pattern, "context")
        if mode == "never" or (self.cut_into_characters and self._in_unknown_run(start)):
            return
        before = self.previous_token(start)
        after = self.next_token(start + 1)
        beside = any(self._is_country_word(word) for word in (before, after))
        counts = beside
        if mode != "run":
            counts = counts or before in self.m._lone_before or after in self.m._lone_after
        if mode == "context":  # not for the common surnames (韩/正, 华/春莹): mode "relation"
            counts = counts or name.id in self.country_ids
        if counts:
            self.add(start, start + 1, "GPE", name.id)

    def _in_unknown_run(self, start: int) -> bool:
        """In text cut into characters: the word at start is one of three or more single
        characters in a row, one of which is no known word alone: a name that no dictionary
        holds (马希亚, 泰雷兹, 加加扬), not countries."""
        text, edges, words = self.text, self.edges, self.m._word_characters

        def in_run(k: int) -> bool:  # the word edges[k]:edges[k + 1] is a single character of a name
            return edges[k + 1] - edges[k] == 1 and text[edges[k]] not in words and CJK_NAME.match(text, edges[k]) is not None

        first = last = bisect_left(edges, start)
        while first > 0 and in_run(first - 1):
            first -= 1
        while last + 1 < len(edges) and in_run(last):
            last += 1
        countries = self.m._country_characters
        return last - first >= 3 and any(text[edges[k]] not in countries for k in range(first, last))

    def _is_country_word(self, word: str) -> bool:
        """An abbreviation that can stand alone, or a region, as a token of its own (中/美, 中/欧)."""
        return (len(word) == 1 and self.m._alone.get(word, "never") != "never") or word in self.m._regions

    # Missions by rule -------------------------------------------------------

    def _quoted(self) -> None:
        """A name in quotation marks beside a spacecraft word: “月球—25”号, 着陆器/“/维克拉姆/”."""
        text, bounds = self.text, self.bounds
        for match in QUOTED.finditer(text):
            start, end = match.span(1)
            if start not in bounds or end not in bounds or match[1].isdigit():
                continue
            before = text[max(0, match.start() - 4) : match.start()]
            if self._word_follows(match.end(), self.m._quoted_suffix) or before.endswith(self.m._vehicle_ends):
                self.add(start, end, "MISSION", match[1])

    def _word_follows(self, pos: int, words: "re.Pattern") -> bool:
        """One of words follows pos, after at most two short modifier tokens (货运, 雷达, 通信)."""
        text, bounds = self.text, self.bounds
        for token_start, token_end in self.tokens_after(pos, 3):
            match = words.match(text, token_start)
            if match is not None and match.end() in bounds:
                return True
            token = text[token_start:token_end]
            if (
                token_start - pos >= 6
                or len(token) > 3
                or any(c in PUNCTUATION for c in token)
                or self.m._body_stops.fullmatch(token)
            ):
                return False
        return False

    def _spacecraft_follows(self, pos: int) -> bool:
        return self._word_follows(pos, self.m._vehicle_or_programme)

    def _x_hao(self) -> None:
        """X号 before a spacecraft word: 努里号/运载/火箭, 达努里号/月球/轨道器, 电子号/火箭."""
        text, bounds, edges = self.text, self.bounds, self.edges
        pos = text.find("号")
        while pos >= 0:
            end = pos + 1
            if end in bounds:
                i = bisect_right(edges, pos) - 1
                # X is the rest of 号's token, or the token before a 号 of its own.
                x_start = edges[i - 1] if edges[i] == pos and i > 0 else edges[i]
                x = text[x_start:pos]
                if 2 <= len(x) <= 6 and x[0] not in NOT_X_HAO_START and CJK_NAME.fullmatch(x) and self._spacecraft_follows(end):
                    self.add(x_start, end, "MISSION", text[x_start:end])
            pos = text.find("号", end)

    def _latin(self) -> None:
        """A Latin name that is a token beside a spacecraft or company word, or a designation in space context."""
        text, bounds = self.text, self.bounds
        for match in LATIN_NAME.finditer(text):
            start = match.start()
            end = min(match.end(), self.token_end(start))  # SATRIA-1/2023: the name is one token
            if start not in bounds or end not in bounds:
                continue
            name = text[start:end]
            if name.lower() in self.m._latin_stopwords or (len(name) < 3 and not any(c.isdigit() for c in name)):
                continue
            before = self.previous_token(start)
            if self._spacecraft_follows(end) or (
                any(c.isdigit() for c in name) and before.endswith(self.m._vehicle_ends)
            ):
                self.add(start, end, "MISSION", name)
            elif before.endswith(self.m._company_words) or text.startswith("公司", end):
                company_end = end + 2 if text.startswith("公司", end) and end + 2 in bounds else end
                self.add(start, company_end, "ORG", name)
            elif LATIN_DESIGNATION.fullmatch(name) and self.m.senses.is_mention(text, self.edges, start, end, needs_space=True):
                self.add(start, end, "MISSION", name)  # 研制的/NEONSAT-1/送入/轨道

    def _designated_names(self) -> None:
        """An unlisted name with a designation, beside a spacecraft word: 沙维特-2/火箭, 卫星/阿迪蒂亚-L1."""
        text, edges = self.text, self.edges
        for match in DESIGNATION_CODE.finditer(text):
            dash = match.start()
            start = edges[bisect_right(edges, dash) - 1]
            name = text[start:dash]
            end = min(match.end(), self.token_end(start))
            if 2 <= len(name) <= 6 and CJK_NAME.fullmatch(name) and end in self.bounds and self._beside_spacecraft(start, end):
                self.add(start, end, "MISSION", text[start:end])

    def _beside_spacecraft(self, start: int, end: int) -> bool:
        return self._spacecraft_follows(end) or self.previous_token(start).endswith(self.m._vehicle_ends)

    # Organizations by rule ----------------------------------------------------

    def _person_prefixes(self) -> None:
        """Transliterated personal names (马克斯·普朗克) that may start an institute's name."""
        text, bounds = self.text, self.bounds
        for match in PERSON_DOT.finditer(text):
            start = max((e for e in self.edges if e <= match.start()), default=0)
            end = self.token_end(match.end() - 1)
            if start in bounds and end in bounds:
                self.prefixes.append(Candidate(start, end, "ORG", text[start:end], RULE_RANK))

    def _bodies(self) -> None:
        """Bodies named after an organization, a country, a compound or a person (… 委员会, 公司)."""
        if DASH.search(self.text):
            self.prefixes.extend(self._joined_to_countries())
        org_starts = None
        for prefix in self.prefixes:
            window = (prefix.end, min(len(self.text), prefix.end + MAX_BODY_EXTENSION))
            if self.m._head_ends.search(self.text, *window) and (
                self.m._body_heads.search(self.text, *window) or self.m._suffix_head.search(self.text, *window)
            ):
                if org_starts is None:
                    org_starts = sorted({c.start for c in self.found if c.label == "ORG"})
                self._body(prefix, org_starts)

    def _joined_to_countries(self) -> List[Candidate]:
        """Prefixes that a country joins with a dash (中国/—/东盟/…/中心, 中国/—/巴西/…/实验室):
        a body name may start at the country."""
        text, bounds = self.text, self.bounds
        after_dash = [
            p for p in self.prefixes
            if p.label in ("ORG", "GPE") and p.start > 0 and text[p.start - 1] in DASHES and p.end in bounds
        ]
        if not after_dash:
            return []
        countries = {c.end: c for c in self.found if c.label == "GPE" and c.end in bounds}
        joined = []
        for prefix in after_dash:
            country = countries.get(prefix.start - 1)
            if country is not None:
                joined.append(Candidate(country.start, prefix.end, "ORG", text[country.start : prefix.end], RULE_RANK))
        return joined

    def _body(self, prefix: Candidate, org_starts: Sequence[int]) -> None:
        """prefix + … + a head word: 中俄/航天/合作/分委会, 日本/外务省, 以色列/航空/航天/工业/公司."""
        m, text, bounds = self.m, self.text, self.bounds
        start = prefix.end
        limit = min(len(text), start + MAX_BODY_EXTENSION)
        government = m._government.match(text, start) if prefix.label == "GPE" else None
        for org_start in org_starts:
            if start <= org_start < limit:
                if org_start == start and government is not None and government.end() in bounds:
                    continue  # a country's own ministry: 大韩民国/外交部, though 外交部 alone is China's
                limit = org_start
                break
        # A body runs up to another country, but for the host of an embassy (中国/驻/法国/大使馆).
        for country_start in self.country_hits:
            if start < country_start < limit and not text.endswith("驻", 0, country_start):
                limit = country_start
        limit = self._body_break_at(start, limit)
        for stop in m._body_stops.finditer(text, start, limit):
            if stop.start() in bounds and stop.end() in bounds:
                limit = stop.start()
                break
        from_organization = prefix.label == "ORG" and prefix.rank != RULE_RANK  # a listed organization
        edges = self.edges
        best = -1
        for head in m._body_heads.finditer(text, start, limit):
            if head.start() in bounds and head.end() in bounds and self._may_end_body(prefix, from_organization, head.start(), head.end()):
                best = max(best, head.end())
        first = bisect_right(edges, start)
        for k in range(first, len(edges)):
            edge = edges[k]
            if edge > limit:
                break
            # 中国/海警局: a head of one character ending a token of three or more.
            if text[edge - 1] in m._suffix_heads and k > first and edge - edges[k - 1] >= 3:
                best = max(best, edge)
        if best > start and not text.endswith(m._site_heads, 0, best) and not text.endswith(m._not_heads, 0, best):
            if bisect_left(edges, best) - bisect_left(edges, start) <= MAX_BODY_TOKENS:
                self.add(prefix.start, best, "ORG", text[prefix.start : best])

    def _body_break_at(self, start: int, limit: int) -> int:
        """Where punctuation ends a body; a place in brackets stays (银河航天（北京）网络技术有限公司)."""
        text = self.text
        while True:
            stop = self.m._body_break.search(text, start, limit)
            if stop is None:
                return limit
            close = PLACE_IN_BRACKETS.match(text, stop.start())
            if close is None:
                return stop.start()
            start = close.end()

    def _may_end_body(self, prefix: Candidate, from_organization: bool, head_start: int, head_end: int) -> bool:
        """A country, a compound or a person needs a word before a generic head (中国/公司 is no name);
        a government body needs none (日本/外务省)."""
        if from_organization or head_start > prefix.end:
            return True
        return self.m._government.fullmatch(self.text, head_start, head_end) is not None

    # Filters ----------------------------------------------------------------

    def _drop_titles(self, found: List[Candidate]) -> List[Candidate]:
        """A mission or country name that is the whole of a title in 《》 names a work: 《天问》, 《阿波罗13号》."""
        titles = {(m.start(1), m.end(1)) for m in TITLE.finditer(self.text)}
        # A newspaper in 《》 is still its organization: 据《人民日报》报道.
        return [c for c in found if c.label == "ORG" or (c.start, c.end) not in titles]


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
