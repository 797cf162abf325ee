"""Print a ``cells`` frame as the text layouts of real reports (templates.md §8). Numbers are SYNTHETIC.

All layouts come from one printed grid (:func:`grid`): three tables (t2 with its stacked 第二十条 sub-blocks,
t3, t4) whose cells carry ``text``, ``rowspan`` and ``colspan`` exactly like the official Word template (the
vertical 三、本年度办理结果 cell, merged level-2 labels, the 2021 (五)(六)(八) value cells with colspan 3, the
2019 (八)(九) header/value colspans that disagree). ``\\n`` inside a label is a hard line break of the template
(本年新/制作数量, 商业/企业).

Layouts (``render(cells, layout=...)``), short examples:

``pipe_cell_per_line`` (the seed's style, one cell per line, extra pipes at some row ends)::

    第二十条第（一）项 | |||
    信息内容 |
    本年制发件数 |

``pipe_row_per_line`` (one table row per line, as the corpus loader linearizes HTML/DOCX tables)::

    信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |
    三、本年度办理结果 | （一）予以公开 | 2 | 1 | 0 | 0 | 0 | 0 | 3 |

``lines_no_pipes`` (HTML->text, every label and number on its own line, half-width brackets)::

    规章
    0

``html`` (a complete page: headings as paragraphs, three ``<table>`` with rowspan/colspan)::

    <tr><td rowspan="22">三、本年度办理结果</td><td colspan="2">（一）予以公开</td><td>2</td>...

``pdf_text`` (space-separated rows, wrapped labels, the vertical label one character per line, ``- 4 -``)::

    三、
    （二）部分公开（区分处理的，只计这
    一情形，不计其他情形） 4 1 0 0 0 0 5
    本
    （三）不 1.属于国家秘密 0 0 0 0 0 0 0
    予公开

``crawler_fused`` (a crawler's text: a whole table on one line, digits of a row run together)::

    二、主动公开政府信息情况第二十条第（一）项 信息内容 本年制发件数 ... 规章000行政规范性文件3103

The DOCX writer, report files and ``documents`` frames live in :mod:`toolkit.synth.table_files`.
"""
from __future__ import annotations

import random
from typing import Literal

import pandas as pd

from toolkit import templates
from toolkit.errors import ArgumentError, check_choice

Layout = Literal["pipe_cell_per_line", "pipe_row_per_line", "lines_no_pipes", "html", "pdf_text", "crawler_fused",
                 "grid"]
LAYOUTS = ("pipe_cell_per_line", "pipe_row_per_line", "lines_no_pipes", "html", "pdf_text", "crawler_fused")
HEADINGS = {"t2": "二、主动公开政府信息情况", "t3": "三、收到和处理政府信息公开申请情况",
            "t4": "四、政府信息公开行政复议、行政诉讼情况"}
_BREAKS = {"本年新制作数量": "本年新\n制作数量", "本年新公开数量": "本年新\n公开数量", "商业企业": "商业\n企业",
           "科研机构": "科研\n机构"}
_VERTICAL = "三、本年度办理结果"


def _c(text: str, kind: str, rowspan: int = 1, colspan: int = 1) -> dict:
    return {"text": text, "rowspan": rowspan, "colspan": colspan, "kind": kind}


def _one_doc(cells: pd.DataFrame) -> pd.DataFrame:
    n = cells["doc_id"].nunique()
    if n != 1:
        raise ArgumentError(f"render() takes the cells of one report; got {n} doc_ids (filter with cells.query)")
    return cells


def _printed(cells: pd.DataFrame) -> dict[tuple[str, str, str], str]:
    """(table, row, col) -> the characters printed in the cell (raw; blank cells print as their raw or '')."""
    out = {}
    for t, r, c, v, raw, st in zip(cells["table"], cells["row"], cells["col"], cells["value"], cells["raw"],
                                   cells["status"]):
        if isinstance(raw, str):
            out[(t, r, c)] = raw
        elif st == "blank" or pd.isna(v):
            out[(t, r, c)] = ""
        else:
            out[(t, r, c)] = str(int(v)) if float(v).is_integer() else repr(float(v))
    return out


def grid(cells: pd.DataFrame) -> dict[str, list[list[dict]]]:
    """The printed tables ``{"t2": rows, "t3": rows, "t4": rows}``; a cell is ``{text, rowspan, colspan, kind}``
    with ``kind`` in caption/header/label/value.

    >>> from toolkit.synth.tables import consistent_cells
    >>> g = grid(consistent_cells("2021", seed=0))
    >>> [c["text"] for c in g["t3"][5]][:2]
    ['三、本年度办理结果', '（一）予以公开']
    """
    cells = _one_doc(cells)
    tpl = templates.get(str(cells["template"].iloc[0]))
    val = _printed(cells)
    return {"t2": _grid_t2(tpl, val), "t3": _grid_t3(tpl, val), "t4": _grid_t4(tpl, val)}


def _grid_t2(tpl, val) -> list[list[dict]]:
    rows: list[list[dict]] = []
    for b in tpl.table("t2").blocks:
        rows.append([_c(b.caption, "caption", colspan=4)])
        labels = [_BREAKS.get(c.label, c.label) for c in b.columns]
        if len(b.columns) == 1:  # 2021 (五)(六)(八): one value cell spanning three grid columns
            rows.append([_c("信息内容", "header"), _c(labels[0], "header", colspan=3)])
            for r in b.rows:
                rows.append([_c(r.label, "label"), _c(val[("t2", r.key, b.columns[0].key)], "value", colspan=3)])
        elif len(b.columns) == 2:  # 2019 (八)(九): header and value rows use different colspans
            rows.append([_c("信息内容", "header"), _c(labels[0], "header"), _c(labels[1], "header", colspan=2)])
            for r in b.rows:
                rows.append([_c(r.label, "label"), _c(val[("t2", r.key, b.columns[0].key)], "value", colspan=2),
                             _c(val[("t2", r.key, b.columns[1].key)], "value")])
        else:
            rows.append([_c("信息内容", "header")] + [_c(x, "header") for x in labels])
            for r in b.rows:
                rows.append([_c(r.label, "label")] + [_c(val[("t2", r.key, c.key)], "value") for c in b.columns])
    return rows


def _grid_t3(tpl, val) -> list[list[dict]]:
    b = tpl.table("t3").blocks[0]
    cols = b.col_keys
    rows = [[_c(b.caption, "header", rowspan=3, colspan=3), _c("申请人情况", "header", colspan=7)],
            [_c("自然人", "header", rowspan=2), _c("法人或其他组织", "header", colspan=5), _c("总计", "header", rowspan=2)],
            [_c(_BREAKS.get(c.label, c.label), "header") for c in b.columns if c.parent]]
    results = [r for r in b.rows if r.group == "results" or r.key == "r_total"]
    seen_parent: set[str] = set()
    for r in b.rows:
        values = [_c(val[("t3", r.key, c)], "value") for c in cols]
        lead: list[dict] = []
        if r is results[0]:
            lead.append(_c(_VERTICAL, "label", rowspan=len(results)))
        if r in results:
            if r.parent is None:
                lead.append(_c(r.label, "label", colspan=2))
            else:
                if r.parent not in seen_parent:
                    seen_parent.add(r.parent)
                    lead.append(_c(r.parent, "label", rowspan=sum(1 for x in b.rows if x.parent == r.parent)))
                lead.append(_c(r.label, "label"))
        else:
            lead.append(_c(r.label, "label", colspan=3))
        rows.append(lead + values)
    return rows


def _grid_t4(tpl, val) -> list[list[dict]]:
    b = tpl.table("t4").blocks[0]
    outcomes = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    return [[_c("行政复议", "header", colspan=5), _c("行政诉讼", "header", colspan=10)],
            [_c(x, "header", rowspan=2) for x in outcomes]
            + [_c("未经复议直接起诉", "header", colspan=5), _c("复议后起诉", "header", colspan=5)],
            [_c(x, "header") for x in outcomes * 2],
            [_c(val[("t4", "cases", c)], "value") for c in b.col_keys]]


def public_grid(cells: pd.DataFrame) -> list[list[list[dict]]]:
    """The tables in the ``documents.tables`` contract (``text`` without the hard breaks, spans)."""
    return _public(grid(cells))


def _public(g: dict) -> list[list[list[dict]]]:
    return [[[{"text": c["text"].replace("\n", ""), "rowspan": c["rowspan"], "colspan": c["colspan"]} for c in row]
             for row in rows] for rows in g.values()]


# ---- text layouts --------------------------------------------------------------------------------
def vary_labels(g: dict, *, seed: int = 0) -> dict:
    """Label variants seen in real reports (templates.md §8), chosen once per report with ``seed``:
    half-width brackets, straight quotes around 三安全一稳定, ``，`` for ``、`` in the （六） sub-rows, the
    Hubei annotation after 规章, a space inside captions (第二十条 第（八）项). Values are untouched."""
    rng = random.Random(seed)
    half, straight, comma, annotate, spaced = (rng.random() < 0.5 for _ in range(5))
    out = {}
    for key, rows in g.items():
        new_rows = []
        for row in rows:
            new_row = []
            for c in row:
                t = c["text"]
                if c["kind"] != "value":
                    if half:
                        t = t.replace("（", "(").replace("）", ")")
                    if straight:
                        t = t.replace("“", '"').replace("”", '"')
                    if comma and t.startswith(("1.申请人", "2.申请人")):
                        t = t.replace("、", "，")
                    if annotate and t == "规章":
                        t = "规章（设区的市、自治州人民政府应提供相关数据）"
                    if spaced and c["kind"] == "caption":
                        t = t.replace("条第", "条 第")
                new_row.append({**c, "text": t})
            new_rows.append(new_row)
        out[key] = new_rows
    return out


def render(cells: pd.DataFrame, *, layout: Layout = "pipe_row_per_line", seed: int = 0, headings: bool = True,
           half_width: bool | None = None, variants: bool = False,
           script: Literal["simplified", "traditional"] = "simplified"):
    """Print the tables of one report's cells in ``layout`` (see the module docstring for examples).

    Parameters
    ----------
    cells : DataFrame
        Cells of one report (``doc_id, template, table, row, col, value, raw, status``).
    layout : one of ``LAYOUTS`` or ``"grid"``
        ``grid`` returns the structure of :func:`grid` instead of a string.
    seed : int
        Seeds the layout's noise (wrap widths, stray pipes, page-number position).
    headings : bool
        Print the section headings 二、三、四 before the tables.
    half_width : bool, optional
        Print half-width brackets ``()`` in labels (default: only in ``lines_no_pipes``).
    variants : bool
        Apply :func:`vary_labels` (seeded label variants of real reports).
    script : "simplified" or "traditional"
        ``traditional`` converts the output character by character with OpenCC ``s2t`` (like the seed).

    Returns
    -------
    str (or dict for ``grid``)

    Examples
    --------
    >>> from toolkit.synth.tables import consistent_cells
    >>> text = render(consistent_cells("2019", seed=0), layout="pipe_cell_per_line")
    >>> "第二十条第（九）项 |" in text
    True
    """
    check_choice("layout", layout, (*LAYOUTS, "grid"))
    check_choice("script", script, ("simplified", "traditional"))
    g = grid(cells)
    if variants:
        g = vary_labels(g, seed=seed)
    if layout == "grid":
        return g
    rng = random.Random(seed)
    fn = {"pipe_cell_per_line": _pipe_cell, "pipe_row_per_line": _pipe_row, "lines_no_pipes": _no_pipes,
          "html": _html, "pdf_text": _pdf, "crawler_fused": _crawler}[layout]
    text = fn(g, rng, headings)
    if half_width if half_width is not None else layout == "lines_no_pipes":
        text = text.replace("（", "(").replace("）", ")")
    if script == "traditional":
        text = _s2t(text)
    return text


def _s2t(text: str) -> str:
    import opencc

    return opencc.OpenCC("s2t").convert(text)


def _label(text: str, sep: str = " ") -> str:
    return text.replace("\n", sep)


def _pipe_cell(g, rng, headings) -> str:
    lines = []
    for t, rows in g.items():
        if headings:
            lines.append(HEADINGS[t])
        for row in rows:
            for j, c in enumerate(row):
                end = " |" + (rng.choice(["", " |", " ||", " |||"]) if j == len(row) - 1 else "")
                lines.append(_label(c["text"]) + end)
    return "\n".join(lines) + "\n"


def _pipe_row(g, rng, headings) -> str:
    lines = []
    for t, rows in g.items():
        if headings:
            lines.append(HEADINGS[t])
        lines += [" | ".join(_label(c["text"]) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _no_pipes(g, rng, headings) -> str:
    lines = []
    for t, rows in g.items():
        if headings:
            lines.append(HEADINGS[t])
        lines += [_label(c["text"]) for row in rows for c in row]
    return "\n".join(lines) + "\n"


def _html_table(rows) -> str:
    out = ['<table border="1" cellspacing="0">']
    for row in rows:
        tds = []
        for c in row:
            attrs = "".join(f' {k}="{c[k]}"' for k in ("rowspan", "colspan") if c[k] > 1)
            text = c["text"].replace("\n", "<br/>") or "&nbsp;"
            tds.append(f"<td{attrs}>{text}</td>")
        out.append("<tr>" + "".join(tds) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def _html(g, rng, headings, body_before: str = "", body_after: str = "") -> str:
    parts = [f"<p>{body_before}</p>"] if body_before else []
    for t, rows in g.items():
        if headings:
            parts.append(f"<p><strong>{HEADINGS[t]}</strong></p>")
        parts.append(_html_table(rows))
    if body_after:
        parts.append(f"<p>{body_after}</p>")
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>synthetic</title></head><body>\n"
            + "\n".join(parts) + "\n</body></html>\n")


def _wrap(text: str, width: int) -> list[str]:
    text = text.replace("\n", "")
    return [text[i:i + width] for i in range(0, len(text), width)] or [""]


def _values(row) -> list[str]:
    return [c["text"] if c["text"] else "" for c in row if c["kind"] == "value"]


def _pdf(g, rng, headings) -> str:
    lines: list[str] = []
    page = rng.randint(2, 9)
    nums_first = rng.random() < 0.3  # numbers on the first wrapped line instead of the last

    def row_lines(label: str, vals: list[str], width: int, prefix: str = "") -> list[str]:
        parts = _wrap(label, width)
        parts[0] = (prefix + " " + parts[0]).strip() if prefix else parts[0]
        k = 0 if nums_first else len(parts) - 1
        parts[k] = " ".join([parts[k], *[v for v in vals if v]]).strip()
        return parts

    # table 2
    if headings:
        lines.append(HEADINGS["t2"])
    for row in g["t2"]:
        kinds = [c["kind"] for c in row]
        if kinds == ["caption"]:
            lines.append(row[0]["text"].replace("第（", rng.choice(["第（", " 第（"]), 1).strip())
        elif kinds[0] == "header":
            heads = [c["text"].split("\n") for c in row]
            lines.append(" ".join(h[0] for h in heads))
            if any(len(h) > 1 for h in heads):
                lines.append(" ".join(h[1] for h in heads if len(h) > 1))
        else:
            lines.append(" ".join([row[0]["text"], *[v for v in _values(row) if v]]))
    # table 3
    if headings:
        lines.append(HEADINGS["t3"])
    head = g["t3"]
    note = head[0][0]["text"]
    cut = len(note) // 2
    if rng.random() < 0.5:  # headers wrapped in their cells, read line by line
        lines += [note[:cut], "申请人情况", note[cut:], "自然人 法人或其他组织 总计"]
        subs = [c["text"].split("\n") for c in head[2]]
        lines.append(" ".join(s[0] if len(s) > 1 else _wrap(s[0], 3)[0] for s in subs))
        lines.append(" ".join(s[1] if len(s) > 1 else "".join(_wrap(s[0], 3)[1:]) for s in subs).strip())
    else:  # 总计 read before the sub-headers, spaced and broken characters (templates.md §8, szfgs2024)
        lines += [note[:cut], note[cut:], "申请人情况", "法人或其他组织", "自然人 总计商 业 企 科研机 社会公 法 律 服 务 其他",
                  "业 构 益组织 机构"]
    data = head[3:]
    vertical = ["三、", *_VERTICAL[2:]]
    n_results = next(c["rowspan"] for c in data[2] if c["text"] == _VERTICAL)
    slots = {round(i * (n_results - 1) / (len(vertical) - 1)) + 2: ch for i, ch in enumerate(vertical)}
    page_at = rng.randint(4, len(data) - 3)
    pending_tail: str | None = None
    for i, row in enumerate(data):
        if i == page_at:
            lines += [f"- {page} -"]
        if i in slots:
            lines.append(slots[i])
        labels = [c for c in row if c["kind"] == "label" and c["text"] != _VERTICAL]
        vals = _values(row)
        prefix = ""
        if len(labels) == 2:  # first sub-row of a merged level-2 label: （三）不 / 予公开
            head2 = labels[0]["text"]
            prefix, pending_tail = head2[:4], head2[4:]
            label = labels[1]["text"]
        else:
            label = labels[0]["text"]
        width = 16 if labels[-1]["colspan"] >= 2 else 14
        lines += row_lines(label, vals, width, prefix)
        if pending_tail:
            lines.append(pending_tail)
            pending_tail = None
    # table 4: column headers read row-wise across columns
    if headings:
        lines.append(HEADINGS["t4"])
    lines += ["行政复议 行政诉讼", "未经复议直接起诉 复议后起诉"]
    heads = [c["text"] for c in g["t4"][1][:5]] + [c["text"] for c in g["t4"][2]]
    heads = heads[:5] + heads[5:]
    for k in range(4):
        lines.append(" ".join(h[k] for h in heads if len(h) > k))
    lines.append(" ".join(v for v in _values(g["t4"][3]) if v))
    return "\n".join(lines) + "\n"


def _crawler(g, rng, headings) -> str:
    out = []
    for t, rows in g.items():
        parts = [HEADINGS[t]] if headings else []
        for row in rows:
            kinds = [c["kind"] for c in row]
            if kinds[0] in ("caption", "header"):
                parts.append(" ".join(c["text"].replace("\n", " ") for c in row) + rng.choice([" ", ""]))
            elif "label" in kinds:
                label = "".join(c["text"] + rng.choice([" ", ""]) for c in row if c["kind"] == "label")
                parts.append(label + "".join(_values(row)))
            else:  # table 4's value row: spaced or fused
                parts.append(" " + rng.choice([" ", ""]).join(_values(row)) + " ")
        out.append("".join(parts))
    return "\n".join(out) + "\n"
