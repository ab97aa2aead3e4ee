"""The designations that follow a series name, and their normalized form for ids.

A series name (嫦娥, 长征, 联盟, 哨兵, GSAT) is followed by what tells its
members apart, in any script:

- a number, Chinese or Arabic, with 号 and a variant: 嫦娥六号, 嫦娥6号,
  长征五号乙, 风云三号D星, 遥感三十九号03星, 猎鹰9号, 阿丽亚娜5;
- a Latin code of letters, digits, dots and dashes: 联盟MS-25, 进步/MS-28,
  格洛纳斯-K2, 联盟-2.1b, 安加拉-A5, 哨兵-2B, 织女星-C, GSAT-24, PSLV-C57.

Chinese numerals need 号 (北斗七星 is the constellation, not BeiDou-7), and
a long Arabic number without a dash is a year or a count (北斗2020), not a
designation.
"""

import re
from typing import NamedTuple, Optional

ARABIC_DIGITS = "0123456789０１２３４５６７８９"
CHINESE_DIGITS = "零〇一二三四五六七八九十百两"
DASHES = "—-－–‐"
VARIANT_LETTERS = {"甲": "A", "乙": "B", "丙": "C", "丁": "D"}
NUMBER = rf"[{ARABIC_DIGITS}]+|[{CHINESE_DIGITS}]+"
SERIES_NUMBER = re.compile(
    rf"(?P<sep>[{re.escape(DASHES)}]?)(?P<num>{NUMBER})(?P<hao>号)?"
    rf"(?P<variant>[A-Za-z](?![A-Za-z])|[甲乙丙丁]|[0-9]{{2}}[A-Za-z]?(?=卫?星))?(?P<xing>星)?"
)
LATIN_CODE = re.compile(
    rf"(?P<sep>[{re.escape(DASHES)}]?)(?P<code>[A-Za-z0-9]+(?:[.{re.escape(DASHES)}][A-Za-z0-9]+)*)(?P<hao>号)?"
)
FIRST_CHARACTERS = frozenset(DASHES + ARABIC_DIGITS + CHINESE_DIGITS + "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_ARABIC_NUMBER = re.compile(f"[{ARABIC_DIGITS}]+")
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_DIGIT_VALUES = {c: i for i, c in enumerate("零一二三四五六七八九")}
_DIGIT_VALUES.update({"〇": 0, "两": 2})
# A numeral with units: 十一, 二十, 一百零五, 两百一十; the empty group is an implicit 一.
_CHINESE_NUMBER = re.compile(
    r"(?:(?P<hundreds>[一二两三四五六七八九]?)百[零〇]?)?"
    r"(?:(?P<tens>[一二两三四五六七八九]?)十)?"
    r"(?P<units>[一二两三四五六七八九])?"
)


class Designation(NamedTuple):
    """What follows a series name: where it may end, and its normalized form."""

    start: int  # where the number or code starts, after a dash
    ends: tuple  # candidate end offsets, longest first
    short_end: int  # where the number ends (before a variant or 星)
    normalized: str  # the number with its variant: "5B", "MS-25"
    latin: bool  # a Latin code, not a number
    arabic: bool  # written in Arabic digits


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


def is_arabic(number: str) -> bool:
    return number[0] in ARABIC_DIGITS


def series_designation(text: str, end: int, latin_series: bool) -> Optional[Designation]:
    """The designation at text[end:] after a series name, if there is one.

    A Latin series name (GSAT) takes a designation only after a dash or as
    digits, so that a longer Latin word is not read as one.
    """
    if text[end : end + 1] not in FIRST_CHARACTERS:
        return None
    number = None if latin_series else _series_number(text, end)
    code = _latin_code(text, end, latin_series)
    if number is None or (code is not None and code.ends[0] > number.ends[0]):
        return code  # 联盟-2.1b: the code runs on where the number stops
    return number


def _series_number(text: str, end: int) -> Optional[Designation]:
    match = SERIES_NUMBER.match(text, end)
    if match is None:
        return None
    num = match["num"]
    if is_arabic(num):
        if not (match["hao"] or match["sep"] or len(num) <= 2 or match["variant"]):
            return None  # a year or a count: 北斗2020
    elif not match["hao"]:
        return None  # 北斗七星, 长征二万五千里
    variant = match["variant"] or ""
    variant = VARIANT_LETTERS.get(variant, variant.upper())
    if variant[:1].isdigit():
        variant = " " + variant
    number_end = match.end("hao") if match["hao"] else match.end("num")
    ends = [match.end()]
    if match["variant"] or match["xing"]:
        ends.append(number_end)
    return Designation(
        match.start("num"),
        tuple(sorted(set(ends), reverse=True)),
        number_end,
        normalize_number(num) + variant,
        False,
        is_arabic(num),
    )


def _latin_code(text: str, end: int, latin_series: bool) -> Optional[Designation]:
    match = LATIN_CODE.match(text, end)
    if match is None:
        return None
    code = match["code"]
    if not match["sep"]:
        if latin_series and not code[0].isdigit():
            return None
        if code.isdigit() and len(code) > 3:
            return None  # a year: 北斗2020
    if not code.isascii():
        code = code.translate(_FULL_WIDTH_DIGITS)
    ends = [match.end()]
    if match["hao"]:
        ends.append(match.end("code"))
    return Designation(match.start("code"), tuple(ends), match.end("code"), code, True, code[0].isdigit())
