"""Designations after series names, and number normalization."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spacy_preseg.designations import normalize_number, series_designation


@pytest.mark.parametrize(
    "number,value",
    [
        ("一", "1"),
        ("十", "10"),
        ("十一", "11"),
        ("二十", "20"),
        ("二十一", "21"),
        ("两百", "200"),
        ("一百", "100"),
        ("一百一十", "110"),
        ("一百零五", "105"),
        ("〇", "0"),
        ("二〇二〇", "2020"),
        ("04", "04"),
        ("０４", "04"),
        ("12", "12"),
    ],
)
def test_normalize_number(number, value):
    assert normalize_number(number) == value


def _chinese(n):
    """n (1..999) written as a Chinese numeral: 十, 十一, 二十, 一百零五, 一百一十."""
    digits = "零一二三四五六七八九"
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    text = digits[hundreds] + "百" if hundreds else ""
    if tens:
        text += (digits[tens] if tens != 1 or hundreds else "") + "十"
    elif hundreds and units:
        text += "零"
    return text + (digits[units] if units else "")


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 999))
def test_chinese_numerals_become_their_value(n):
    assert normalize_number(_chinese(n)) == str(n)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="零〇一二三四五六七八九十百两", min_size=1, max_size=6))
def test_any_run_of_numeral_characters_is_handled(number):
    # The matcher hands over whatever run of numeral characters it meets.
    assert normalize_number(number)



def designation(text, series, latin=False):
    """(designation text, normalized) after the series name at the start of text."""
    found = series_designation(text, len(series), latin)
    return None if found is None else (text[len(series) : found.ends[0]], found.normalized)


@pytest.mark.parametrize(
    "text,series,expected",
    [
        ("天问二号", "天问", ("二号", "2")),
        ("风云四号B星", "风云", ("四号B星", "4B")),
        ("长征八号甲", "长征", ("八号甲", "8A")),
        ("遥感四十号02星", "遥感", ("四十号02星", "40 02")),
        ("猎鹰9号", "猎鹰", ("9号", "9")),
        ("阿丽亚娜6", "阿丽亚娜", ("6", "6")),
        ("联盟MS-27", "联盟", ("MS-27", "MS-27")),
        ("进步MS-29货运", "进步", ("MS-29", "MS-29")),
        ("格洛纳斯-K2", "格洛纳斯", ("-K2", "K2")),
        ("联盟-2.1a", "联盟", ("-2.1a", "2.1a")),
        ("哨兵-6B", "哨兵", ("-6B", "6B")),
        ("织女星-C", "织女星", ("-C", "C")),
        ("安加拉-A5M", "安加拉", ("-A5M", "A5M")),
        ("GSAT-20", "GSAT", ("-20", "20")),
        ("PSLV-C60", "PSLV", ("-C60", "C60")),
    ],
)
def test_designations_in_any_script(text, series, expected):
    assert designation(text, series, latin=series.isascii()) == expected


@pytest.mark.parametrize(
    "text,series",
    [
        ("北斗七星", "北斗"),  # a Chinese numeral needs 号: the Big Dipper
        ("长征二万五千里", "长征"),
        ("北斗2035", "北斗"),  # a long number without a dash is a year
        ("GSATELLITE", "GSAT"),  # a Latin series takes a code only after a dash or digits
        ("风云变幻", "风云"),
    ],
)
def test_what_is_no_designation(text, series):
    assert designation(text, series, latin=series.isascii()) is None
