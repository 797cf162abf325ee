"""Synthetic report files and ``documents`` frames from a cells frame (numbers and narrative SYNTHETIC).

:func:`write_docx` (a python-docx table with real merges), :func:`write_report` (one ``.txt``/``.html``/``.docx``
file with narrative sections and the tables in a layout of :mod:`toolkit.synth.layouts`), :func:`to_documents`
(a minimal ``documents`` frame without files) and :func:`narrative_text` (sections 一/五/六 from our own phrase
bank, quoting the table numbers for I7).
"""
from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Literal

import pandas as pd

from toolkit.errors import check_choice
from toolkit.synth.layouts import (HEADINGS, LAYOUTS, Layout, _html, _one_doc, _public, _s2t, grid, render,
                                   vary_labels)


# ---- DOCX ----------------------------------------------------------------------------------------
def _occupancy(rows: list[list[dict]]) -> tuple[list[tuple[int, int, dict]], int]:
    """Top-left grid positions of each cell, resolving rowspans; returns (positions, n_cols)."""
    taken: set[tuple[int, int]] = set()
    pos = []
    width = 0
    for i, row in enumerate(rows):
        j = 0
        for c in row:
            while (i, j) in taken:
                j += 1
            pos.append((i, j, c))
            for di in range(c["rowspan"]):
                for dj in range(c["colspan"]):
                    taken.add((i + di, j + dj))
            j += c["colspan"]
            width = max(width, j)
    return pos, width


def write_docx(cells: pd.DataFrame, path: str | Path, *, narrative: str | None = None,
               after: str | None = None) -> Path:
    """Write the tables (and optional synthetic paragraphs before/after) into a Word file built with python-docx.

    Merged cells are real merges (the vertical 三、本年度办理结果, level-2 labels, the 2021 colspan-3 values).

    >>> import tempfile, os
    >>> from toolkit.synth.tables import consistent_cells
    >>> p = write_docx(consistent_cells("2021", seed=0), os.path.join(tempfile.mkdtemp(), "r.docx"))
    >>> p.suffix
    '.docx'
    """
    import docx

    doc = docx.Document()
    if narrative:
        for para in narrative.split("\n"):
            doc.add_paragraph(para)
    for t, rows in grid(cells).items():
        doc.add_paragraph(HEADINGS[t])
        pos, width = _occupancy(rows)
        table = doc.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        for i, j, c in pos:
            cell = table.cell(i, j)
            if c["rowspan"] > 1 or c["colspan"] > 1:
                cell = cell.merge(table.cell(i + c["rowspan"] - 1, j + c["colspan"] - 1))
            lines = c["text"].split("\n")
            par = cell.paragraphs[0]
            run = par.add_run(lines[0])
            for extra in lines[1:]:
                run.add_break()
                run = par.add_run(extra)
    if after:
        for para in after.split("\n"):
            doc.add_paragraph(para)
    path = Path(path)
    doc.save(str(path))
    return path


# ---- documents -----------------------------------------------------------------------------------
def narrative_text(cells: pd.DataFrame) -> dict[str, str]:
    """Synthetic sections 一, 五, 六 (own phrase bank) whose section 一 quotes the table numbers (I7)."""
    v = {(t, r, c): x for t, r, c, x in zip(cells["table"], cells["row"], cells["col"], cells["value"])}

    def n(t, r, c):
        x = v.get((t, r, c))
        return 0 if x is None or pd.isna(x) else int(x)

    lit = n("t4", "cases", "lit_direct_total") + n("t4", "cases", "lit_after_rev_total")
    s1 = ("一、总体情况\n本报告为合成数据（synthetic），用于测试。本机关按照条例要求推进政务公开。"
          f"本年新收政府信息公开申请{n('t3', 'new_received', 'total')}件，"
          f"上年结转政府信息公开申请{n('t3', 'carried_over_from_prev', 'total')}件，"
          f"结转下年度继续办理{n('t3', 'carried_to_next', 'total')}件。"
          f"全年被申请行政复议{n('t4', 'cases', 'rev_total')}件，被提起行政诉讼{lit}件。")
    s5 = "五、存在的主要问题及改进情况\n合成示例：公开内容的及时性有待提高。下一步将完善发布审核流程。"
    s6 = "六、其他需要报告的事项\n合成示例：本年度未收取信息处理费。"
    return {"s1": s1, "s5": s5, "s6": s6}


def write_report(cells: pd.DataFrame, path: str | Path, *, layout: Layout = "pipe_row_per_line", seed: int = 0,
                 script: Literal["simplified", "traditional"] = "simplified", variants: bool = False,
                 title: str | None = None) -> Path:
    """Write one synthetic report file (narrative sections + tables) for the corpus loader: ``.html`` for
    ``html``, ``.docx`` for ``docx``, else UTF-8 ``.txt`` with the tables in ``layout``. Returns the path
    (its suffix is set from the layout).

    >>> import tempfile, os
    >>> from toolkit.synth.tables import consistent_cells
    >>> write_report(consistent_cells("2021", seed=0), os.path.join(tempfile.mkdtemp(), "a"), layout="html").suffix
    '.html'
    """
    check_choice("layout", layout, (*LAYOUTS, "docx"))
    one = _one_doc(cells)
    parts = narrative_text(one)
    year = 2021 if str(one["template"].iloc[0]) == "2021" else 2020
    title = title or f"合成示例机关{year}年政府信息公开工作年度报告（合成数据）"
    path = Path(path)
    if layout == "docx":
        return write_docx(one, path.with_suffix(".docx"), narrative="\n".join([title, parts["s1"]]),
                          after="\n".join([parts["s5"], parts["s6"]]))
    if layout == "html":
        g = vary_labels(grid(one), seed=seed) if variants else grid(one)
        text = _html(g, random.Random(seed), True, "</p><p>".join([title, *parts["s1"].split("\n")]),
                     "</p><p>".join([*parts["s5"].split("\n"), *parts["s6"].split("\n")]))
        path = path.with_suffix(".html")
    else:
        body = render(one, layout=layout, seed=seed, variants=variants)
        text = "\n".join([title, parts["s1"], body.rstrip("\n"), parts["s5"], parts["s6"]]) + "\n"
        path = path.with_suffix(".txt")
    if script == "traditional":
        text = _s2t(text)
    path.write_text(text, encoding="utf-8")
    return path


def _linearize(tables: list[list[list[dict]]]) -> str:
    return "\n".join(" | ".join(c["text"] for c in row) + " |" for rows in tables for row in rows)


def to_documents(cells: pd.DataFrame, *, layout: Layout = "pipe_row_per_line", seed: int = 0,
                 narrative: bool = True, year: int | None = None, level: str = "department",
                 agency: str | None = None, published: str | None = None, variants: bool = False
                 ) -> pd.DataFrame:
    """A minimal ``documents`` frame (one row per doc_id of ``cells``) whose text prints the tables in ``layout``.

    For ``html`` the ``tables`` column holds the parsed grid (as the corpus loader would give) and ``text``
    the tables linearized one row per line; ``html`` keeps the page itself. ``variants`` applies
    :func:`vary_labels`. Numbers are synthetic.

    >>> from toolkit.synth.tables import consistent_cells
    >>> d = to_documents(consistent_cells("2021", seed=0), layout="crawler_fused")
    >>> list(d.columns)[:3]
    ['doc_id', 'format', 'template']
    """
    check_choice("layout", layout, (*LAYOUTS, "docx"))
    rows = []
    for k, (doc_id, one) in enumerate(cells.groupby("doc_id", sort=False)):
        version = str(one["template"].iloc[0])
        parts = narrative_text(one) if narrative else {"s1": "", "s5": "", "s6": ""}
        y = year if year is not None else (2021 if version == "2021" else 2020)
        tables = None
        html = None
        if layout in ("html", "docx"):
            g = vary_labels(grid(one), seed=seed + k) if variants else grid(one)
            tables = _public(g)
            html = _html(g, random.Random(seed + k), True, parts["s1"].replace("\n", "</p><p>"),
                         (parts["s5"] + "\n" + parts["s6"]).replace("\n", "</p><p>"))
            body = _linearize_with_headings(tables)
            fmt = layout
        else:
            body = render(one, layout=layout, seed=seed + k, variants=variants)
            fmt = {"pdf_text": "pdf"}.get(layout, "txt")
        text = "\n".join(x for x in (parts["s1"], body.rstrip("\n"), parts["s5"], parts["s6"]) if x)
        pages = None
        if layout == "pdf_text":
            pages = [0] + [m.end() + 1 for m in re.finditer(r"^- \d+ -$", text, flags=re.M)]
        rows.append({"doc_id": doc_id, "format": fmt, "template": version, "year": y, "level": level,
                     "agency": agency or f"合成示例机关{k}", "published": published, "text": text,
                     "tables": tables, "pages": pages, "html": html, "layout": layout})
    df = pd.DataFrame(rows)
    df["year"] = df["year"].astype("Int64")
    return df


def _linearize_with_headings(tables) -> str:
    return "\n".join(f"{h}\n{_linearize([t])}" for h, t in zip(HEADINGS.values(), tables))
