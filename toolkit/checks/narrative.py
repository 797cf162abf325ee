"""I7: numbers quoted in the narrative vs the tables. Conservative: only clear, adjacent patterns count.

A quote is read only when the keyword is followed (within one clause, no digits in between) by a number and
件 (起/宗 for cases). Numbers may be written in digits (12) or in Chinese numerals (十二, 一百零五; see
:mod:`toolkit.numerals`); approximations such as 一两件 are not read. When the same quantity is quoted several times, a mismatch is reported only if no
quote agrees with the table.

========================  ================================================  ==========================
quantity                  pattern (examples)                                table value(s) accepted
========================  ================================================  ==========================
requests received         本年新收…申请N件, 共收到…申请N件, 收到…申请共计N件     一 total, or 一 + 二 total
carried over from prev.   上年结转…N件                                        二 total
carried to next year      结转下年度(继续办理)…N件                             四 total
administrative review     行政复议(案件)N件/起                                 t4 rev_total
litigation                行政诉讼(案件)N件/起                                 lit_direct_total + lit_after_rev_total
========================  ================================================  ==========================
"""
from __future__ import annotations

import re

from toolkit.numerals import PATTERN as _CN_NUMBER
from toolkit.numerals import chinese_int

from ._frame import cell_id, issue
from .arithmetic import ReportCells

_MID = r"[^。；;，,！!？?\d|\n]"
_AMOUNT = rf"(?:共计|合计|总计|累计|共|为|达)?\s?(?P<n>\d+|{_CN_NUMBER})\s?"
_PATTERNS = {
    "new_received": re.compile(rf"(?P<kw>本年(?:度)?新收|新收到|共收到|收到|接收|受理)(?P<mid>{_MID}{{0,30}}?)申请"
                               rf"(?:数量)?{_AMOUNT}件"),
    "carried_over_from_prev": re.compile(rf"(?P<kw>上一?年(?:度)?结转)(?P<mid>{_MID}{{0,16}}?){_AMOUNT}件"),
    "carried_to_next": re.compile(rf"(?P<kw>结转(?:至|到)?下一?年度?)(?P<mid>{_MID}{{0,16}}?){_AMOUNT}件"),
    "rev_total": re.compile(rf"(?P<kw>行政复议)(?P<mid>(?:案件|申请)?){_AMOUNT}(?:件|起|宗)"),
    "lit_total": re.compile(rf"(?P<kw>行政诉讼)(?P<mid>(?:案件)?){_AMOUNT}(?:件|起|宗)"),
}
_STOP_MID = re.compile(r"上年|去年|同比|较|比|结转|复议|诉讼|办结|答复|予以|其中|涉及|自然人|法人")
_STOP_BEFORE = re.compile(r"上年|去年|同比|较|比上|前年|\d{4}年以来")
_LABELS = {"new_received": "一、本年新收 (总计)", "carried_over_from_prev": "二、上年结转 (总计)",
           "carried_to_next": "四、结转下年度继续办理 (总计)", "rev_total": "表四 行政复议 总计",
           "lit_total": "表四 行政诉讼 总计 (未经复议直接起诉 + 复议后起诉)"}


def quotes(text: str) -> dict[str, list[tuple[int, str]]]:
    """Numbers quoted in ``text``: quantity -> [(number, quoted passage)].

    >>> quotes("本年新收政府信息公开申请12件，上年结转2件。")["new_received"]
    [(12, '本年新收政府信息公开申请12件')]
    >>> q = quotes("全年共收到政府信息公开申请二十三件，发生行政复议一起，行政诉讼一两起。")
    >>> q["new_received"], q["rev_total"], q["lit_total"]
    ([(23, '共收到政府信息公开申请二十三件')], [(1, '行政复议一起')], [])
    """
    found: dict[str, list[tuple[int, str]]] = {k: [] for k in _PATTERNS}
    for qty, rx in _PATTERNS.items():
        for m in rx.finditer(text):
            if _STOP_MID.search(m.group("mid")):
                continue
            before = re.split(r"[，,。；;！？\n]", text[max(0, m.start() - 8):m.start()])[-1]  # same clause
            if _STOP_BEFORE.search(before):
                continue
            if qty == "lit_total" and "复议" in before[-6:]:
                continue  # 行政复议、行政诉讼N件: one number for two quantities
            n = m.group("n")
            value = int(n) if n.isdigit() else chinese_int(n)
            if value is not None:
                found[qty].append((value, m.group(0)))
    return found


def _table_values(rc: ReportCells) -> dict[str, tuple[list[float], list[str]]]:
    def v(key):
        return rc.value.get(key) if rc.printed(key) else None

    new, prev = v(("t3", "new_received", "total")), v(("t3", "carried_over_from_prev", "total"))
    out: dict[str, tuple[list[float], list[str]]] = {}
    if new is not None:
        out["new_received"] = ([new] + ([new + prev] if prev is not None else []),
                               [cell_id("t3", "new_received", "total")])
    if prev is not None:
        out["carried_over_from_prev"] = ([prev], [cell_id("t3", "carried_over_from_prev", "total")])
    nxt = v(("t3", "carried_to_next", "total"))
    if nxt is not None:
        out["carried_to_next"] = ([nxt], [cell_id("t3", "carried_to_next", "total")])
    rev = v(("t4", "cases", "rev_total"))
    if rev is not None:
        out["rev_total"] = ([rev], [cell_id("t4", "cases", "rev_total")])
    a, b = v(("t4", "cases", "lit_direct_total")), v(("t4", "cases", "lit_after_rev_total"))
    if a is not None and b is not None:
        out["lit_total"] = ([a + b], [cell_id("t4", "cases", "lit_direct_total"),
                                      cell_id("t4", "cases", "lit_after_rev_total")])
    return out


def narrative_vs_tables(rc: ReportCells, text: str) -> list[dict]:
    """I7 findings (warning) for one report."""
    if not isinstance(text, str) or not text:
        return []
    table = _table_values(rc)
    out = []
    for qty, qs in quotes(text).items():
        if not qs or qty not in table:
            continue
        accepted, ids = table[qty]
        if any(n in accepted for n, _ in qs):
            continue
        n, passage = qs[0]
        shown = " or ".join(str(int(x)) for x in accepted)
        tbl, row, col = ids[0].split(".")
        out.append(issue(rc.doc_id, "narrative-i7", "warning",
                         f"I7: the text says “{passage}” but the table gives {_LABELS[qty]} = {shown}.",
                         table=tbl, row=row, col=col if qty != "lit_total" else "lit_direct_total+lit_after_rev_total",
                         expected=accepted[0], observed=n, cells=ids, identity="I7"))
    return out
