"""``facts``: the figures a report states in its text, as ``label … number unit`` facts.

Before 2019 there was no national table template (templates.md §7): the statistics are sentences
such as ``全年共收到有关政府信息公开的申请7条`` or ``刊出政务公开栏12期``. :func:`facts` reads every
number followed by a counting unit (件, 条, 次, 人次, 期, 篇, 场, 个, 份, 项, 元, 万元, %) together with
the words before it in its clause (the ``label``), and tags the fact with a ``concept`` when the label
says clearly what was counted. It works on any report, so narrative figures of 2019+ reports are
facts too (their tables are in :func:`toolkit.extract_cells`).

Values are recorded as printed (``raw``; ``value`` is its number, digits or Chinese numerals); nothing
is summed or corrected. A concept may appear several times in one report (a total, then parts by
agency or by channel, or the same figure in two places): ``rank`` numbers a concept's facts in text
order, and ``context`` is the clause to read before using a figure.

=========================  ===============================================  =======================
concept                    the label says (first rule that matches wins)     2019+ table cell
=========================  ===============================================  =======================
``requests_received``      公开 … 申请, 申请 … 公开, 申请数                     t3.new_received.total
``requests_answered``      答复 (总数, 办结)                                  t3.results_total.total
``requests_granted``       同意公开 / 予以公开 (of requests)                  t3.granted.total
``requests_partly``        部分公开                                           t3.partly.total
``requests_refused``       不予公开 / 否决公开 … 申请/答复                     t3.refused_total.total
``requests_carried_over``  结转                                              t3.carried_over_from_prev
                                                                             / carried_to_next
``admin_review``           行政复议                                           t4.cases.rev_total
``litigation``             行政诉讼 / 起诉                                    (t4 litigation totals)
``complaints``             申诉 / 投诉 / 举报
``fees``                   收费 / 费用 / 处理费 / 检索费 / 复制费 (元, 万元)
``consultations``          咨询
``proactive_items``        主动公开 … 信息 (条)
``interpretations``        解读
``press_conferences``      新闻发布会 / 发布会
``site_visits``            访问量 / 点击量 / 浏览量 / 访问
``training``               培训
=========================  ===============================================  =======================

The right-hand column is for comparing eras by hand (see ``notebooks/``); the toolkit does not merge
facts and cells, because pre-2019 definitions differed by province.

Examples
--------
>>> import pandas as pd
>>> docs = pd.DataFrame({"doc_id": ["a"], "text": [
...     "2013年全县共收到有关政府信息公开的申请7条，其中网上申请数3条。全年刊出政务公开栏12期。"]})
>>> facts(docs)[["concept", "label", "value", "unit", "rank"]].values.tolist()
[['requests_received', '全县共收到有关政府信息公开的申请', 7.0, '条', 1], ['requests_received', '网上申请数', 3.0, '条', 2], [None, '全年刊出政务公开栏', 12.0, '期', 1]]
"""
from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from .numerals import CHARS as _CN_CHARS
from .numerals import PATTERN as _CN_NUMBER
from .numerals import chinese_int
from .units import text_units

__all__ = ["facts", "CONCEPTS", "FACT_COLUMNS"]

FACT_COLUMNS = ["doc_id", "section", "concept", "rank", "label", "value", "unit", "raw", "start", "end", "context"]

_UNITS = ["个工作日", "万元", "人次", "件次", "元", "件", "条", "次", "期", "篇", "场", "个", "份", "项", "起", "宗",
          "家", "人", "%"]
_FACT = re.compile(
    r"(?<![\d.第])"  # not inside a number, not an ordinal (第十三条)
    rf"(?P<num>\d+(?:\.\d+)?|{_CN_NUMBER})"
    r"\s?(?P<unit>" + "|".join(map(re.escape, _UNITS)) + ")"
)
_LABEL_TAIL = re.compile(r"[^。；;，,：:！!？?\n、（）()“”|]{0,60}\Z")  # a label never crosses these, nor exceeds 60
_SENTENCE_END = re.compile(r"[。；;！!？?\n]")
_SENTENCE_MAX = 400  # characters looked at on each side of a figure for its sentence
_LEAD = re.compile(r"^(?:其中|其余|以及|另有|另外|此外|同时|并|和|及|共计|总计|合计|累计|共|均|为|达到?)+")
_TRAIL = re.compile(r"(?:共计|总计|合计|累计|共|为|达到?|约|近|超过|逾|多达)+$")

# concept -> (label must match, label must not match, units allowed or None for any)
_COUNT_UNITS = ("件", "条", "次", "份", "人次", "件次", "个", "项", "起", "宗")
CONCEPTS: dict[str, tuple[str, str | None, tuple[str, ...] | None]] = {
    "requests_refused": (r"不予公开|否决公开|不公开", r"信息(?!公开申请)|主动", _COUNT_UNITS),
    "requests_partly": (r"部分公开", r"信息(?!公开申请)|主动", _COUNT_UNITS),
    "requests_granted": (r"同意公开|予以公开|全部公开", r"信息(?!公开申请)|主动|不予", _COUNT_UNITS),
    "requests_carried_over": (r"结转", None, _COUNT_UNITS),
    "requests_answered": (r"答复|办结", r"复议|诉讼|建议|提案", _COUNT_UNITS),
    "requests_received": (r"公开.*申请|申请.*公开|申请(?:总)?数|^(?:各类|有关)?申请$", r"复议|诉讼|减免|收费|依申请公开(?:的|政府)?信息|信息数|^依申请公开$",
                          _COUNT_UNITS),
    "admin_review": (r"行政复议|复议", None, _COUNT_UNITS),
    "litigation": (r"行政诉讼|诉讼|起诉", None, _COUNT_UNITS),
    "complaints": (r"申诉|投诉|举报", None, _COUNT_UNITS),
    "fees": (r"收费|费用|处理费|检索费|复制费|收取", None, ("元", "万元")),
    "consultations": (r"咨询", None, _COUNT_UNITS),
    "interpretations": (r"解读", None, ("件", "条", "篇", "次", "期", "个")),
    "press_conferences": (r"新闻发布会|发布会", None, ("场", "次", "期")),
    "site_visits": (r"访问量|点击量|浏览量|访问|点击", None, ("次", "人次", "万次")),
    "training": (r"培训", None, ("次", "场", "期", "人次", "人", "个")),
    "proactive_items": (r"主动公开.*信息|公开.*信息", r"依申请|不予", ("条", "件", "个")),
}
# requests refused/granted/partly need the request context: their label, or the clause before, says 申请/答复
_NEEDS_REQUEST = {"requests_refused", "requests_partly", "requests_granted"}
_RULES = [(name, re.compile(must), re.compile(never) if never else None, units)
          for name, (must, never, units) in CONCEPTS.items()]


def _concept(label: str, unit: str, clause: str) -> str | None:
    for name, must, never, units in _RULES:
        if units is not None and unit not in units:
            continue
        if not must.search(label) or (never is not None and never.search(label)):
            continue
        if name in _NEEDS_REQUEST and not re.search(r"申请|答复", clause):
            continue
        return name
    return None


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around [start, end): from the previous 。；!? or line break to the next
    (at most ``_SENTENCE_MAX`` characters each way)."""
    lo = max(0, start - _SENTENCE_MAX)
    ends = [m.end() for m in _SENTENCE_END.finditer(text, lo, start)]
    right = _SENTENCE_END.search(text, end, end + _SENTENCE_MAX)
    return (ends[-1] if ends else lo), (right.end() if right else min(len(text), end + _SENTENCE_MAX))


def _facts_of(text: str) -> list[tuple]:
    out, prev_end = [], 0
    for m in _FACT.finditer(text):
        raw = m.group("num")
        before = text[max(0, m.start() - 3) : m.start()].rstrip()
        if before.endswith(("第", *_CN_CHARS)) or (before and before[-1].isdigit()):
            continue  # 第二 十条 (an ordinal broken by a space), or the tail of a longer number
        value = float(raw) if raw[0].isdigit() else chinese_int(raw)
        if value is None:
            continue
        start = m.start()
        lo = max(prev_end, start - 60)
        label = _LABEL_TAIL.search(text, lo, start).group()
        # a year or date run ends a label: "2013年全县共收到…" keeps "全县共收到…"
        label = re.split(r"\d{4}年(?:度)?|\d{1,2}月\d{1,2}日|\d{1,2}月(?:份)?", label)[-1]
        label = _TRAIL.sub("", _LEAD.sub("", label.strip())).strip()
        prev_end = m.end()
        if len(label) < 2 or not re.search(r"[\u4e00-\u9fff]", label):
            continue
        c0, c1 = _clause(text, start, m.end())
        unit = m.group("unit")
        concept = _concept(label, unit, text[c0:m.end()])
        if not raw[0].isdigit() and (concept is None or re.match(r"\s*[\u4e00-\u9fff]", text[m.end() : m.end() + 2])):
            # 三个方面, 一项工作, 办结一件申请: a number in words counts only when the label says what it
            # counts and the count ends there (收到申请十二件，), not when a noun follows the unit
            continue
        out.append((concept, label, float(value), unit, m.group(0), start, m.end(), text[c0:c1].strip()))
    return out


def _section_spans(documents: pd.DataFrame) -> dict:
    """doc_id -> (starts, section names, ends) of its sections, for labelling facts."""
    from .sections import sections as split

    secs = split(documents)
    out = {}
    for doc_id, g in secs.sort_values(["doc_id", "start"]).groupby("doc_id", sort=False):
        out[doc_id] = (g["start"].to_numpy(), g["section"].tolist(), g["end"].to_numpy())
    return out


def facts(documents_or_sections: pd.DataFrame, *, sections: str | Iterable[str] | None = None) -> pd.DataFrame:
    """Figures stated in the text of each report, one row per ``label … number unit``.

    Parameters
    ----------
    documents_or_sections : DataFrame
        Documents (``doc_id, text``) or sections (``doc_id, section, text[, start]``).
    sections : str or list of str, optional
        Only these sections (e.g. ``"requests"`` for pre-2019 依申请公开 parts, ``"s1"``). Without it,
        a documents frame is read whole (preamble included) and each fact gets the section it lies in
        (from :func:`toolkit.sections`; None before the first heading).

    Returns
    -------
    DataFrame
        ``doc_id, section, concept, rank, label, value, unit, raw, start, end, context``: ``concept`` is
        one of :data:`CONCEPTS` or None; ``rank`` numbers the facts of a concept within a document in text
        order (1 = first mention); ``raw`` is the printed number and unit (``text[start:end] == raw``,
        offsets into the document's ``text``); ``context`` is the sentence.
    """
    units = text_units(documents_or_sections, sections)
    spans = None
    if "section" not in documents_or_sections.columns and sections is None:
        spans = _section_spans(documents_or_sections)  # whole documents are read; sections only label facts
    rows = []
    for doc_id, section, text, base in zip(units.doc_id, units.section, units.text, units.base.tolist()):
        found = _facts_of(text)
        where = spans.get(doc_id) if spans is not None else None
        for concept, label, value, unit, raw, s, e, ctx in found:
            if where is not None:
                i = int(np.searchsorted(where[0], s, side="right")) - 1
                section = where[1][i] if i >= 0 and s < where[2][i] else None
            rows.append((doc_id, section, concept, label, value, unit, raw, base + s, base + e, ctx))
    cols = [c for c in FACT_COLUMNS if c != "rank"]
    out = pd.DataFrame(rows, columns=cols)
    out = out.astype({"value": float, "start": np.int64, "end": np.int64})
    out.insert(3, "rank", out.groupby(["doc_id", out["concept"].fillna("")], sort=False).cumcount().astype(np.int64) + 1)
    for col in ("concept", "section"):
        out[col] = out[col].astype(object).where(out[col].notna(), None)
    return out[FACT_COLUMNS]
