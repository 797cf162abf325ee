"""Checks inside one report's tables: identities I1-I4, blank totals, blank cells, I5, missing tables and rows.

Every function takes the cells of ONE report as a :class:`ReportCells` and returns a list of issue dicts.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import pandas as pd

from toolkit import templates
from toolkit.templates import Template

from ._frame import cell_id, issue, num

UNEVALUABLE = ("ambiguous", "illegible")
_TOTAL_SIDE = ("I2", "I3", "I4")  # identities whose left-hand side is a printed total


@dataclass
class ReportCells:
    """The cells of one report, keyed by (table, row, col)."""

    doc_id: str
    template: Template | None
    value: dict  # key -> float or None
    status: dict  # key -> status
    raw: dict  # key -> raw string or None
    duplicates: list  # keys seen more than once

    @classmethod
    def from_frame(cls, doc_id: str, g: pd.DataFrame, template: str | None) -> "ReportCells":
        raws = g["raw"].tolist() if "raw" in g.columns else [None] * len(g)
        return cls.from_lists(doc_id, template, g["table"].tolist(), g["row"].tolist(), g["col"].tolist(),
                              g["value"].tolist(), g["status"].tolist(), raws)

    @classmethod
    def from_lists(cls, doc_id, template, tables, rows, cols, values, statuses, raws) -> "ReportCells":
        tpl = templates.VERSIONS.get(str(template)) if template is not None else None
        value, status, raw, dups = {}, {}, {}, []
        for t, r, c, v, s, w in zip(tables, rows, cols, values, statuses, raws):
            key = (t, r, c)
            if key in status:
                dups.append(key)
                continue
            value[key] = None if v is None or v is pd.NA or v != v else float(v)
            status[key] = s if isinstance(s, str) else ("ok" if value[key] is not None else "blank")
            raw[key] = w if isinstance(w, str) else None
        return cls(doc_id, tpl, value, status, raw, dups)

    def printed(self, key) -> bool:
        return self.status.get(key) == "ok" and self.value.get(key) is not None

    def blank(self, key) -> bool:
        return self.status.get(key) == "blank" or (self.status.get(key) == "ok" and self.value.get(key) is None)


@functools.lru_cache(maxsize=None)
def _equations(version: str) -> tuple:
    return tuple(templates.get(version).equations())


@functools.lru_cache(maxsize=None)
def _numeric(version: str) -> dict:
    tpl = templates.get(version)
    return {(t.key, r.key, c.key): c.numeric for t in tpl.tables.values() for b in t.blocks for r in b.rows
            for c in b.columns}


def _row_label(tpl: Template, table: str, row: str) -> str:
    try:
        r = next(x for x in tpl.table(table).block_of(row).rows if x.key == row)
    except (KeyError, StopIteration):
        return row
    label = r.label.split("（区分")[0]
    return f"{r.parent} {label}" if r.parent else label


def _col_label(tpl: Template, table: str, col: str) -> str:
    for b in tpl.table(table).blocks:
        for c in b.columns:
            if c.key == col:
                return f"{c.parent}/{c.label}" if c.parent else c.label
    return col


def _terms(rc: ReportCells, table: str, keys, blank_as_zero: bool) -> str:
    parts = [num(rc.value.get((table,) + k)) if rc.value.get((table,) + k) is not None else "blank" for k in keys]
    return "+".join(parts)


def blank_total_cells(rc: ReportCells) -> set:
    """Cells that are the blank total side of an I2/I3/I4 equation whose parts are printed and non-zero."""
    out: set = set()
    if rc.template is None:
        return out
    for e in _equations(rc.template.version):
        if e.identity not in _TOTAL_SIDE:
            continue
        left = [(e.table,) + k for k in e.left]
        right = [(e.table,) + k for k in e.right]
        if any(rc.status.get(k) in (None, "missing") or rc.status.get(k) in UNEVALUABLE for k in left + right):
            continue
        if all(rc.blank(k) for k in left) and any(rc.printed(k) for k in right) \
                and sum(rc.value[k] or 0.0 for k in right) != 0:
            out.update(left)
    return out


def identities(rc: ReportCells, *, blank_as_zero: bool = False, tolerance: float = 0.0) -> list[dict]:
    """I1-I4 from ``Template.equations()``; ``blank-total`` when a total side is blank but its parts are printed."""
    if rc.template is None:
        return []
    out = []
    tpl = rc.template
    evaluable = []
    for e in _equations(tpl.version):
        keys = [(e.table,) + k for k in e.cells]
        if any(rc.status.get(k) in (None, "missing") or rc.status.get(k) in UNEVALUABLE for k in keys):
            continue  # reported as missing-row / ambiguous-cells
        evaluable.append((e, keys))
    # pass 1: blank totals; pass 2: arithmetic on the equations that contain no blank total
    blank_totals = blank_total_cells(rc)
    for e, keys in evaluable:
        left = [(e.table,) + k for k in e.left]
        right = [(e.table,) + k for k in e.right]
        ids = [cell_id(*k) for k in keys]
        lsum = sum(rc.value[k] or 0.0 for k in left)
        rsum = sum(rc.value[k] or 0.0 for k in right)
        row, col = _where(e)
        if e.identity in _TOTAL_SIDE and set(left) <= blank_totals and rsum != 0:
            what = _describe(tpl, e)
            out.append(issue(rc.doc_id, "blank-total", "warning",
                             f"{what}: the total is blank while its parts are printed and sum to {num(rsum)} "
                             f"({_terms(rc, e.table, e.right, blank_as_zero)}); a blank total is not an "
                             f"arithmetic mismatch, the report left the cell empty.",
                             table=e.table, row=row, col=col, expected=rsum, observed=None, cells=ids,
                             identity=e.identity))
            continue
        if blank_totals.intersection(keys):
            continue  # a blank total is reported as such, never as an arithmetic mismatch
        if not blank_as_zero and any(rc.blank(k) for k in keys):
            continue  # not evaluable; blank cells are counted by blank_cells()
        if math.isclose(lsum, rsum, abs_tol=tolerance + 1e-9):
            continue
        out.append(_identity_issue(rc, e, lsum, rsum, ids, row, col, blank_as_zero))
    return out


def _where(e) -> tuple[str | None, str | None]:
    if e.identity == "I1":
        return None, e.left[0][1]
    return e.left[0]


def _describe(tpl: Template, e) -> str:
    t, (row, col) = e.table, e.left[0]
    if e.identity == "I1":
        return f"I1 in table 3, column {_col_label(tpl, t, col)}"
    if e.identity == "I2":
        return f"I2 in table 3, column {_col_label(tpl, t, col)} (（七）总计 vs the result rows)"
    if e.identity == "I3":
        return f"I3 in table 3, row {_row_label(tpl, t, row)} (总计 vs the applicant columns)"
    return f"I4 in table 4, {_col_label(tpl, t, col)} vs its four outcome columns"


def _identity_issue(rc, e, lsum, rsum, ids, row, col, blank_as_zero) -> dict:
    tpl = rc.template
    what = _describe(tpl, e)
    lhs, rhs = _terms(rc, e.table, e.left, blank_as_zero), _terms(rc, e.table, e.right, blank_as_zero)
    if e.identity == "I1":
        msg = (f"{what}: 一+二 = {lhs} = {num(lsum)} but （七）总计+四 = {rhs} = {num(rsum)} "
               f"(difference {num(lsum - rsum)}).")
        expected, observed = lsum, rsum
    else:
        msg = (f"{what}: the printed total is {num(lsum)} but the parts sum to {num(rsum)} ({rhs}); "
               f"difference {num(lsum - rsum)}.")
        expected, observed = rsum, lsum
    if blank_as_zero:
        msg += " Blank cells were read as 0."
    return issue(rc.doc_id, f"identity-{e.identity.lower()}", "error", msg, table=e.table, row=row, col=col,
                 expected=expected, observed=observed, cells=ids, identity=e.identity)


def results_exceed_intake(rc: ReportCells, *, blank_as_zero: bool = False) -> list[dict]:
    """（七）总计 > 一 + 二 in a column: more requests answered than received (derived check, error)."""
    if rc.template is None:
        return []
    out = []
    unknown = blank_total_cells(rc)  # a blank total is unknown, not 0
    for c in rc.template.table("t3").blocks[0].col_keys:
        keys = [("t3", "new_received", c), ("t3", "carried_over_from_prev", c), ("t3", "r_total", c)]
        if not all(rc.printed(k) or (blank_as_zero and rc.blank(k) and k not in unknown) for k in keys):
            continue
        new, prev, done = (rc.value[k] or 0.0 for k in keys)
        if done > new + prev:
            out.append(issue(rc.doc_id, "results-exceed-intake", "error",
                             f"Table 3, column {_col_label(rc.template, 't3', c)}: （七）总计 {num(done)} exceeds "
                             f"一+二 = {num(new)}+{num(prev)} = {num(new + prev)}; more requests answered than "
                             f"received.", table="t3", row="r_total", col=c, expected=new + prev, observed=done,
                             cells=[cell_id(*k) for k in keys]))
    return out


def value_rules(rc: ReportCells) -> list[dict]:
    """I5: t3/t4 cells are non-negative integers (error); t2 count columns likewise (warning)."""
    if rc.template is None:
        return []
    numeric = _numeric(rc.template.version)
    out = []
    for key, v in rc.value.items():
        if v is None or key not in numeric or (v >= 0 and float(v).is_integer()) or rc.status.get(key) != "ok":
            continue
        t, r, c = key
        sev = "error" if t in ("t3", "t4") else "warning"
        where = f"table {t[1]}, {_row_label(rc.template, t, r)} / {_col_label(rc.template, t, c)}"
        if v < 0 and numeric[key] != "signed":
            out.append(issue(rc.doc_id, "negative-value", sev, f"{where}: {num(v)} is negative; counts of 件 "
                             "cannot be negative.", table=t, row=r, col=c, observed=v, cells=[cell_id(*key)]))
        if numeric[key] != "float" and not float(v).is_integer():
            out.append(issue(rc.doc_id, "non-integer", sev, f"{where}: {num(v)} is not a whole number; the unit "
                             "is 件.", table=t, row=r, col=c, observed=v, cells=[cell_id(*key)]))
    return out


def blank_cells(rc: ReportCells) -> list[dict]:
    """Count blank or '/' cells of tables 3 and 4 (one finding per table, like “表三存在N个空白或'/'单元格”)."""
    out = []
    for t, name in (("t3", "表三"), ("t4", "表四")):
        keys = [k for k in rc.status if k[0] == t and rc.blank(k)]
        if not keys:
            continue
        shown = ", ".join(f"{k[1]}/{k[2]}" + (f" ('{rc.raw[k]}')" if rc.raw.get(k) else "") for k in keys[:6])
        more = f" and {len(keys) - 6} more" if len(keys) > 6 else ""
        out.append(issue(rc.doc_id, "blank-cells", "warning",
                         f"{name}存在{len(keys)}个空白或'/'单元格 (table {t[1]} has {len(keys)} blank or '/' cells: "
                         f"{shown}{more}); the template asks for a number, 0 included.",
                         table=t, observed=len(keys), cells=[cell_id(*k) for k in keys]))
    return out


def ambiguous_cells(rc: ReportCells) -> list[dict]:
    keys = [k for k, s in rc.status.items() if s in UNEVALUABLE]
    if not keys:
        return []
    return [issue(rc.doc_id, "ambiguous-cells", "info",
                  f"{len(keys)} cells could not be read unambiguously (e.g. {', '.join(cell_id(*k) for k in keys[:4])});"
                  " identities involving them were not evaluated.", observed=len(keys),
                  cells=[cell_id(*k) for k in keys])]


def structure(rc: ReportCells) -> list[dict]:
    """missing-table, missing-row, duplicate-cell, unknown-cell."""
    out = []
    for key in rc.duplicates:
        out.append(issue(rc.doc_id, "duplicate-cell", "error", f"cell {cell_id(*key)} appears more than once in "
                         "the cells frame; the first one was checked.", table=key[0], row=key[1], col=key[2],
                         cells=[cell_id(*key)]))
    if rc.template is None:
        return out
    known = _numeric(rc.template.version)
    for key in rc.status:
        if key not in known and key[0] in rc.template.tables:
            out.append(issue(rc.doc_id, "unknown-cell", "info", f"cell {cell_id(*key)} is not part of the "
                             f"{rc.template.version} template (extra row or column, e.g. a 法人小计 column).",
                             table=key[0], row=key[1], col=key[2], cells=[cell_id(*key)]))
    for t in rc.template.tables.values():
        present = {k for k, s in rc.status.items() if k[0] == t.key and s != "missing"}
        if not present:
            out.append(issue(rc.doc_id, "missing-table", "error", f"table {t.key[1]} ({t.title}) was not found "
                             "in the report.", table=t.key))
            continue
        for b in t.blocks:
            for r in b.rows:
                if not any((t.key, r.key, c) in present for c in b.col_keys):
                    out.append(issue(rc.doc_id, "missing-row", "error", f"table {t.key[1]}: row "
                                     f"{_row_label(rc.template, t.key, r.key)} was not found.", table=t.key,
                                     row=r.key, cells=[cell_id(t.key, r.key, c) for c in b.col_keys]))
    return out
