"""Synthetic statistical tables (SYNTHETIC numbers, labels from the template specs) and their text layouts.

Three jobs, all seeded and deterministic:

* :func:`consistent_cells` builds a ``cells`` frame (the contract of ``toolkit.extract_cells``) for a template
  version that obeys the identities I1-I4 of ``templates.md`` §5, with non-negative integers in t3/t4 and
  plausible t2 values (signed deltas in the 2019 format, decimal fee amounts in 万元).
* :func:`perturb` changes ONE cell in a known way and says which equations must now fail
  (``kind="arithmetic"``), or blanks the total side of one equation whose parts are printed
  (``kind="blank_total"``), or writes ``/`` / an empty string into cells (``kind="blank_cells"``).
* :func:`render` (see :mod:`toolkit.synth.layouts`) prints a cells frame in every layout of templates.md §8;
  :func:`write_docx` writes a Word table, :func:`write_report` a report file and :func:`to_documents` a minimal
  ``documents`` frame that ``toolkit.extract_cells`` accepts (see :mod:`toolkit.synth.table_files`).

>>> from toolkit.synth.tables import consistent_cells, perturb, render
>>> cells = consistent_cells("2021", seed=1)
>>> sorted(cells["table"].unique())
['t2', 't3', 't4']
>>> p = perturb(cells, identity="I4", seed=1)
>>> [e[0] for e in p.breaks]
['I4']
>>> "三、本年度办理结果" in render(cells, layout="pipe_row_per_line")
True
"""
from __future__ import annotations

import logging
import random
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from toolkit import templates
from toolkit.errors import ArgumentError, check_choice

log = logging.getLogger(__name__)

CELL_COLUMNS = ["doc_id", "template", "table", "row", "col", "value", "raw", "status", "candidates"]
Identity = Literal["I1", "I2", "I3", "I4"]
PerturbKind = Literal["arithmetic", "blank_total", "blank_cells"]
_APPLICANT = ("natural_person", "org_commercial", "org_research", "org_public_welfare", "org_legal_service",
              "org_other")
# relative weight of each applicant column (natural persons file most requests)
_COL_WEIGHT = {"natural_person": 1.0, "org_commercial": 0.15, "org_research": 0.02, "org_public_welfare": 0.02,
               "org_legal_service": 0.05, "org_other": 0.05}
# relative weight of each result row (most requests are granted or the information is not held)
_ROW_WEIGHT = {"r_granted": 0.40, "r_partial": 0.12, "r_unable_not_held": 0.20, "r_noproc_repeat": 0.04,
               "r_noproc_petition": 0.04, "r_deny_process": 0.03, "r_deny_third_party": 0.02,
               "r_other": 0.05, "r_other_no_correction": 0.03, "r_other_other": 0.03}


def _fmt_int(v: float) -> str:
    return str(int(v))


def _raw(value: float, numeric: str, rng: random.Random) -> str:
    if numeric == "signed":
        return f"+{int(value)}" if value > 0 and rng.random() < 0.5 else str(int(value))
    if numeric == "float":
        return f"{value:.2f}" if rng.random() < 0.5 else (f"{value:.2f}".rstrip("0").rstrip(".") or "0")
    return _fmt_int(value)


def _poisson(rng: np.random.Generator, lam: float) -> int:
    return int(rng.poisson(max(lam, 0.0)))


def consistent_cells(template: str | int = "2021", *, seed: int = 0, scale: float = 30.0,
                     zero_share: float = 0.3, doc_id: str | None = None) -> pd.DataFrame:
    """A consistent synthetic ``cells`` frame for one report of ``template``.

    Parameters
    ----------
    template : "2019" or "2021"
        Template version whose tables, rows and columns are generated.
    seed : int
        Every random choice comes from this seed.
    scale : float
        Mean number of new requests from natural persons; other cells scale with it (0 gives an all-zero
        report, common in small agencies).
    zero_share : float
        Share of result rows forced to zero in every column (real tables are sparse).
    doc_id : str, optional
        Defaults to ``synthetic_<template>_<seed>``.

    Returns
    -------
    DataFrame
        Columns ``doc_id, template, table, row, col, value, raw, status, candidates`` in printed order; every
        cell ``status="ok"``; I1-I4 hold exactly; t3/t4 values are non-negative integers.

    Examples
    --------
    >>> c = consistent_cells("2019", seed=3, scale=10)
    >>> int(c.query("table == 't3'").shape[0])
    161
    """
    tpl = templates.get(template)
    version = tpl.version
    rng = np.random.default_rng(seed)
    prng = random.Random(seed)
    doc_id = doc_id or f"synthetic_{version}_{seed}"
    values: dict[tuple[str, str, str], float] = {}

    # ---- table 3 -------------------------------------------------------------------------------
    b3 = tpl.table("t3").blocks[0]
    results = [r.key for r in b3.rows if r.group == "results"]
    zero_rows = {r for r in results if rng.random() < zero_share}
    for c in _APPLICANT:
        lam_c = scale * _COL_WEIGHT[c]
        for r in results:
            w = _ROW_WEIGHT.get(r, 0.01)
            values[("t3", r, c)] = 0 if r in zero_rows else _poisson(rng, lam_c * w)
        r_total = sum(values[("t3", r, c)] for r in results)
        to_next = _poisson(rng, lam_c * 0.05)
        intake = r_total + to_next
        from_prev = int(rng.integers(0, min(intake, max(1, int(lam_c * 0.1))) + 1)) if intake else 0
        values[("t3", "r_total", c)] = r_total
        values[("t3", "carried_to_next", c)] = to_next
        values[("t3", "carried_over_from_prev", c)] = from_prev
        values[("t3", "new_received", c)] = intake - from_prev
    for r in b3.row_keys:
        values[("t3", r, "total")] = sum(values[("t3", r, c)] for c in _APPLICANT)

    # ---- table 4 -------------------------------------------------------------------------------
    for prefix, lam in (("rev", 0.06), ("lit_direct", 0.04), ("lit_after_rev", 0.02)):
        parts = [_poisson(rng, scale * lam * w) for w in (0.5, 0.2, 0.2, 0.1)]
        for k, v in zip(("upheld", "corrected", "other", "pending"), parts):
            values[("t4", "cases", f"{prefix}_{k}")] = v
        values[("t4", "cases", f"{prefix}_total")] = sum(parts)

    # ---- table 2 (no identities; plausible magnitudes) -----------------------------------------
    numeric: dict[tuple[str, str, str], str] = {}
    for b in tpl.table("t2").blocks:
        for r in b.rows:
            for col in b.columns:
                key = ("t2", r.key, col.key)
                numeric[key] = col.numeric
                values[key] = _t2_value(r.key, col.key, col.numeric, rng, scale)
    if version == "2021":
        for r in ("regulations", "normative_docs"):  # in force >= issued this year
            values[("t2", r, "in_force")] = max(values[("t2", r, "in_force")], values[("t2", r, "issued")])

    rows = []
    for table, row, col in tpl.cells():
        v = float(values[(table, row, col)])
        rows.append((doc_id, version, table, row, col, v, _raw(v, numeric.get((table, row, col), "int"), prng),
                     "ok", None))
    return _frame(rows)


def _t2_value(row: str, col: str, numeric: str, rng: np.random.Generator, scale: float) -> float:
    if numeric == "signed":
        return float(rng.integers(-3, 6))
    if col == "fee_amount":
        return 0.0 if rng.random() < 0.5 else round(float(rng.gamma(2.0, scale * 3)), 2)
    if col == "procurement_amount":
        return round(float(rng.gamma(2.0, scale * 1000)), 2)
    if row == "regulations":
        return float(rng.integers(0, 2)) if col not in ("in_force", "total_published") else float(rng.integers(0, 4))
    if col in ("in_force", "total_published", "prev_year_items"):
        return float(rng.integers(0, int(scale * 3) + 2))
    return float(_poisson(rng, scale * 0.5))


def _frame(rows: list[tuple]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=CELL_COLUMNS)
    df["value"] = df["value"].astype("Float64")
    return df


# ---- perturbations -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Perturbation:
    """The result of :func:`perturb`: the new cells and what a correct checker must report.

    ``breaks`` lists the equations that must fail, as ``(identity, table, left-hand cells)``; ``blank_totals``
    lists the equations whose total side was blanked (``kind="blank_total"``); ``changed`` the (table, row,
    col, old raw, new raw) edits.
    """

    cells: pd.DataFrame
    kind: str
    changed: tuple[tuple[str, str, str, str, str], ...]
    breaks: tuple[tuple[str, str, tuple], ...] = ()
    blank_totals: tuple[tuple[str, str, tuple], ...] = ()
    notes: dict = field(default_factory=dict)


def _eq_key(e) -> tuple[str, str, tuple]:
    return (e.identity, e.table, e.left)


def _isolated(out: pd.DataFrame, tpl, identity: str, rng: random.Random, delta: int | None) -> Perturbation:
    d = abs(delta) if delta else rng.choice([1, 2, 3, 5, 10])
    col = rng.choice(_APPLICANT)
    results = [r.key for r in tpl.table("t3").blocks[0].rows if r.group == "results"]
    edits = {
        "I1": [("t3", "carried_over_from_prev", col), ("t3", "carried_over_from_prev", "total")],
        "I2": [("t3", "r_total", col), ("t3", "r_total", "total"), ("t3", "new_received", col),
               ("t3", "new_received", "total")],
        "I3": [("t3", rng.choice(results), "total"), ("t3", "r_total", "total"), ("t3", "new_received", "total")],
        "I4": [("t4", "cases", f"{rng.choice(['rev', 'lit_direct', 'lit_after_rev'])}_"
                f"{rng.choice(['upheld', 'corrected', 'other', 'pending', 'total'])}")],
    }[identity]
    idx = {(t, r, c): i for i, (t, r, c) in enumerate(zip(out["table"], out["row"], out["col"]))}
    changed = []
    for key in edits:
        i = idx[key]
        new = out.at[i, "value"] + d
        changed.append((*key, str(out.at[i, "raw"]), _fmt_int(new)))
        out.at[i, "value"] = new
        out.at[i, "raw"] = _fmt_int(new)
    vals = {(t, r, c): v for t, r, c, v in zip(out["table"], out["row"], out["col"], out["value"])}
    breaks = tuple(_eq_key(e) for e in tpl.equations()
                   if sum(vals[(e.table,) + k] for k in e.left) != sum(vals[(e.table,) + k] for k in e.right))
    return Perturbation(out, "arithmetic", tuple(changed), breaks=breaks, notes={"isolated": True})


def perturb(cells: pd.DataFrame, *, identity: Identity = "I1", kind: PerturbKind = "arithmetic", seed: int = 0,
            delta: int | None = None, isolated: bool = False) -> Perturbation:
    """Break one identity of a consistent cells frame in a known way; the input is not modified.

    Parameters
    ----------
    cells : DataFrame
        Cells of ONE report (e.g. from :func:`consistent_cells`).
    identity : "I1", "I2", "I3" or "I4"
        The identity to break: a cell of one of its equations is chosen with ``seed``.
    kind : "arithmetic", "blank_total" or "blank_cells"
        ``arithmetic`` adds ``delta`` (default: a seeded non-zero integer, never making a value negative) to
        one cell; every equation containing that cell fails and is listed in ``breaks``.
        ``blank_total`` blanks the total side (left-hand side) of one equation of ``identity`` whose parts sum
        to a non-zero value (I2, I3, I4 only); listed in ``blank_totals``.
        ``blank_cells`` writes ``/`` or an empty string into 1-3 zero cells of t3/t4 (a consistent report with
        blank cells, the public tool's “空白或'/'单元格”); nothing arithmetic breaks.
    seed : int
    delta : int, optional
    isolated : bool
        With ``kind="arithmetic"``: change the few cells needed so that ONLY equations of ``identity`` fail
        (I1: 二 in a column and in 总计; I2: （七）总计 and 一 in a column and in 总计; I3: the 总计 of a result
        row, of （七） and of 一; I4: one cell). ``delta`` is then positive.

    Returns
    -------
    Perturbation

    Examples
    --------
    >>> p = perturb(consistent_cells("2021", seed=2), identity="I3", seed=5)
    >>> {i for i, _, _ in p.breaks} <= {"I1", "I2", "I3"}
    True
    """
    check_choice("identity", identity, ("I1", "I2", "I3", "I4"))
    check_choice("kind", kind, ("arithmetic", "blank_total", "blank_cells"))
    if cells["doc_id"].nunique() != 1:
        raise ArgumentError(f"perturb() takes the cells of one report; got {cells['doc_id'].nunique()} doc_ids")
    out = cells.copy()
    out["value"] = out["value"].astype("Float64")
    rng = random.Random(seed)
    tpl = templates.get(str(out["template"].iloc[0]))
    eqs = [e for e in tpl.equations() if e.identity == identity]
    idx = {(t, r, c): i for i, (t, r, c) in enumerate(zip(out["table"], out["row"], out["col"]))}

    if kind == "arithmetic" and isolated:
        return _isolated(out, tpl, identity, rng, delta)
    if kind == "arithmetic":
        e = rng.choice(eqs)
        row, col = rng.choice(e.cells)
        i = idx[(e.table, row, col)]
        old = out.at[i, "value"]
        d = delta if delta is not None else rng.choice([1, 2, 3, 5, 10, -1, -2])
        if old + d < 0:
            d = abs(d)
        if d == 0:
            raise ArgumentError("delta=0 does not perturb anything; give a non-zero integer")
        new = old + d
        old_raw = out.at[i, "raw"]
        out.at[i, "value"] = new
        out.at[i, "raw"] = _fmt_int(new)
        breaks = tuple(_eq_key(x) for x in tpl.equations() if x.table == e.table and (row, col) in x.cells)
        return Perturbation(out, kind, ((e.table, row, col, str(old_raw), _fmt_int(new)),), breaks=breaks)

    if kind == "blank_total":
        if identity == "I1":
            raise ArgumentError("kind='blank_total' needs an identity with a total side: I2, I3 or I4")
        vals = dict(zip(idx, out["value"]))
        cands = [e for e in eqs if sum(vals[(e.table, r, c)] for r, c in e.right) > 0]
        if not cands:
            raise ArgumentError(f"no equation of {identity} has non-zero parts in this report; use a larger scale")
        e = rng.choice(cands)
        changed = []
        for row, col in e.left:
            i = idx[(e.table, row, col)]
            blank = rng.choice(["", "/"]) if e.table != "t2" else ""
            changed.append((e.table, row, col, str(out.at[i, "raw"]), blank))
            out.at[i, "value"] = pd.NA
            out.at[i, "raw"] = blank
            out.at[i, "status"] = "blank"
        # every other equation that contains the blanked cell can no longer be evaluated
        return Perturbation(out, kind, tuple(changed), blank_totals=(_eq_key(e),))

    # blank_cells: zero cells of t3/t4 printed as blank or '/'
    zeros = [i for i in out.index if out.at[i, "table"] in ("t3", "t4") and out.at[i, "value"] == 0]
    rng.shuffle(zeros)
    changed = []
    for i in zeros[: rng.randint(1, 3)]:
        blank = rng.choice(["", "/"])
        changed.append((out.at[i, "table"], out.at[i, "row"], out.at[i, "col"], str(out.at[i, "raw"]), blank))
        out.at[i, "value"] = pd.NA
        out.at[i, "raw"] = blank
        out.at[i, "status"] = "blank"
    return Perturbation(out, kind, tuple(changed), notes={"n_blank": len(changed)})


from toolkit.synth.layouts import LAYOUTS, render, vary_labels  # noqa: E402 (re-exported)
from toolkit.synth.table_files import to_documents, write_docx, write_report  # noqa: E402 (re-exported)

__all__ = ["CELL_COLUMNS", "LAYOUTS", "Perturbation", "consistent_cells", "perturb", "render", "to_documents",
           "vary_labels", "write_docx", "write_report"]
