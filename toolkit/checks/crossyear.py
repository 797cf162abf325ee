"""Checks across reports of the same agency: I6 carry-over (warning), H1/H2 table-2 heuristics (info) between
consecutive years, and differing copies of the same year's report (warning)."""
from __future__ import annotations

import pandas as pd

from ._frame import cell_id, issue, num
from .arithmetic import ReportCells

_T3_COLS = ("natural_person", "org_commercial", "org_research", "org_public_welfare", "org_legal_service",
            "org_other", "total")
_H2_ROWS = ("licensing", "other_admin_services", "punishment", "coercion", "fees")


def agency_key(documents: pd.DataFrame) -> pd.Series:
    """(region, agency) with whitespace removed; NA when the agency is unknown."""
    agency = documents["agency"].astype("string").str.replace(r"\s+", "", regex=True)
    if "region" in documents.columns:
        region = documents["region"].astype("string").fillna("").str.replace(r"\s+", "", regex=True)
        return (region + "|" + agency).where(agency.notna() & (agency != ""))
    return agency.where(agency.notna() & (agency != ""))


def pairs(documents: pd.DataFrame) -> list[tuple[str, str]]:
    """(doc of year t-1, doc of year t) pairs of the same agency."""
    if documents is None or not {"agency", "year", "doc_id"} <= set(documents.columns):
        return []
    d = pd.DataFrame({"doc_id": documents["doc_id"], "key": agency_key(documents),
                      "year": pd.to_numeric(documents["year"], errors="coerce")}).dropna()
    if d.empty:
        return []
    d["year"] = d["year"].astype(int)
    prev = d.assign(year=d["year"] + 1)
    m = d.merge(prev, on=["key", "year"], suffixes=("", "_prev"))
    return list(zip(m["doc_id_prev"], m["doc_id"]))


def same_year_pairs(documents: pd.DataFrame) -> list[tuple[str, str]]:
    """(doc, other doc) pairs of the same agency and report year (copies on several sites, re-publications)."""
    if documents is None or not {"agency", "year", "doc_id"} <= set(documents.columns):
        return []
    d = pd.DataFrame({"doc_id": documents["doc_id"], "key": agency_key(documents),
                      "year": pd.to_numeric(documents["year"], errors="coerce")}).dropna()
    m = d.merge(d, on=["key", "year"], suffixes=("", "_other"))
    m = m[m["doc_id"] < m["doc_id_other"]]
    return list(zip(m["doc_id"], m["doc_id_other"]))


def conflicting_copies(a: ReportCells, b: ReportCells) -> list[dict]:
    """``conflicting-copies`` (warning): two reports of the same agency and year print different numbers."""
    diff = [k for k in a.value if k in b.value and a.printed(k) and b.printed(k) and a.value[k] != b.value[k]]
    if not diff:
        return []
    shown = ", ".join(f"{cell_id(*k)} {num(a.value[k])} vs {num(b.value[k])}" for k in diff[:5])
    more = f" and {len(diff) - 5} more" if len(diff) > 5 else ""
    return [issue(b.doc_id, "conflicting-copies", "warning",
                  f"This report and {a.doc_id} are the same agency's report for the same year but print "
                  f"{len(diff)} different numbers ({shown}{more}); one copy was changed after publication or "
                  "is a different version.", observed=len(diff), cells=[cell_id(*k) for k in diff],
                  related_doc_id=a.doc_id)]


def _get(rc: ReportCells, key, blank_as_zero: bool):
    if rc.printed(key):
        return rc.value[key]
    if blank_as_zero and rc.blank(key):
        return 0.0
    return None


def carry_over(prev: ReportCells, cur: ReportCells, *, blank_as_zero: bool = False) -> list[dict]:
    """I6: 二、上年结转 (year t) = 四、结转下年度 (year t-1), per column; warning."""
    out = []
    for c in _T3_COLS:
        a = _get(cur, ("t3", "carried_over_from_prev", c), blank_as_zero)
        b = _get(prev, ("t3", "carried_to_next", c), blank_as_zero)
        if a is None or b is None or a == b:
            continue
        out.append(issue(cur.doc_id, "carry-over-i6", "warning",
                         f"I6, column {c}: this report's 二、上年结转 is {num(a)} but the previous year's report "
                         f"({prev.doc_id}) printed 四、结转下年度继续办理 {num(b)}.", table="t3",
                         row="carried_over_from_prev", col=c, expected=b, observed=a,
                         cells=[cell_id("t3", "carried_over_from_prev", c)], identity="I6",
                         related_doc_id=prev.doc_id))
    return out


def table2_heuristics(prev: ReportCells, cur: ReportCells) -> list[dict]:
    """H1 (2021 format): 现行有效(t) ≈ 现行有效(t-1) + 制发(t) - 废止(t); H2 (2019 format):
    上一年项目数量(t) ≈ 上一年项目数量(t-1) + 本年增/减(t-1). Info only: these are not official identities."""
    out = []
    pv = prev.template.version if prev.template else None
    cv = cur.template.version if cur.template else None
    if pv == cv == "2021":
        for r in ("regulations", "normative_docs"):
            keys = [("t2", r, "in_force")]
            vals = [prev.value.get(("t2", r, "in_force")) if prev.printed(("t2", r, "in_force")) else None]
            for col in ("issued", "repealed", "in_force"):
                k = ("t2", r, col)
                vals.append(cur.value.get(k) if cur.printed(k) else None)
                keys.append(k)
            if any(v is None for v in vals):
                continue
            before, issued, repealed, now = vals
            exp = before + issued - repealed
            if now != exp:
                out.append(issue(cur.doc_id, "cross-year-h1", "info",
                                 f"H1 (heuristic), table 2 {r}: 现行有效件数 {num(now)} differs from last year's "
                                 f"{num(before)} + 本年制发 {num(issued)} - 本年废止 {num(repealed)} = {num(exp)}.",
                                 table="t2", row=r, col="in_force", expected=exp, observed=now,
                                 cells=[cell_id(*k) for k in keys[1:]], identity="H1", related_doc_id=prev.doc_id))
    elif pv == cv == "2019":
        for r in _H2_ROWS:
            k_prev, k_delta = ("t2", r, "prev_year_items"), ("t2", r, "delta_items")
            if not (prev.printed(k_prev) and prev.printed(k_delta) and cur.printed(k_prev)):
                continue
            exp = prev.value[k_prev] + prev.value[k_delta]
            now = cur.value[k_prev]
            if now != exp:
                out.append(issue(cur.doc_id, "cross-year-h2", "info",
                                 f"H2 (heuristic), table 2 {r}: 上一年项目数量 {num(now)} differs from last year's "
                                 f"{num(prev.value[k_prev])} + 本年增/减 {num(prev.value[k_delta])} = {num(exp)}.",
                                 table="t2", row=r, col="prev_year_items", expected=exp, observed=now,
                                 cells=[cell_id(*k_prev)], identity="H2", related_doc_id=prev.doc_id))
    return out
