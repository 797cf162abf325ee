"""Lines and tables in document order for the ``.doc`` and RTF readers.

Both formats give a stream of paragraph ends, cell ends and row ends, each row with its cell
edges (twips) and merge flags. :class:`Builder` turns that stream into the lines and ``tables``
of a :class:`~toolkit.readers.RawDocument`, following the DOCX reader: one line per paragraph,
one line ``cell | cell | cell |`` per table row, cells ``{"text", "rowspan", "colspan"}`` with
merged cells given once with their spans.

>>> b = Builder()
>>> b.paragraph("标题")
>>> b.end_cell("规章"); b.end_cell("3"); b.end_row(([0, 2000, 4000], [[0, 0], [0, 0]]))
>>> b.close_table()
>>> b.lines
['标题', '规章 | 3 |']
"""
from __future__ import annotations

import bisect
import re

__all__ = ["Builder", "grid"]

VM_MERGE, VM_RESTART = 1, 3  # vertical merge flags: continues the cell above / first cell of a merge
EDGE_TOLERANCE = 30  # twips: cell edges closer than this (0.5 mm) are one grid line
_SPACE = re.compile(r"\s+")


def _cell_text(parts: list[str]) -> str:
    return _SPACE.sub(" ", " ".join(parts)).strip()


class Builder:
    """Collects paragraphs, cells and rows; a table is closed by the next paragraph outside it.

    A row layout is ``(edges, flags)``: ``edges`` the n+1 x positions of the n cells' edges,
    ``flags`` per cell ``[horizontal, vertical]`` merge flags (horizontal: 0 none, 1 first of
    merged cells, 2 merged into the previous cell; vertical: 0 none, 1 continues the cell
    above, 3 first of vertically merged cells), or ``None`` when unknown (all spans 1).
    """

    def __init__(self):
        self.lines: list[str] = []
        self.tables: list = []
        self.rows: list = []        # rows of the open table: (texts, layout or None)
        self.cells: list[str] = []  # finished cells of the open row
        self.cell: list[str] = []   # paragraphs of the open cell

    @property
    def in_row(self) -> bool:
        return bool(self.cells or self.cell)

    def paragraph(self, text: str) -> None:
        self.close_table()
        self.lines.append(text)

    def in_cell(self, text: str) -> None:
        self.cell.append(text)

    def end_cell(self, text: str) -> None:
        self.cell.append(text)
        self.cells.append(_cell_text(self.cell))
        self.cell = []

    def end_row(self, layout) -> None:
        if self.cell and any(p.strip() for p in self.cell):
            self.cells.append(_cell_text(self.cell))
        self.cell = []
        if self.cells:
            self.rows.append((self.cells, layout))
        self.cells = []

    def close_table(self) -> None:
        if self.cells or (self.cell and any(p.strip() for p in self.cell)):
            self.end_row(None)  # a row without its row end (truncated or odd file)
        self.cell = []
        if not self.rows:
            return
        rows = grid(self.rows)
        self.rows = []
        if rows:
            self.tables.append(rows)
            self.lines.extend(" | ".join(c["text"] for c in r) + " |" for r in rows)


def grid(rows) -> list[list[dict]]:
    """Rows of ``(cell texts, layout)`` -> rows of ``{"text", "rowspan", "colspan"}`` cells.

    ``colspan`` counts the grid columns (edges of all rows of the table) a cell covers;
    vertically merged continuation cells are not repeated: the first cell's ``rowspan`` grows.
    """
    edges = sorted({e for _, lay in rows if lay for e in lay[0]})
    lines: list[int] = []  # grid lines: cell edges closer than the tolerance are one line
    for e in edges:
        if not lines or e - lines[-1] > EDGE_TOLERANCE:
            lines.append(e)

    def line_of(x: int) -> int:
        return max(bisect.bisect_right(lines, x + EDGE_TOLERANCE) - 1, 0)

    out: list[list[dict]] = []
    open_cells: dict[int, dict] = {}  # grid column -> cell that vertical merges continue
    for texts, layout in rows:
        if layout is None:
            out.append([{"text": t, "rowspan": 1, "colspan": 1} for t in texts])
            continue
        cell_edges, flags = layout
        row: list[dict] = []
        prev = None
        for k, text in enumerate(texts):
            if k + 1 >= len(cell_edges):  # more cells than the row defines
                row.append({"text": text, "rowspan": 1, "colspan": 1})
                prev = None
                continue
            left, right = line_of(cell_edges[k]), line_of(cell_edges[k + 1])
            span = max(1, right - left)
            horiz, vert = flags[k] if k < len(flags) else (0, 0)
            if horiz >= 2 and prev is not None:  # merged into the previous cell
                prev["colspan"] += span
                if text:
                    prev["text"] = f"{prev['text']} {text}".strip()
                continue
            if vert == VM_MERGE and left in open_cells:
                open_cells[left]["rowspan"] += 1
                prev = None
                continue
            cell = {"text": text, "rowspan": 1, "colspan": span}
            row.append(cell)
            prev = cell
            if vert == VM_RESTART:
                open_cells[left] = cell
            else:
                open_cells.pop(left, None)
        if row:
            out.append(row)
    return out
