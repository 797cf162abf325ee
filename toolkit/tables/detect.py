"""Label folding and template detection.

Labels are matched on a *folded* copy of the text that keeps only CJK ideographs, letters and
digits (no spaces, line breaks, pipes, brackets, quotes or punctuation), with a map back to the
original offsets. So ``（三）不\\n予公开``, ``(三)不予公开`` and ``三、不予公开 |`` all contain
``不予公开``, whatever bracket style the normalizer chose, and a PDF label wrapped over two lines
still matches.

The template version is read from the labels (templates.md §2.3, §3.4), not from the year.

>>> f = Folded("规章 | 0 |\\n（三）不\\n予公开")
>>> f.s
'规章0三不予公开'
>>> f.span(f.find("不予公开"), 4)
(12, 17)
>>> detect_template("第二十条第(一)项 信息内容 本年制发件数 本年废止件数")
'2021'
"""
from __future__ import annotations

import re
import unicodedata

_KEEP = re.compile(r"[0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_DROP = re.compile(r"[^0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def fold(label: str) -> str:
    """The folded form of a label: NFKC, then only CJK, letters and digits.

    >>> fold("3.危及“三安全一稳定”"), fold("（二）部分公开(区分处理的，只计这一情形)")
    ('3危及三安全一稳定', '二部分公开区分处理的只计这一情形')
    """
    return _DROP.sub("", unicodedata.normalize("NFKC", label))


class Folded:
    """A text's folded copy ``s`` and, for each folded character, its offset ``idx`` in the text."""

    __slots__ = ("text", "s", "idx")

    def __init__(self, text: str):
        self.text = text
        idx = [m.start() for m in _KEEP.finditer(text)]
        self.idx = idx
        self.s = "".join(text[i] for i in idx)

    def find(self, needle: str, start: int = 0, end: int | None = None) -> int:
        return self.s.find(needle, start, len(self.s) if end is None else end)

    def span(self, pos: int, length: int) -> tuple[int, int]:
        """Offsets in the text of the folded match ``s[pos:pos+length]``."""
        return self.idx[pos], self.idx[pos + length - 1] + 1

    def at(self, offset: int) -> int:
        """The folded position of the first kept character at or after text ``offset``."""
        import bisect

        return bisect.bisect_left(self.idx, offset)


# labels only one version prints (folded); weights favour the table-2 headers and the t3 rows
MARKERS = {
    "2021": (("本年制发件数", 2), ("制发件数", 1), ("本年废止件数", 2), ("废止件数", 1), ("现行有效件数", 2),
             ("本年收费金额", 2), ("逾期不补正", 2), ("不补正", 1), ("缴纳费用", 2), ("收费通知", 1)),
    "2019": (("本年新制作数量", 2), ("新制作数量", 1), ("本年新公开数量", 2), ("对外公开总数量", 2),
             ("第二十条第九项", 2), ("采购总金额", 2), ("政府集中采购", 1), ("上一年项目数量", 2),
             ("其他对外管理服务事项", 2)),
}
_T3_CORE = ("本年新收", "上年结转", "予以公开", "不予公开", "结转下年")


_OTHER_ROW = re.compile(r"其他处理(\d+)(?=[\u4e00-\u9fff])")


def template_scores(text: str | Folded) -> dict[str, int]:
    """Weighted count of the version-specific labels found in ``text``.

    Table 3 counts too: a （六）其他处理 row followed by its values is the 2019 format's single
    row; followed by an item number (``1.申请人…``) it opens the 2021 format's three rows.
    """
    s = text.s if isinstance(text, Folded) else fold(text)
    sc = {v: sum(w for m, w in marks if m in s) for v, marks in MARKERS.items()}
    for m in _OTHER_ROW.finditer(s):
        sc["2021" if len(m.group(1)) == 1 and m.group(1) == "1" else "2019"] += 2
    return sc


def detect_template(text: str | Folded, *, year: int | None = None, hint: str | None = None) -> str | None:
    """``"2019"``/``"2021"`` from the labels of ``text``; ``None`` when it shows no template table.

    Ties (or a report with no version-specific label but the table-3 rows) fall back to ``hint``
    (a template already known for the document), then to the report ``year``.

    >>> detect_template("（六）其他处理 0 0 0 0 0 0 0 （七）总计", year=2022)  # one 其他处理 row: 2019 format
    '2019'
    >>> detect_template("一、概述 二、主动公开政府信息情况", year=2020) is None
    True
    >>> detect_template("一、本年新收 二、上年结转 （一）予以公开 （三）不予公开 四、结转下年度继续办理", year=2020)
    '2019'
    """
    s = text.s if isinstance(text, Folded) else fold(text)
    sc = template_scores(s)
    if sc["2021"] != sc["2019"]:
        return max(sc, key=sc.get)
    if sum(a in s for a in _T3_CORE) < 3 and not sc["2021"]:
        return None
    if not sc["2021"] and (hint == "pre2019" or _year(year) is not None and _year(year) < 2019):
        return None  # table-3 words in the prose of a report from before the national format
    if hint in ("2019", "2021"):
        return hint
    y = _year(year)
    if y is not None:
        return "2021" if y >= 2021 else "2019"
    return "2021"


def _year(year) -> int | None:
    try:
        return None if year is None or year != year else int(year)
    except (TypeError, ValueError):
        return None
