"""DOCX reader: body paragraphs and tables in document order.

Only ``word/document.xml`` is parsed (lxml, entities off, no network): opening the
package with python-docx parses every part (styles, numbering, settings) and made this
reader about 8x slower (15 ms vs 2 ms a file on the synthetic reports of
``bench/bench_load.py``) for the same result.

Each paragraph is one line; each table row is one line ``cell | cell | cell |`` and the
table is also returned as rows of ``{"text", "rowspan", "colspan"}`` cells, with
``colspan`` from ``w:gridSpan`` and ``rowspan`` from ``w:vMerge`` (continuation cells are
not repeated, as in HTML). Headers, footers and comments are not read.
"""
from __future__ import annotations

import io
import re
import zipfile

from . import RawDocument, ReadError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_SPACE = re.compile(r"\s+")


def _para_text(p) -> str:
    parts = []
    for node in p.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr"):
        if node.tag == f"{W}t":
            parts.append(node.text or "")
        elif node.tag == f"{W}tab":
            parts.append(" ")
        else:
            parts.append("\n")
    return "".join(parts)


def _table(tbl) -> list[list[dict]]:
    rows: list[list[dict]] = []
    open_cells: dict[int, dict] = {}  # grid column -> cell that a vMerge continues
    for tr in tbl.iterchildren(f"{W}tr"):
        row, col = [], 0
        for tc in tr.iterchildren(f"{W}tc"):
            pr = tc.find(f"{W}tcPr")
            span, vmerge = 1, None
            if pr is not None:
                gs = pr.find(f"{W}gridSpan")
                if gs is not None:
                    try:
                        span = max(1, int(gs.get(f"{W}val", "1")))
                    except ValueError:
                        span = 1
                vm = pr.find(f"{W}vMerge")
                if vm is not None:
                    vmerge = vm.get(f"{W}val", "continue")
            if vmerge == "continue" and col in open_cells:
                open_cells[col]["rowspan"] += 1
            else:
                text = " ".join(_para_text(p) for p in tc.iter(f"{W}p"))
                cell = {"text": _SPACE.sub(" ", text).strip(), "rowspan": 1, "colspan": span}
                row.append(cell)
                if vmerge == "restart":
                    open_cells[col] = cell
                else:
                    open_cells.pop(col, None)
            col += span
        if row:
            rows.append(row)
    return rows


def read_docx(data: bytes) -> RawDocument:
    from lxml import etree

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            xml = z.read("word/document.xml")
    except zipfile.BadZipFile as e:
        raise ReadError("corrupt DOCX: not a zip archive (an old .doc renamed to .docx?)") from e
    except KeyError as e:
        raise ReadError("corrupt DOCX: no word/document.xml in the package") from e
    except Exception as e:  # truncated members, bad CRC, unsupported compression
        raise ReadError(f"corrupt DOCX: {type(e).__name__}: {e}") from e
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_comments=True)
    try:
        root = etree.fromstring(xml, parser=parser)
    except etree.XMLSyntaxError as e:
        raise ReadError(f"corrupt DOCX: word/document.xml is not well-formed XML ({e})") from e
    body = root.find(f"{W}body")
    if body is None:
        raise ReadError("corrupt DOCX: word/document.xml has no body")
    lines: list[str] = []
    tables: list = []
    for block in body.iterchildren():
        if block.tag == f"{W}p":
            lines.append(_para_text(block))
        elif block.tag == f"{W}tbl":
            rows = _table(block)
            if rows:
                tables.append(rows)
                lines.extend(" | ".join(c["text"] for c in r) + " |" for r in rows)
        elif block.tag == f"{W}sdt":  # content controls wrap paragraphs and tables
            lines.extend(_para_text(p) for p in block.iter(f"{W}p"))
    text = "\n".join(lines).strip()
    if not text:
        raise ReadError("no text in the DOCX body")
    return RawDocument(format="docx", text=text, encoding="utf-8", tables=tables or None)
