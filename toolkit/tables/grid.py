"""Structured tables (HTML, DOCX) as grids of cells, and their linearization for the label reader.

A grid is the loader's ``tables`` field: a list of tables, each a list of rows, each a list of
``{"text", "rowspan", "colspan"}``. Value cells are mapped **by order within the row**, not by
grid x-position, so header and value rows whose colspans disagree (templates.md §8) still give
the right cells; the linearized form is the one the loader writes into ``text``
(``cell | cell | cell |``, one table row per line), read by :mod:`toolkit.tables.text` with the
pipes as explicit cell boundaries (an empty cell is a blank).

>>> linearize([[[{"text": "规章", "rowspan": 1, "colspan": 1}, {"text": "0", "rowspan": 1, "colspan": 1}]]])
'规章 | 0 |'
"""
from __future__ import annotations

import re
from pathlib import Path

Cell = dict
Grid = list[list[Cell]]
_WS = re.compile(r"\s+")


def _cell_text(c) -> str:
    text = c.get("text", "") if isinstance(c, dict) else str(c)
    return _WS.sub(" ", (text or "").replace("|", " ")).strip()


def linearize(tables) -> str:
    """One line per table row, ``cell | cell |``; tables separated by a blank line."""
    out = []
    for table in tables or ():
        lines = []
        for row in table or ():
            cells = [_cell_text(c) for c in row]
            if cells:
                lines.append(" | ".join(cells) + " |")
        out.append("\n".join(lines))
    return "\n\n".join(out)


def html_tables(html: str) -> list[Grid]:
    """The ``<table>`` elements of an HTML page as grids (nested tables are flattened into their cells).

    Cell text keeps line breaks between paragraphs as spaces; ``&nbsp;`` becomes a space.
    """
    from lxml import html as lh

    root = lh.fromstring(html)
    grids = []
    for t in root.iter("table"):
        if any(a.tag == "table" for a in t.iterancestors()):
            continue
        grid = []
        for tr in t.iter("tr"):
            row = []
            for td in tr:
                if td.tag not in ("td", "th"):
                    continue
                parts = [p.strip() for p in td.itertext()]
                row.append({"text": " ".join(p for p in parts if p).replace("\xa0", " ").strip(),
                            "rowspan": int(td.get("rowspan", 1) or 1), "colspan": int(td.get("colspan", 1) or 1)})
            if row:
                grid.append(row)
        grids.append(grid)
    return grids


def docx_tables(path: str | Path) -> list[Grid]:
    """The tables of a .docx file as grids; merged cells appear once with their spans."""
    import docx
    from docx.oxml.ns import qn

    doc = docx.Document(str(path))
    grids = []
    for table in doc.tables:
        grid = []
        for tr in table._tbl.tr_lst:
            row = []
            for tc in tr.tc_lst:
                pr = tc.tcPr
                span = 1
                vmerge = None
                if pr is not None:
                    gs = pr.find(qn("w:gridSpan"))
                    if gs is not None:
                        span = int(gs.get(qn("w:val")) or 1)
                    vm = pr.find(qn("w:vMerge"))
                    if vm is not None:
                        vmerge = vm.get(qn("w:val")) or "continue"
                if vmerge == "continue":
                    continue  # covered by the cell above
                text = "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.iter(qn("w:p")))
                row.append({"text": _WS.sub(" ", text).strip(), "rowspan": 1, "colspan": span})
            grid.append(row)
        grids.append(grid)
    return grids
