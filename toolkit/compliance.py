"""Compliance scorecard: one row per report, each criterion traceable to the issues behind it.

The criteria follow the published evaluations of these reports (CASS, templates.md §6.4) as
operationalised there: (a) timeliness, (b) completeness, (c) current template, (d) accuracy
(arithmetic identities I1-I5, narrative vs table I7, carry-over I6) and (e) no copying.

Each criterion gets a score in ``[0, 1]`` (1 = compliant) or ``NA`` when it cannot be judged for
that report (no publication date known, no previous-year report of the same agency, no reuse
measurement, ...). The overall score is the weighted mean of the available criteria, times 100::

    score = 100 * sum(w_c * s_c for available c) / sum(w_c for available c)

so a report is never punished for what cannot be measured. Criteria and their scores:

============== ===================================================================== ==========
criterion      score                                                                  weight
============== ===================================================================== ==========
timeliness     1 if published by the deadline, else 0 (NA if no date)                  20
completeness   share of the 9 required parts present (6 sections + tables 2, 3, 4)     20
template       1 if the template matches the report year, else 0                       10
arithmetic     1 if identities I1-I5 hold (no error-severity finding), else 0          20
narrative      1 if numbers quoted in the text match the tables (I7), else 0           10
carry_over     1 if carry-over matches the previous year's report (I6), else 0;
               NA without a previous-year report of the same agency                    5
originality    1 - share of narrative copied from other agencies' earlier reports or
               its own earlier reports (``share_other_earlier``/``share_self`` of
               :func:`toolkit.template_share`; NA without it)                          15
============== ===================================================================== ==========

Each criterion ``c`` has a ``c_issues`` column listing the issue slugs behind it (``;``-joined),
so a researcher can go from a score to the rows of ``issues`` that made it. Originality is not
judged from ``issues`` but from the reuse measurement: ``originality_issues`` says
``reuse-high-share`` when more than half of the narrative is copied, and the passages behind it
are in the ``passages`` frame of :func:`toolkit.shared_passages`.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

from toolkit.errors import ArgumentError

logger = logging.getLogger(__name__)

CRITERIA = ("timeliness", "completeness", "template", "arithmetic", "narrative", "carry_over", "originality")

DEFAULT_WEIGHTS: dict[str, float] = {
    "timeliness": 20, "completeness": 20, "template": 10, "arithmetic": 20,
    "narrative": 10, "carry_over": 5, "originality": 15,
}

# which issue slugs belong to which criterion (regular expressions matched against ``issues.check``)
DEFAULT_SLUG_PATTERNS: dict[str, str] = {
    "timeliness": r"^late-publication$|^published-before-year-end$|^unknown-publication-date$",
    "completeness": r"^missing-(section|table|row)|^empty-section",
    "template": r"^superseded-template$",
    "arithmetic": r"^identity-i[1-4]$|^blank-total$|^blank-cells$|^results-exceed-intake$|^negative-value$"
                  r"|^non-integer$|^duplicate-cell$",
    "narrative": r"^narrative-i7$",
    "carry_over": r"^carry-over-i6$|^cross-year-h[12]$",
}

SECTIONS = ("s1", "s2", "s3", "s4", "s5", "s6")
TABLES = ("t2", "t3", "t4")


def _doc_frame(documents: pd.DataFrame) -> pd.DataFrame:
    cols = [c for c in ("doc_id", "file", "agency", "level", "year", "published", "template", "format", "script")
            if c in documents.columns]
    out = documents[cols].copy()
    if "status" in documents.columns:
        out = out[documents["status"].eq("ok").to_numpy()]
    return out.drop_duplicates("doc_id").reset_index(drop=True)


def _slug_map(issues: pd.DataFrame, patterns: Mapping[str, str]) -> dict[str, pd.DataFrame]:
    by_crit: dict[str, pd.DataFrame] = {}
    slugs = issues["check"].astype(str) if len(issues) else pd.Series([], dtype=str)
    for crit, pat in patterns.items():
        rx = re.compile(pat, re.IGNORECASE)
        mask = slugs.map(lambda s: bool(rx.search(s))) if len(slugs) else pd.Series([], dtype=bool)
        by_crit[crit] = issues[mask.to_numpy(dtype=bool)] if len(issues) else issues
    return by_crit


def _slugs_per_doc(frame: pd.DataFrame, doc_ids: pd.Series) -> pd.Series:
    if frame is None or not len(frame):
        return pd.Series([""] * len(doc_ids), index=doc_ids.index, dtype=object)
    joined = frame.groupby("doc_id")["check"].agg(lambda s: ";".join(sorted(set(map(str, s)))))
    return doc_ids.map(joined).fillna("").astype(object)


def _has_error(frame: pd.DataFrame, doc_ids: pd.Series, *, severities=("error",)) -> pd.Series:
    if frame is None or not len(frame):
        return pd.Series(False, index=doc_ids.index)
    sev = frame["severity"] if "severity" in frame.columns else pd.Series("error", index=frame.index)
    bad = set(frame.loc[sev.isin(severities).to_numpy(), "doc_id"])
    return doc_ids.isin(bad)


def _completeness(docs: pd.DataFrame, cells: pd.DataFrame | None, sections: pd.DataFrame | None,
                  comp_issues: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Share of the 9 required parts present, and the list of missing parts per document."""
    present_sections: dict[str, set] = {}
    if sections is not None and len(sections):
        for d, s in sections.groupby("doc_id")["section"]:
            present_sections[d] = set(s) & set(SECTIONS)
    present_tables: dict[str, set] = {}
    if cells is not None and len(cells):
        ok = cells[cells["status"].isin(["ok", "blank", "ambiguous"])] if "status" in cells.columns else cells
        for d, t in ok.groupby("doc_id")["table"]:
            present_tables[d] = set(t) & set(TABLES)
    # sections judged from issues when no sections frame is given
    missing_from_issues: dict[str, set] = {}
    if len(comp_issues):
        for d, g in comp_issues.groupby("doc_id"):
            miss = set()
            for slug, msg in zip(g["check"].astype(str), g.get("message", pd.Series([""] * len(g))).astype(str)):
                for s in SECTIONS:
                    if slug.endswith(s) or re.search(rf"\b{s}\b", msg):
                        miss.add(s)
            missing_from_issues[d] = miss
    scores, missing = [], []
    for d in docs["doc_id"]:
        secs = present_sections.get(d) if sections is not None else set(SECTIONS) - missing_from_issues.get(d, set())
        secs = secs or set()
        tabs = present_tables.get(d, set()) if cells is not None else set(TABLES)
        miss = [s for s in SECTIONS if s not in secs] + [t for t in TABLES if t not in tabs]
        scores.append((len(SECTIONS) + len(TABLES) - len(miss)) / (len(SECTIONS) + len(TABLES)))
        missing.append(";".join(miss))
    return pd.Series(scores, index=docs.index, dtype=float), pd.Series(missing, index=docs.index, dtype=object)


def _originality(docs: pd.DataFrame, reuse: pd.DataFrame | None) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(score, share copied from others, share copied from own earlier reports) from a template_share frame."""
    na = pd.Series(np.nan, index=docs.index, dtype=float)
    if reuse is None or not len(reuse) or "doc_id" not in reuse.columns:
        return na, na.copy(), na.copy()
    cols = list(reuse.columns)

    def pick(*cands):
        for c in cands:
            if c in cols:
                return c
        return None

    c_other = pick("share_other_earlier", "share_other", "share_other_agencies", "share_others", "share_other_any_year", "template_share",
                   "share")
    c_self = pick("share_self", "share_own", "self_share", "share_own_earlier")
    per = reuse.drop_duplicates("doc_id").set_index("doc_id")
    other = docs["doc_id"].map(per[c_other]).astype(float) if c_other else na.copy()
    own = docs["doc_id"].map(per[c_self]).astype(float) if c_self else na.copy()
    copied = pd.concat([other, own], axis=1).max(axis=1, skipna=True)
    return (1.0 - copied.clip(0, 1)), other, own


def compliance(documents: pd.DataFrame, cells: pd.DataFrame | None, issues: pd.DataFrame,
               reuse: pd.DataFrame | None = None, *, sections: pd.DataFrame | None = None,
               weights: Mapping[str, float] | None = None,
               slug_patterns: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Score every report on the criteria of the published evaluations (CASS-style scorecard).

    Parameters
    ----------
    documents : DataFrame
        The documents frame (``doc_id`` required; ``agency``, ``year``, ``published``,
        ``template`` used when present). Rows with ``status != "ok"`` are left out.
    cells : DataFrame or None
        The cells frame; a table counts as present when it has any ``ok``/``blank`` cell.
    issues : DataFrame
        The issues frame from :func:`toolkit.check`.
    reuse : DataFrame, optional
        Per-document copying shares from :func:`toolkit.template_share` (``doc_id`` plus a share of
        text copied from other agencies and/or from own earlier reports). Without it
        ``originality`` is NA.
    sections : DataFrame, optional
        The sections frame; when given, section presence is read from it, otherwise from the
        ``missing-section`` issues.
    weights : mapping, optional
        Weight per criterion (see :data:`DEFAULT_WEIGHTS`); missing criteria keep their default,
        a weight of 0 drops the criterion from the overall score.
    slug_patterns : mapping, optional
        Regular expression per criterion selecting the issue slugs that belong to it
        (see :data:`DEFAULT_SLUG_PATTERNS`).

    Returns
    -------
    DataFrame
        One row per report: ``doc_id`` and metadata, for each criterion ``c`` the score ``c``
        (float in [0, 1] or NA) and ``c_issues`` (slugs behind it), ``missing_parts``,
        ``share_copied_other``, ``share_copied_self``, ``n_issues``, ``n_errors``, ``score``
        (0-100) and ``rank`` (1 = best).

    Examples
    --------
    >>> import pandas as pd
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "year": [2021, 2021]})
    >>> iss = pd.DataFrame({"doc_id": ["b"], "check": ["identity-i1"], "severity": ["error"]})
    >>> card = compliance(docs, None, iss)
    >>> card.set_index("doc_id")["arithmetic"].tolist()
    [1.0, 0.0]
    """
    if "doc_id" not in documents.columns:
        raise ArgumentError("documents must have a 'doc_id' column (the frame from toolkit.load_corpus)")
    w = dict(DEFAULT_WEIGHTS)
    for k, v in (weights or {}).items():
        if k not in CRITERIA:
            raise ArgumentError(f"weights has unknown criterion {k!r}; use some of {list(CRITERIA)}")
        if v < 0:
            raise ArgumentError(f"weights[{k!r}]={v!r} must be >= 0")
        w[k] = float(v)
    pats = dict(DEFAULT_SLUG_PATTERNS)
    pats.update(slug_patterns or {})
    issues = issues if issues is not None else pd.DataFrame(columns=["doc_id", "check", "severity"])
    if len(issues) and "check" not in issues.columns:
        raise ArgumentError("issues must have a 'check' column (the frame from toolkit.check)")

    docs = _doc_frame(documents)
    ids = docs["doc_id"]
    by = _slug_map(issues, pats)
    card = docs.copy()

    # (a) timeliness: NA when no publication date is known
    late = _has_error(by["timeliness"], ids, severities=("error",))
    has_date = docs["published"].notna() if "published" in docs.columns else pd.Series(False, index=docs.index)
    card["timeliness"] = np.where(late, 0.0, np.where(has_date, 1.0, np.nan))
    card["timeliness_issues"] = _slugs_per_doc(by["timeliness"], ids)

    # (b) completeness
    card["completeness"], card["missing_parts"] = _completeness(docs, cells, sections, by["completeness"])
    card["completeness_issues"] = _slugs_per_doc(by["completeness"], ids)

    # (c) template for the report year
    from toolkit.templates import expected_version

    tmpl_bad = _has_error(by["template"], ids, severities=("error", "warning"))
    judgeable = pd.Series(True, index=docs.index)
    if "year" in docs.columns:
        judgeable = docs["year"].map(lambda y: expected_version(None if pd.isna(y) else int(y)) is not None)
    card["template"] = np.where(tmpl_bad, 0.0, np.where(judgeable, 1.0, np.nan))
    card["template_issues"] = _slugs_per_doc(by["template"], ids)

    # (d) accuracy: arithmetic, narrative vs tables, carry-over
    if cells is None:  # judged from the issues alone
        has_cells = pd.Series(True, index=ids.index)
    else:
        has_cells = ids.isin(set(cells["doc_id"])) if len(cells) else pd.Series(False, index=ids.index)
    card["arithmetic"] = np.where(_has_error(by["arithmetic"], ids), 0.0, np.where(has_cells, 1.0, np.nan))
    card["arithmetic_issues"] = _slugs_per_doc(by["arithmetic"], ids)
    card["narrative"] = np.where(_has_error(by["narrative"], ids, severities=("error", "warning")), 0.0,
                                 np.where(has_cells, 1.0, np.nan))
    card["narrative_issues"] = _slugs_per_doc(by["narrative"], ids)
    has_prev = pd.Series(False, index=docs.index)
    if {"agency", "year"} <= set(docs.columns):
        keys = set(zip(docs["agency"], docs["year"]))
        has_prev = pd.Series([(a, y - 1) in keys if pd.notna(y) and pd.notna(a) else False
                              for a, y in zip(docs["agency"], docs["year"])], index=docs.index)
    co_bad = _has_error(by["carry_over"], ids, severities=("error", "warning"))
    card["carry_over"] = np.where(co_bad, 0.0, np.where(has_prev & has_cells, 1.0, np.nan))
    card["carry_over_issues"] = _slugs_per_doc(by["carry_over"], ids)

    # (e) originality
    card["originality"], card["share_copied_other"], card["share_copied_self"] = _originality(docs, reuse)
    card["originality_issues"] = np.where(card["originality"].lt(0.5), "reuse-high-share", "")

    # counts and overall score
    n_iss = issues.groupby("doc_id").size() if len(issues) else pd.Series(dtype=int)
    n_err = (issues[issues["severity"].eq("error")].groupby("doc_id").size()
             if len(issues) and "severity" in issues.columns else pd.Series(dtype=int))
    card["n_issues"] = ids.map(n_iss).fillna(0).astype(int)
    card["n_errors"] = ids.map(n_err).fillna(0).astype(int)
    scores = card[list(CRITERIA)].astype(float)
    wv = pd.Series(w)[list(CRITERIA)]
    avail = scores.notna()
    num = (scores.fillna(0) * wv).sum(axis=1)
    den = (avail * wv).sum(axis=1)
    card["score"] = (100 * num / den.replace(0, np.nan)).round(1)
    card["rank"] = card["score"].rank(ascending=False, method="min").astype("Int64")
    card.attrs["weights"] = w
    return card.sort_values(["score", "doc_id"], ascending=[False, True], na_position="last").reset_index(drop=True)


__all__ = ["compliance", "CRITERIA", "DEFAULT_WEIGHTS", "DEFAULT_SLUG_PATTERNS"]
