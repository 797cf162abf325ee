"""Numbers quoted in the narrative that can pick one reading of a fused row (templates.md §5, I7).

Only used to choose among readings that the identities leave open, and only when the quoted
number matches one of them: a report's prose is evidence, not a substitute for its table.

>>> facts = narrative_facts("动态更新本年度制发的规范性文件88件，集中公开现行有效行政规范性文件698件。", "2021")
>>> sorted(facts.items())
[(('t2', 'normative_docs', 'in_force'), [698.0]), (('t2', 'normative_docs', 'issued'), [88.0])]
"""
from __future__ import annotations

import re

_CLAUSE_END = "。；;,，\n"
_NORMATIVE = re.compile(rf"(?:行政)?(规范性文件|规章)[^{_CLAUSE_END}\d]{{0,6}}?(\d+)\s*(?:件|份|个|部)")
_CLAUSE_TAIL = re.compile(rf"[^{_CLAUSE_END}]{{0,40}}$")
_ROW = {"规范性文件": "normative_docs", "规章": "regulations"}
_RECEIVED = re.compile(
    rf"(?:新收|收到|受理|接收|接到)[^{_CLAUSE_END}]{{0,25}}?申请[^{_CLAUSE_END}\d]{{0,8}}?(\d+)\s*件"
    rf"|(?:共|共计|合计)(?:新收|收到|受理|接收|接到)[^{_CLAUSE_END}\d]{{0,6}}?(\d+)\s*件[^{_CLAUSE_END}]{{0,6}}?申请")

# clause keyword -> column, per template version (first match wins)
_T2_COLS = {
    "2021": (("现行有效", "in_force"), ("废止", "repealed"), ("制发", "issued"), ("印发", "issued"),
             ("发布", "issued"), ("出台", "issued"), ("制定", "issued")),
    "2019": (("对外公开总", "total_published"), ("累计", "total_published"), ("新公开", "new_published"),
             ("新制作", "new_made"), ("制发", "new_made"), ("印发", "new_made"), ("出台", "new_made"),
             ("制定", "new_made")),
}


def narrative_facts(text: str, template: str) -> dict[tuple[str, str, str], list[float]]:
    """``{(table, row, col): [numbers]}`` quoted in ``text`` for cells that fused runs may hide."""
    out: dict[tuple[str, str, str], list[float]] = {}
    for m in _NORMATIVE.finditer(text):
        clause = _CLAUSE_TAIL.search(text, max(0, m.start() - 40), m.start()).group(0)
        if "和" in clause[-3:] or "、" in clause[-2:]:  # 规章和规范性文件共4件: a sum, not one row
            continue
        for kw, col in _T2_COLS.get(template, ()):
            if kw in clause:
                out.setdefault(("t2", _ROW[m.group(1)], col), []).append(float(m.group(2)))
                break
    for m in _RECEIVED.finditer(text):
        n = m.group(1) or m.group(2)
        out.setdefault(("t3", "new_received", "total"), []).append(float(n))
    return out
