"""``sections``: split each report into its parts, with offsets into ``documents.text``.

2019/2021 templates: the six parts ``s1``..``s6`` (templates.md §1)

=====  ==========================================================================
key    heading (variants accepted)
=====  ==========================================================================
s1     一、总体情况 (概述, 总体概况, 基本情况)
s2     二、主动公开政府信息情况
s3     三、收到和处理政府信息公开申请情况 (依申请公开政府信息情况)
s4     四、政府信息公开行政复议、行政诉讼情况 (因政府信息公开(申请)被申请行政复议、提起行政诉讼…)
s5     五、存在的主要问题及改进情况 (政府信息公开工作存在的主要问题及改进情况/措施)
s6     六、其他需要报告的事项
=====  ==========================================================================

A heading is a Chinese ordinal + ``、`` (or ``第一部分``) at a boundary (line start or after punctuation, so
crawler text where the whole page is one line works) followed by the section's keywords.
Ordinals must follow each other, so table rows such as ``一、本年新收政府信息公开申请数量``
or ``三、本年度办理结果`` and the intro sentence that lists the part names are not headings.
A missing section is simply absent.

Pre-2019 reports (templates.md §7) are cut at every top-level ordinal heading
(``一、`` ``二、`` … in sequence) and each part is classified by keywords, first match wins:

=====================  =========================================================
section                heading keywords
=====================  =========================================================
``fees``               收费, 减免
``review_litigation``  复议, 诉讼, 申诉, 投诉, 举报
``requests``           依申请
``consultation``       咨询
``organization``       机构, 经费, 培训, 人员, 支出, 队伍
``problems``           问题, 改进, 打算, 不足
``other``              其他
``statistics``         统计表, 附表, 统计
``interpretation``     解读, 回应
``requests``           依申请, 申请
``proactive``          主动公开, 重点领域
``overview``           概述, 概况, 基本情况, 总体情况, 基本工作情况
``unclassified``       (no keyword)
=====================  =========================================================

The frame: ``doc_id, section, heading, text, start, end``; ``text == doc_text[start:end]``
and includes the heading line; a section ends where the next one starts.

Examples
--------
>>> import pandas as pd
>>> docs = pd.DataFrame({"doc_id": ["d"], "text": ["前言\\n一、总体情况\\n正文\\n二、主动公开政府信息情况\\n表"],
...                      "template": ["2021"]})
>>> sections(docs)[["section", "heading", "start", "end"]].values.tolist()
[['s1', '一、总体情况', 3, 13], ['s2', '二、主动公开政府信息情况', 13, 27]]
"""
from __future__ import annotations

import re

import pandas as pd

from .errors import ArgumentError
from .numerals import chinese_int

__all__ = ["sections", "find_sections", "TEMPLATE_SECTIONS", "PRE2019_KINDS"]

_NUM = "一二三四五六七八九十"
_ORDINAL = re.compile(rf"(?<![{_NUM}第其之（(])([{_NUM}]{{1,3}})\s*[、.．]\s*"
                      rf"|第([{_NUM}]{{1,3}})部分\s*[、:.．]?\s*")
TEMPLATE_SECTIONS = {
    "s1": re.compile(r"(?:总体情况|概述|总体概况|基本情况|工作概况|概况)"),
    "s2": re.compile(r"主动公开"),
    "s3": re.compile(r"(?:收到和处理|依申请公开|政府信息公开申请|受理和处理|收到和受理)"),
    "s4": re.compile(r".{0,16}(?:行政复议|行政诉讼|复议、|行政法复议)"),
    "s5": re.compile(r".{0,12}(?:存在的?主要问题|存在问题|问题及改进|问题和改进)"),
    "s6": re.compile(r"(?:其他需要报告|其他需报告|其他事项|其他需要说明)"),
}
PRE2019_KINDS = [
    ("fees", re.compile(r"收费|减免")),
    ("review_litigation", re.compile(r"复议|诉讼|申诉|投诉|举报")),
    ("requests", re.compile(r"依申请")),
    ("consultation", re.compile(r"咨询")),
    ("organization", re.compile(r"机构|经费|培训|人员|支出|队伍")),
    ("problems", re.compile(r"问题|改进|打算|不足")),
    ("other", re.compile(r"其他")),
    ("statistics", re.compile(r"统计表|附表|统计")),
    ("interpretation", re.compile(r"解读|回应")),
    ("requests", re.compile(r"依申请|申请")),
    ("proactive", re.compile(r"主动公开|重点领域")),
    ("overview", re.compile(r"概述|概况|基本情况|总体情况|基本工作情况")),
]
_HEAD_END = re.compile(r".{0,38}?(?:情况|事项|措施)")
_HEAD_END_SHORT = re.compile(r".{0,24}?(?:概述|概况|问题|工作|打算)")


def _candidates(text: str):
    """(number, start, heading_start_of_words, heading_end) of every ordinal heading candidate."""
    for m in _ORDINAL.finditer(text):
        num = chinese_int(m.group(1) or m.group(2)) or 0
        after = m.end()
        line_end = text.find("\n", after)
        line_end = len(text) if line_end < 0 else line_end
        rest = text[after:line_end]
        if len(rest) <= 40 and not re.search(r"[。;]", rest):
            end = line_end  # a heading line of its own
        else:
            h = _HEAD_END.match(text, after, line_end) or _HEAD_END_SHORT.match(text, after, line_end)
            end = h.end() if h else min(after + 12, line_end)
        yield num, m.start(), after, end


def find_sections(text: str, template: str | None = None) -> list[dict]:
    """Sections of one text: a list of ``{section, heading, start, end}``.

    ``template`` ``"2019"``/``"2021"`` looks for s1..s6, ``"pre2019"`` for the keyword
    kinds; anything else tries s1..s6 and falls back to the keyword kinds when fewer
    than three are found.

    >>> [s["section"] for s in find_sections("一、概述\\n略\\n二、主动公开政府信息情况\\n略", "pre2019")]
    ['overview', 'proactive']
    """
    if not isinstance(text, str) or not text:
        return []
    cands = list(_candidates(text))
    listed = _listings(text, cands)
    cands = [c for c in cands if c[1] not in listed]
    found = [] if template == "pre2019" else _template_sections(text, cands)
    if template not in ("2019", "2021") and len(found) < 3:
        older = _pre2019_sections(text, cands)
        found = older if len(older) > len(found) else found
    for i, sec in enumerate(found):
        sec["end"] = found[i + 1]["start"] if i + 1 < len(found) else len(text)
    return found


def _template_sections(text: str, cands) -> list[dict]:
    found, pos = [], 0
    for k, (key, rx) in enumerate(TEMPLATE_SECTIONS.items(), start=1):
        hit = None
        for strict in (True, False):  # prefer the right ordinal, accept a misnumbered one
            for num, start, words, end in cands:
                if start < pos or (strict and num != k) or (not strict and not 1 <= num <= 7):
                    continue
                if rx.match(text, words, min(end + 8, len(text))) or _wrapped_heading(rx, text, words, end):
                    hit = (start, end)
                    break
            if hit:
                break
        if hit:
            found.append({"section": key, "heading": text[hit[0]:hit[1]].strip(), "start": hit[0]})
            pos = hit[1]
    return found


_WRAP_LINES = re.compile(r"[ \t]*\n[ \t]*")


def _wrapped_heading(rx, text: str, words: int, end: int) -> bool:
    """A heading whose words a PDF text layer broke over short lines (``四、政府信息公开`` / ``行政复`` / ``议``).

    Only when the candidate's own line is short (at most 12 characters after the number) and the next
    lines are short too: the words of the next 40 characters are read without their line breaks.
    """
    if end - words > 12 or "\n" not in text[end:end + 1]:
        return False
    window = text[words:words + 40]
    lines = window.split("\n")
    if any(len(line.strip()) > 12 for line in lines[1:-1]):
        return False
    return rx.match(_WRAP_LINES.sub("", window)) is not None


_LIST_GAP = re.compile(r"[ \t]*[、,;和及与以]{0,2}[ \t]*")


def _listings(text: str, cands) -> set[int]:
    """Starts of candidates that enumerate part names (一、总体情况、二、主动公开…): runs of three
    or more consecutive ordinals, each right after the previous heading on the same line."""
    listed: set[int] = set()
    run = [cands[0]] if cands else []
    for prev, cur in zip(cands, cands[1:]):
        gap = text[prev[3]:cur[1]]
        if cur[0] == prev[0] + 1 and _LIST_GAP.fullmatch(gap):
            run.append(cur)
        else:
            if len(run) >= 3:
                listed.update(c[1] for c in run)
            run = [cur]
    if len(run) >= 3:
        listed.update(c[1] for c in run)
    return listed


def _pre2019_sections(text: str, cands) -> list[dict]:
    found, expect = [], 1
    for num, start, words, end in cands:
        if num != expect:
            continue
        heading = text[start:end].strip()
        kind = next((name for name, rx in PRE2019_KINDS if rx.search(text[words:end])), "unclassified")
        found.append({"section": kind, "heading": heading, "start": start})
        expect += 1
    return found


def sections(documents: pd.DataFrame) -> pd.DataFrame:
    """Split every document into sections.

    Parameters
    ----------
    documents : pandas.DataFrame
        Needs ``doc_id`` and ``text``; uses ``template`` when present (see
        :func:`find_sections`).

    Returns
    -------
    pandas.DataFrame
        ``doc_id, section, heading, text, start, end``, one row per section found, in
        document order.

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["a"], "text": ["一、概述\\n略\\n二、主动公开政府信息情况\\n略"],
    ...                      "template": ["pre2019"]})
    >>> sections(docs)["section"].tolist()
    ['overview', 'proactive']
    """
    if not isinstance(documents, pd.DataFrame) or not {"doc_id", "text"} <= set(documents.columns):
        raise ArgumentError("documents must be a DataFrame with at least 'doc_id' and 'text' columns "
                            "(the frame returned by load_corpus)")
    rows = []
    templates = documents["template"] if "template" in documents.columns else [None] * len(documents)
    for doc_id, text, template in zip(documents["doc_id"], documents["text"], templates):
        template = template if isinstance(template, str) else None
        for sec in find_sections(text, template):
            rows.append({"doc_id": doc_id, "section": sec["section"], "heading": sec["heading"],
                         "text": text[sec["start"]:sec["end"]], "start": sec["start"], "end": sec["end"]})
    return pd.DataFrame(rows, columns=["doc_id", "section", "heading", "text", "start", "end"])
