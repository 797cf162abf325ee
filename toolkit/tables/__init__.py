"""Statistical tables of 2019/2021-template reports as tidy cells (templates.md §10 keys).

>>> import pandas as pd
>>> import toolkit as tk
>>> docs = pd.DataFrame({"doc_id": ["d1"], "text": ["第二十条第（五）项 信息内容 本年处理决定数量 行政许可 12 "
...                                               "本年制发件数 一、本年新收 二、上年结转 （一）予以公开 （三）不予公开"]})
>>> cells = tk.extract_cells(docs, progress=False)
>>> cells.set_index(["table", "row", "col"]).loc[("t2", "licensing", "decisions"), "value"]
np.float64(12.0)

Modules: :mod:`.detect` (label folding, template detection), :mod:`.text` (label-anchored
reading of every text layout), :mod:`.grid` (HTML/DOCX grids), :mod:`.values` (tokens, blank
markers, splits of fused runs), :mod:`.fused` (readings and identities), :mod:`.evidence`
(narrative numbers), :mod:`.extract` (one document).
"""
from __future__ import annotations

import logging
from typing import Literal

import pandas as pd

from toolkit.errors import ArgumentError
from toolkit.progress import bar

from .extract import document_cells, extract_document

__all__ = ["extract_cells", "wide", "CELL_COLUMNS"]

log = logging.getLogger(__name__)

CELL_COLUMNS = ["doc_id", "template", "table", "row", "col", "value", "raw", "status", "candidates"]
Status = Literal["ok", "blank", "missing", "ambiguous"]


def _get(row, name):
    v = row.get(name) if hasattr(row, "get") else getattr(row, name, None)
    try:
        if v is None or (not isinstance(v, (list, tuple, str)) and pd.isna(v)):
            return None
    except (TypeError, ValueError):
        pass
    return v


def extract_cells(documents: pd.DataFrame, *, progress: bool | None = None) -> pd.DataFrame:
    """Every table cell of every 2019/2021-template report, label-anchored and checked by the identities.

    Parameters
    ----------
    documents : DataFrame
        At least ``doc_id`` and ``text``. Used when present: ``tables`` (HTML/DOCX grids, read
        first), ``template`` and ``year`` (tie-breakers only: the version is read from the labels),
        ``text_original`` (its presence says ``text`` is already normalized).
    progress : bool, optional
        tqdm progress bar; default: on when stderr is a terminal.

    Returns
    -------
    DataFrame
        ``doc_id, template, table, row, col, value, raw, status, candidates``: one row per cell
        of the detected template (templates.md §10 keys), ``value`` a nullable float, ``raw`` the
        printed characters (the whole run when cell boundaries were lost), ``status`` one of
        ``ok``, ``blank`` (printed empty, ``/``, ``-``), ``missing`` (row not found),
        ``ambiguous`` (several readings satisfy every identity; ``candidates`` lists the values,
        ``None`` standing for a blank cell). Reports without a template table (pre-2019) give no rows.

    Examples
    --------
    >>> import pandas as pd, toolkit as tk
    >>> t = ("本年新制作数量 一、本年新收政府信息公开申请数量640020470二、上年结转政府信息公开申请数量0000000"
    ...      "三、本年度办理结果（一）予以公开640020470（二）部分公开0000000")
    >>> c = tk.extract_cells(pd.DataFrame({"doc_id": ["x"], "text": [t]}), progress=False)
    >>> c[(c.table == "t3") & (c.row == "new_received")].value.tolist()
    [64.0, 0.0, 0.0, 2.0, 0.0, 4.0, 70.0]
    """
    if not isinstance(documents, pd.DataFrame):
        raise ArgumentError(f"documents must be a DataFrame with doc_id and text, got {type(documents).__name__}")
    missing = {"doc_id", "text"} - set(documents.columns)
    if missing:
        raise ArgumentError(f"documents lacks column(s) {sorted(missing)}; it needs doc_id and text")
    normalized = "text_original" in documents.columns
    records = []
    it = documents.to_dict("records")
    it = bar(it, progress=progress, desc="extract_cells", unit="doc")
    for rec in it:
        text = _get(rec, "text") or ""
        tables = _get(rec, "tables")
        if not normalized:
            from toolkit.normalize import normalize

            text = normalize(text) if text else text
            if tables:
                tables = [[[{**c, "text": normalize(c.get("text") or "")} if isinstance(c, dict) else c
                            for c in row] for row in table] for table in tables]
        status = _get(rec, "status")
        if status == "error":
            continue
        try:
            doc = extract_document(text, tables=tables, year=_get(rec, "year"), template=_get(rec, "template"))
        except Exception:  # a bad document never stops a corpus
            log.exception("table extraction failed for %s", rec.get("doc_id"))
            continue
        for tk, rk, ck, cell in document_cells(doc):
            records.append((rec["doc_id"], doc.template, tk, rk, ck, cell.value, cell.raw, cell.status,
                            cell.candidates if cell.status == "ambiguous" else None))
    out = pd.DataFrame.from_records(records, columns=CELL_COLUMNS)
    out["value"] = pd.array(out["value"].tolist(), dtype="Float64") if len(out) else pd.array([], dtype="Float64")
    for c in ("doc_id", "template", "table", "row", "col", "status"):
        out[c] = out[c].astype(object)
    return out


def wide(cells: pd.DataFrame, table: str, *, doc_id: str | None = None) -> pd.DataFrame:
    """One table as printed: one row per report row, one column per column, template order.

    Parameters
    ----------
    cells : DataFrame
        Output of :func:`extract_cells`.
    table : {"t2", "t3", "t4"}
    doc_id : str, optional
        One report; when omitted and ``cells`` holds several, the index is (doc_id, row).

    Returns
    -------
    DataFrame of nullable floats (blank, missing and ambiguous cells are NA).

    Examples
    --------
    >>> import pandas as pd, toolkit as tk
    >>> t = "本年制发件数\\n一、本年新收 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |\\n二、上年结转 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\\n（一）予以公开 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |"
    >>> w = tk.wide(tk.extract_cells(pd.DataFrame({"doc_id": ["x"], "text": [t]}), progress=False), "t3")
    >>> w.loc["new_received"].tolist()
    [1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0]
    """
    from toolkit import templates

    if table not in ("t2", "t3", "t4"):
        raise ArgumentError(f"table={table!r} is not allowed; use one of ['t2', 't3', 't4']")
    sub = cells[cells["table"] == table]
    if doc_id is not None:
        sub = sub[sub["doc_id"] == doc_id]
    if sub.empty:
        return pd.DataFrame(dtype="Float64")
    versions = [v for v in sub["template"].dropna().unique()]
    row_order: list[str] = []
    col_order: list[str] = []
    for v in sorted(versions, reverse=True):
        for b in templates.get(v).table(table).blocks:
            row_order += [r for r in b.row_keys if r not in row_order]
            col_order += [c for c in b.col_keys if c not in col_order]
    many = sub["doc_id"].nunique() > 1
    index = ["doc_id", "row"] if many else ["row"]
    order = {r: i for i, r in enumerate(row_order)}
    sub = sub.assign(_order=sub["row"].map(order)).sort_values([*index[:-1], "_order"], kind="stable")
    w = sub.drop_duplicates([*index, "col"]).set_index([*index, "col"])["value"].unstack("col")
    w = w.reindex(columns=[c for c in col_order if c in w.columns])
    w = w.sort_index(key=lambda s: s.map(order) if s.name == "row" else s)
    w.columns.name = None
    return w.astype("Float64")
