"""Chinese numerals as printed in reports: 十二, 一百零五, 两千三百, 一万二千, 二〇二一, 〇.

Reports quote counts in words as often as in digits (本年新收政府信息公开申请十二件), and years
and dates in digit-by-digit form (二〇二一年). :func:`chinese_int` reads both; anything else is None
(it never guesses).

Examples
--------
>>> [chinese_int(s) for s in ("十二", "二十", "一百零五", "两千三百", "一万二千", "二〇二一", "〇", "三十五万")]
[12, 20, 105, 2300, 12000, 2021, 0, 350000]
>>> chinese_int("十二个"), chinese_int(""), chinese_int("百二"), chinese_int("三五"), chinese_int("一两")
(None, None, None, None, None)
"""
from __future__ import annotations

import re

DIGITS = {"〇": 0, "零": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
          "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
CHARS = "".join(DIGITS) + "".join(_UNITS) + "万亿"
# one number: digits and units; no leading 百/千/万 (十 may lead: 十二)
PATTERN = r"(?:[〇零○一二两三四五六七八九十][〇零○一二两三四五六七八九十百千万]*)"
_VALID = re.compile(rf"^{PATTERN}$")


def _below_10000(s: str) -> int | None:
    """Value of a numeral without 万 (up to 9999), or None when malformed."""
    total, digit, last_unit = 0, None, 10_000
    for i, c in enumerate(s):
        if c in DIGITS:
            if digit is not None and digit != 0:
                return None  # two digits in a row in a unit form (二三十)
            digit = DIGITS[c]
        else:
            unit = _UNITS[c]
            if unit >= last_unit:
                return None  # units must fall: 二百三十, not 三十百
            if digit is None:
                if c != "十" or i != 0:
                    return None  # only 十 may stand alone, and only first (十二)
                digit = 1
            total += digit * unit
            digit, last_unit = None, unit
    return total + (digit or 0)


def chinese_int(s: str) -> int | None:
    """The integer a Chinese numeral writes, or None when ``s`` is not exactly one numeral."""
    if not s or not _VALID.match(s) or s.count("万") > 1:
        return None
    if all(c in DIGITS for c in s) and len(s) > 1:
        if len(s) < 3 or "两" in s:
            return None  # 一两, 三五: "one or two", "three to five", not 12 or 35
        return int("".join(str(DIGITS[c]) for c in s))  # digit by digit: 二〇二一
    high, _, low = s.partition("万")
    if "万" in s:
        h = _below_10000(high) if high else None
        l_ = _below_10000(low) if low else 0
        if h is None or l_ is None:
            return None
        if low and all(c in DIGITS for c in low) and len(low) == 1 and low not in "〇零○":
            l_ *= 1000  # 一万二 = 12000 (spoken shorthand, as 一万二千)
        return h * 10_000 + l_
    return _below_10000(s)
