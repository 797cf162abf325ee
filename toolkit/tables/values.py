"""Cell values: tokens as printed, blank markers, and the ways a fused run of digits can be split.

A *token* is one printed number with its sign, decimals and unit (``+1036``, ``96171.6``,
``251000元``, ``2笔``) or a blank marker (``/``, ``-``, ``—``, an empty cell). A token whose
digits ran together with its neighbours' (crawler text: ``640020470``) can be split into
several parts; :func:`splits` enumerates the readings, never a part with a leading zero
(``0`` alone is fine) and never a cut inside the decimals.

>>> parse_value("251000元")
(251000.0, 'ok')
>>> parse_value("/")
(None, 'blank')
>>> [tuple(p.text for p in s) for s in splits(tokenize("2023")[0], 3)]
[('2', '0', '23'), ('20', '2', '3')]
"""
from __future__ import annotations

import re
from typing import NamedTuple

UNITS = ("万元", "元", "件", "笔", "个", "项", "条", "次", "家", "人", "%")
_UNIT_RE = "|".join(map(re.escape, UNITS))
BLANK_MARKS = frozenset({"", "/", "-", "—", "——", "－", "–", "―", "无", "空", "N/A", "n/a", "NA", "/ ", "\\"})
_BLANK_TOKEN = r"(?:N/A|——|[/\\—－–―-])"
# a number as printed: sign, digits (or 1,234,567), decimals, unit
_NUMBER = (r"(?P<sign>[+-]?)(?P<int>\d{1,3}(?:,\d{3})+(?![\d,])|\d+)(?P<frac>\.\d+)?"
           rf"(?P<unit>{_UNIT_RE})?")
NUMBER_RE = re.compile(_NUMBER)
# in running text: a number, or a blank marker standing on its own between blanks/pipes
# (a slash or a long dash may also sit between fused digits: ``1000/01``; a hyphen there is a sign)
TOKEN_RE = re.compile(rf"{_NUMBER}|(?P<blank>(?<![^\s|]){_BLANK_TOKEN}(?![^\s|])|(?<![^\s|\d])[/—－―](?![^\s|\d\u4e00-\u9fff（(]))")
_CELL_RE = re.compile(rf"^\s*{_NUMBER}\s*$")


class Token(NamedTuple):
    """One printed value (``kind="num"``) or blank marker (``kind="blank"``) at ``start:end`` of its text."""

    text: str
    kind: str = "num"
    sign: str = ""
    digits: str = ""
    frac: str = ""
    unit: str = ""
    start: int = 0
    end: int = 0

    @property
    def value(self) -> float | None:
        if self.kind == "blank":
            return None
        return float(f"{self.sign}{self.digits}{self.frac}")

    @property
    def max_parts(self) -> int:
        """How many cells this run could hold at most (one digit each)."""
        return 1 if self.kind == "blank" else max(1, len(self.digits))


BLANK = Token("", "blank")


class Part(NamedTuple):
    """One cell's share of a token."""

    text: str
    value: float | None


def _token(m: re.Match, offset: int = 0) -> Token:
    if m.groupdict().get("blank") is not None:
        return Token(m.group(0), "blank", start=m.start() + offset, end=m.end() + offset)
    return Token(m.group(0), "num", m.group("sign"), m.group("int").replace(",", ""), m.group("frac") or "",
                 m.group("unit") or "", m.start() + offset, m.end() + offset)


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Numbers and stand-alone blank markers of ``text``, in order.

    >>> [t.text for t in tokenize("2笔 984361元 / +1 -8")]
    ['2笔', '984361元', '/', '+1', '-8']
    """
    if text.isdigit() and text.isascii():
        return [Token(text, "num", "", text, "", "", offset, offset + len(text))]
    return [_token(m, offset) for m in TOKEN_RE.finditer(text)]


def parse_value(raw: str | None) -> tuple[float | None, str]:
    """``(value, status)`` of one cell's text: ``ok`` for a number, ``blank`` for empty or a dash.

    Text that is neither (a label, two numbers) gives ``(None, "invalid")``.

    >>> parse_value("+1036"), parse_value(" 96171.6 "), parse_value("—"), parse_value("1,234")
    ((1036.0, 'ok'), (96171.6, 'ok'), (None, 'blank'), (1234.0, 'ok'))
    """
    s = (raw or "").strip()
    if s.isdigit() and s.isascii():
        return float(s), "ok"
    if s in BLANK_MARKS:
        return None, "blank"
    m = _CELL_RE.match(s)
    if not m:
        return None, "invalid"
    return float(f"{m.group('sign')}{m.group('int').replace(',', '')}{m.group('frac') or ''}"), "ok"


def is_value_text(raw: str) -> bool:
    """True when a cell's text is a single value or a blank marker."""
    return parse_value(raw)[1] != "invalid"


def _cuts(digits: str, k: int, first: bool) -> list[list[str]]:
    """All ways to cut ``digits`` into ``k`` numbers without leading zeros."""
    if k == 1:
        return [[digits]] if (len(digits) == 1 or digits[0] != "0") else []
    out: list[list[str]] = []
    if digits[0] == "0":
        rest = _cuts(digits[1:], k - 1, False) if len(digits) > 1 else []
        return [["0", *r] for r in rest]
    for i in range(1, len(digits) - k + 2):
        head = digits[:i]
        for r in _cuts(digits[i:], k - 1, False):
            out.append([head, *r])
    return out


def splits(tok: Token, k: int, *, strict: bool = True) -> list[tuple[Part, ...]]:
    """Every reading of ``tok`` as ``k`` consecutive cells (sign on the first, decimals and unit on the last).

    ``strict=False`` accepts the whole token as one cell even with a leading zero (``05``).
    """
    if tok.kind == "blank":
        return [(Part(tok.text, None),)] if k == 1 else []
    if k == 1:
        ok = len(tok.digits) == 1 or tok.digits[0] != "0" or not strict
        return [(Part(tok.text, tok.value),)] if ok else []
    if k > len(tok.digits):
        return []
    out = []
    for cut in _cuts(tok.digits, k, True):
        parts = []
        for j, d in enumerate(cut):
            sign = tok.sign if j == 0 else ""
            tail = tok.frac + tok.unit if j == k - 1 else ""
            val = float(f"{sign}{d}{tok.frac if j == k - 1 else ''}")
            parts.append(Part(f"{sign}{d}{tail}", val))
        out.append(tuple(parts))
    return out
