"""Checks of the statistical tables and the legal rules: ``toolkit.check(cells, documents) -> issues``.

One row per finding, never a "fixed" number. The ``issues`` frame has the columns ``doc_id, check, table, row,
col, expected, observed, severity, message`` plus ``cells`` (the cells involved, ``table.row.col``),
``identity`` (I1..I7, H1, H2 or None) and ``related_doc_id`` (the other report of a cross-year finding).
For identities ``expected`` is what the other side of the equation gives and ``observed`` the printed total
(for I1: ``expected`` = 一+二, ``observed`` = （七）总计+四); for dates both are ``YYYY-MM-DD`` strings.

Catalogue of check slugs (stable; templates.md §5, §6)
======================================================

==========================  ========  ==========================================================================
slug                        severity  finding
==========================  ========  ==========================================================================
identity-i1                 error     t3, per column: 一 + 二 ≠ （七）总计 + 四 (printed in the table)
identity-i2                 error     t3, per column: （七）总计 ≠ sum of the result rows (balance of results)
identity-i3                 error     t3, per row: 总计 column ≠ sum of the six applicant columns
identity-i4                 error     t4: 总计 ≠ 维持 + 纠正 + 其他 + 尚未审结 (review, direct and after-review suits)
blank-total                 warning   an I2/I3/I4 total is blank while its parts are printed and non-zero; kept
                                      apart from arithmetic mismatches (the equation is not evaluated)
results-exceed-intake       error     t3: （七）总计 > 一 + 二 in a column
negative-value              error     a t3/t4 count below 0 (warning in t2; 本年增/减 may be negative)
non-integer                 error     a t3/t4 count that is not whole (warning in t2 count columns)
blank-cells                 warning   表三/表四存在N个空白或'/'单元格: one row per table with the count
ambiguous-cells             info      cells the parser could not read unambiguously; their identities are skipped
missing-table               error     table 2, 3 or 4 not found in a 2019/2021-format report
missing-row                 error     a template row not found in a table that is otherwise present
duplicate-cell              error     the same (table, row, col) twice in the cells frame
unknown-cell                info      a cell outside the template (e.g. an extra 法人小计 column)
superseded-template         error     2019-format labels in a 2021+ report (warning for 2021 labels before 2021)
late-publication            error     published after the deadline (§6: 31 Jan departments / 31 Mar governments
                                      from report year 2019; 31 Mar for all before)
unknown-publication-date    info      no publication date: timeliness cannot be judged
published-before-year-end   warning   a publication date inside the report year (year or date wrong)
empty-section-5             warning   section 五 present but empty or just 无 (needs ``toolkit.sections``)
narrative-i7                warning   a number quoted in the text (本年新收/共收到 N件, 上年结转, 结转下年度,
                                      行政复议 N件, 行政诉讼 N件) disagrees with the table
carry-over-i6               warning   二、上年结转 (t) ≠ 四、结转下年度 (t-1), same agency, per column
conflicting-copies          warning   two reports of the same agency and year print different numbers (copies on
                                      several sites, changed after publication)
cross-year-h1               info      2021 format: 现行有效(t) ≠ 现行有效(t-1) + 制发(t) - 废止(t) (heuristic)
cross-year-h2               info      2019 format: 上一年项目数量(t) ≠ 上一年项目数量(t-1) + 增/减(t-1) (heuristic)
ocr-text                    info      the report's text was (partly) read by OCR (``load_corpus(ocr=True)``):
                                      verify its text and numbers against the page images
==========================  ========  ==========================================================================

Coverage of the most complete public tool (KIROGOVCOMPARE's consistency checks): balance (I1), result totals
(I2), column sums / row totals (I3), t4 totals (I4), text vs table (I7), cross-year (I6), blank or '/' cells
(blank-cells), empty 五 (empty-section-5); in addition: blank totals apart from mismatches, I5, missing tables
and rows, template version for the year, publication deadline, results exceeding intake, table-2 heuristics,
differing copies of one report.

>>> from toolkit.synth.tables import consistent_cells, perturb
>>> cells = consistent_cells("2021", seed=0)
>>> len(check(cells))
0
>>> bad = perturb(cells, identity="I4", seed=0).cells
>>> check(bad)["check"].tolist()
['identity-i4']
"""
from __future__ import annotations

import logging

import pandas as pd

from toolkit import templates
from toolkit.errors import ArgumentError
from toolkit.progress import bar

from . import arithmetic, crossyear, deadlines, narrative, provenance
from ._frame import CATALOGUE, ISSUE_COLUMNS, to_frame
from .arithmetic import ReportCells
from .deadlines import deadline

log = logging.getLogger(__name__)

_REQUIRED = ("doc_id", "table", "row", "col", "value", "status")
_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def _progress(it, *, total, progress, desc):
    return bar(it, total=total, progress=progress, desc=desc)


def _doc_templates(cells: pd.DataFrame, documents: pd.DataFrame | None) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    if documents is not None and "template" in documents.columns:
        for d, t in zip(documents["doc_id"], documents["template"]):
            out[d] = str(t) if isinstance(t, (str, int)) and str(t) in ("2019", "2021") else None
    if "template" in cells.columns and len(cells):
        first = cells.dropna(subset=["template"]).groupby("doc_id", sort=False)["template"].first()
        for d, t in first.items():
            if str(t) in ("2019", "2021"):
                out[d] = str(t)
    unknown = set(cells["doc_id"]) - {d for d, t in out.items() if t}
    if unknown:  # no template given: infer it from the keys (labels only one version prints)
        sub = cells[cells["doc_id"].isin(unknown)]
        for d, keys in zip(sub["doc_id"], sub["row"] + "." + sub["col"]):
            if d in unknown and (keys.startswith("r_other.") or keys.endswith(".new_made")):
                out[d] = "2019"
                unknown.discard(d)
            elif d in unknown and (keys.startswith("r_other_") or keys.endswith(".issued")):
                out[d] = "2021"
                unknown.discard(d)
    return out


def check(cells: pd.DataFrame, documents: pd.DataFrame | None = None, *, blank_as_zero: bool = False,
          tolerance: float = 0.0, sections: pd.DataFrame | None = None, progress: bool | None = None) -> pd.DataFrame:
    """Run every check on the cells (and, when given, the documents) and return one row per finding.

    Parameters
    ----------
    cells : DataFrame
        The ``cells`` frame of ``toolkit.extract_cells`` (``doc_id, template, table, row, col, value, raw,
        status``), for any number of reports.
    documents : DataFrame, optional
        The ``documents`` frame. Enables the checks that need ``year``, ``level``, ``published``, ``agency``,
        ``text``, ``ocr``: superseded template, deadline, I6/H1/H2 across years, I7 narrative, empty section 五, and
        missing tables for reports that have no cells at all. Rows with ``status != "ok"`` are ignored.
    blank_as_zero : bool
        Read blank cells as 0 in I1-I4 (default False: an equation with a blank cell is not evaluated; the
        blank cells are counted by ``blank-cells``). A blank total with printed parts is always ``blank-total``.
    tolerance : float
        Allowed absolute difference in I1-I4 (default 0: the identities are exact).
    sections : DataFrame, optional
        A ``sections`` frame; computed with ``toolkit.sections`` from ``documents`` when needed and available.
    progress : bool, optional
        Progress bar over reports (default: only on a terminal).

    Returns
    -------
    DataFrame
        Columns :data:`ISSUE_COLUMNS`, sorted by doc_id, severity, check; empty when everything holds.

    Examples
    --------
    >>> import pandas as pd
    >>> from toolkit.synth.tables import consistent_cells
    >>> docs = pd.DataFrame({"doc_id": ["a"], "year": [2021], "level": ["department"],
    ...                      "published": ["2022-02-03"]})
    >>> check(consistent_cells("2021", seed=1, doc_id="a"), docs)["check"].tolist()
    ['late-publication']
    """
    missing = [c for c in _REQUIRED if c not in cells.columns]
    if missing:
        raise ArgumentError(f"cells lacks the columns {missing}; pass the frame of toolkit.extract_cells "
                            f"(columns {list(_REQUIRED)} at least)")
    if tolerance < 0:
        raise ArgumentError(f"tolerance={tolerance!r} must be >= 0")
    if documents is not None:
        if "doc_id" not in documents.columns:
            raise ArgumentError("documents lacks the column 'doc_id'")
        if "status" in documents.columns:
            documents = documents[documents["status"].fillna("ok") == "ok"]
    tpl_of = _doc_templates(cells, documents)
    rows: list[dict] = []
    reports: dict[str, ReportCells] = {}
    cols = {c: cells[c].tolist() for c in ("doc_id", "table", "row", "col", "value", "status")}
    cols["raw"] = cells["raw"].tolist() if "raw" in cells.columns else [None] * len(cells)
    index: dict[str, list[int]] = {}
    for i, d in enumerate(cols["doc_id"]):
        index.setdefault(d, []).append(i)
    for doc_id, idx in _progress(index.items(), total=len(index), progress=progress, desc="check"):
        rc = ReportCells.from_lists(doc_id, tpl_of.get(doc_id),
                                    *([cols[c][i] for i in idx] for c in ("table", "row", "col", "value", "status",
                                                                          "raw")))
        reports[doc_id] = rc
        rows += arithmetic.structure(rc)
        rows += arithmetic.identities(rc, blank_as_zero=blank_as_zero, tolerance=tolerance)
        rows += arithmetic.results_exceed_intake(rc, blank_as_zero=blank_as_zero)
        rows += arithmetic.value_rules(rc)
        rows += arithmetic.blank_cells(rc)
        rows += arithmetic.ambiguous_cells(rc)
    if documents is not None:
        rows += _document_checks(documents, reports, tpl_of, sections, blank_as_zero)
    out = to_frame(rows)
    if len(out):
        order = out["severity"].map(_SEVERITY_ORDER)
        out = out.assign(_o=order).sort_values(["doc_id", "_o", "check"], kind="stable").drop(columns="_o")
    return out.reset_index(drop=True)


def _document_checks(documents, reports, tpl_of, sections, blank_as_zero) -> list[dict]:
    rows: list[dict] = []
    recs = documents.to_dict("records")
    has_dates = "published" in documents.columns  # without the column, timeliness is not checked at all
    if not has_dates:
        log.info("documents has no 'published' column: publication deadlines were not checked")
    for doc in recs:
        did = doc["doc_id"]
        tpl = tpl_of.get(did)
        if did not in reports and tpl in ("2019", "2021"):
            rows += arithmetic.structure(ReportCells(did, templates.VERSIONS[tpl], {}, {}, {}, []))
        rows += deadlines.template_for_year(did, tpl, doc.get("year"))
        rows += provenance.ocr_text(doc)
        if has_dates:
            rows += deadlines.publication(doc)
        if did in reports and isinstance(doc.get("text"), str):
            rows += narrative.narrative_vs_tables(reports[did], doc["text"])
    for a, b in crossyear.same_year_pairs(documents):
        if a in reports and b in reports:
            rows += crossyear.conflicting_copies(reports[a], reports[b])
    for prev, cur in crossyear.pairs(documents):
        if prev in reports and cur in reports:
            rows += crossyear.carry_over(reports[prev], reports[cur], blank_as_zero=blank_as_zero)
            rows += crossyear.table2_heuristics(reports[prev], reports[cur])
    secs = sections if sections is not None else _sections(documents, tpl_of)
    if secs is not None and len(secs):
        wanted = {d for d, t in tpl_of.items() if t in ("2019", "2021")}
        for did, g in secs.groupby("doc_id", sort=False):
            if did in wanted:
                rows += deadlines.empty_section_5(did, g)
    return rows


def _sections(documents: pd.DataFrame, tpl_of) -> pd.DataFrame | None:
    if "text" not in documents.columns:
        return None
    docs = documents[documents["doc_id"].map(lambda d: tpl_of.get(d) in ("2019", "2021"))]
    if docs.empty:
        return None
    try:
        from toolkit.sections import sections as split
    except ImportError:
        log.info("toolkit.sections is not available: empty-section-5 was not checked")
        return None
    try:
        return split(docs)
    except Exception as exc:  # a sectioning failure must not stop the other checks
        log.warning("toolkit.sections failed (%s): empty-section-5 was not checked", exc)
        return None


__all__ = ["CATALOGUE", "ISSUE_COLUMNS", "check", "deadline"]
