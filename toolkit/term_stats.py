"""Term statistics: counts with tf, df, idf and tf-idf per group, and keyness between groups.

Public through ``toolkit.count_terms`` and ``toolkit.keyness`` (see :mod:`toolkit.keywords`
for the whole keywords path). The module is not called ``keyness`` so that it never shadows
the function ``toolkit.keyness``.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Literal

import numpy as np
import pandas as pd

from toolkit.errors import ArgumentError, check_choice

Correction = Literal["fdr_bh", "bonferroni"]
_STAT_COLUMNS = {"term", "n", "tf", "df", "idf", "tf_idf"}


# --------------------------------------------------------------------------- counting
def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Categorical columns back to plain values (small result frames read better)."""
    for col in frame.columns:
        if isinstance(frame[col].dtype, pd.CategoricalDtype):
            frame[col] = frame[col].astype(frame[col].cat.categories.dtype)
    return frame


def count_terms(tokens: pd.DataFrame, *, by: str | Iterable[str] = "doc_id", documents: pd.DataFrame | None = None) -> pd.DataFrame:
    """Count terms per group, with tf, df, idf and tf-idf (tidy, one row per group x term).

    Parameters
    ----------
    tokens : DataFrame
        Output of :func:`tokenize` (needs ``term`` and the ``by`` columns).
    by : str or list of str
        Grouping columns: ``"doc_id"`` (default), ``"section"``, ``["doc_id", "section"]``, or
        document metadata such as ``"year"``, ``"level"``, ``"province"``.
    documents : DataFrame, optional
        Where to find ``by`` columns that ``tokens`` lacks (joined on ``doc_id``).

    Returns
    -------
    DataFrame
        ``*by, term, n, tf, df, idf, tf_idf`` sorted by group then ``n`` descending, where
        ``n`` = occurrences in the group, ``tf = n / tokens in the group``, ``df`` = number
        of groups containing the term, ``idf = ln(N / df)`` with ``N`` the number of groups
        (a term present in every group has idf 0), ``tf_idf = tf * idf``.

    Examples
    --------
    >>> import pandas as pd, toolkit as tk
    >>> toks = pd.DataFrame({"doc_id": ["a", "a", "b"], "term": ["政策解读", "行政复议", "政策解读"]})
    >>> tk.count_terms(toks)[["doc_id", "term", "n", "idf"]].values.tolist()  # doctest: +ELLIPSIS
    [['a', '政策解读', 1, 0.0], ['a', '行政复议', 1, 0.69...], ['b', '政策解读', 1, 0.0]]
    """
    by = [by] if isinstance(by, str) else list(by)
    if not by:
        raise ArgumentError("by must name at least one column, e.g. by='doc_id'")
    if "term" not in tokens.columns:
        raise ArgumentError("tokens lacks column 'term'; pass the output of toolkit.tokenize")
    missing = [c for c in by if c not in tokens.columns]
    frame = tokens[[c for c in dict.fromkeys([*by, "term", "doc_id"]) if c in tokens.columns]]
    if missing:
        if documents is None or "doc_id" not in tokens.columns:
            raise ArgumentError(f"by={by}: tokens has no column(s) {missing}; pass documents= with doc_id and {missing}")
        lacking = [c for c in ["doc_id", *missing] if c not in documents.columns]
        if lacking:
            raise ArgumentError(f"documents lacks column(s) {lacking} needed for by={by}")
        frame = _with_metadata(frame, documents[["doc_id", *missing]].drop_duplicates("doc_id"), missing)
    counts = frame.groupby([*by, "term"], observed=True, sort=False, dropna=False).size().rename("n").reset_index()
    # categorical columns get their categories sorted, so that the ordering below compares integer codes
    counts = counts.assign(**{c: _sorted_categorical(counts[c]) for c in [*by, "term"]
                              if isinstance(counts[c].dtype, pd.CategoricalDtype)})
    n_groups = len(counts[by].drop_duplicates())
    totals = counts.groupby(by, sort=False, dropna=False, observed=True)["n"].transform("sum")
    counts["tf"] = counts["n"] / totals
    counts["df"] = counts.groupby("term", sort=False, observed=True)["n"].transform("size").astype(np.int64)
    counts["idf"] = np.log(n_groups / counts["df"])
    counts["tf_idf"] = counts["tf"] * counts["idf"]
    counts["n"] = counts["n"].astype(np.int64)
    order = counts.sort_values([*by, "n", "term"], ascending=[*([True] * len(by)), False, True], kind="stable")
    return _plain(order.reset_index(drop=True))


def _sorted_categorical(values: pd.Series) -> pd.Series:
    """The categorical ``values`` with categories in ascending order (so sorting by it sorts by value)."""
    cats = values.cat.categories
    return values.cat.reorder_categories(cats.sort_values()) if not cats.is_monotonic_increasing else values


def _with_metadata(frame: pd.DataFrame, meta: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Add document metadata ``columns`` to the token ``frame`` by ``doc_id`` (mapped per distinct doc_id,
    not joined row by row)."""
    doc = frame["doc_id"]
    if not isinstance(doc.dtype, pd.CategoricalDtype):
        doc = doc.astype("category")
    lookup = meta.assign(doc_id=meta["doc_id"].astype(object)).set_index("doc_id")
    per_doc = lookup.reindex(pd.Index(doc.cat.categories.astype(object)))
    codes = doc.cat.codes.to_numpy()
    added = {}
    for col in columns:
        vals = per_doc[col]
        cat_codes, uniques = pd.factorize(vals, use_na_sentinel=True)
        row_codes = np.where(codes >= 0, cat_codes[np.maximum(codes, 0)], -1)
        added[col] = pd.Categorical.from_codes(row_codes, categories=pd.Index(uniques), validate=False)
    return frame.assign(**added)


# ---------------------------------------------------------------------------- keyness
def _select(term_counts: pd.DataFrame, spec, by: str | None, name: str) -> np.ndarray:
    """Boolean row mask of ``term_counts`` for a target/reference specification."""
    if callable(spec):
        spec = spec(term_counts)
    if isinstance(spec, (pd.Series, np.ndarray)) and np.asarray(spec).dtype == bool:
        mask = np.asarray(spec, dtype=bool)
        if len(mask) != len(term_counts):
            raise ArgumentError(f"{name}: a boolean mask must have one value per row of term_counts ({len(term_counts)})")
        return mask
    if isinstance(spec, Mapping):
        mask = np.ones(len(term_counts), dtype=bool)
        for col, value in spec.items():
            if col not in term_counts.columns:
                raise ArgumentError(f"{name}: term_counts has no column {col!r}")
            values = list(value) if isinstance(value, (list, tuple, set, frozenset)) else [value]
            mask &= term_counts[col].isin(values).to_numpy()
        return mask
    groups = [c for c in term_counts.columns if c not in _STAT_COLUMNS]
    col = by or (groups[0] if len(groups) == 1 else None)
    if col is None:
        raise ArgumentError(f"{name}={spec!r}: term_counts has group columns {groups}; say which one with by=, or pass a dict")
    if col not in term_counts.columns:
        raise ArgumentError(f"by={col!r} is not a column of term_counts (columns: {list(term_counts.columns)})")
    values = list(spec) if isinstance(spec, (list, tuple, set, frozenset)) else [spec]
    mask = term_counts[col].isin(values).to_numpy()
    if not mask.any():
        raise ArgumentError(f"{name}={spec!r} matches no row of column {col!r}; values are e.g. {term_counts[col].unique()[:5].tolist()}")
    return mask


def _adjust(p: np.ndarray, correction) -> np.ndarray:
    m = len(p)
    if correction is None or m == 0:
        return p.copy()
    if correction == "bonferroni":
        return np.minimum(1.0, p * m)
    order = np.argsort(p, kind="stable")  # Benjamini-Hochberg step-up
    ranked = p[order] * m / np.arange(1, m + 1)
    ranked = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(m)
    out[order] = np.minimum(1.0, ranked)
    return out


def keyness(
    term_counts: pd.DataFrame,
    *,
    target,
    reference=None,
    by: str | None = None,
    min_freq: int = 5,
    correction: Correction | None = "fdr_bh",
) -> pd.DataFrame:
    """Keyness of every term in a target part of the corpus against a reference part.

    For each term a 2x2 table (term / other tokens x target / reference) gives the
    log-likelihood G² (Dunning 1993, all four cells), Pearson's chi² with Yates' continuity
    correction, their p-values (chi² with 1 degree of freedom), the log ratio effect size
    (Hardie 2014: ``log2`` of the ratio of relative frequencies, a zero count counted as 0.5)
    and the p-value of G² adjusted for the number of terms tested.

    Parameters
    ----------
    term_counts : DataFrame
        Output of :func:`count_terms` (group columns, ``term``, ``n``).
    target, reference
        Which rows form each side, in one of these forms:

        - a value or list of values of the group column: ``target=2024, reference=2019``
          with ``count_terms(..., by="year")`` (name the column with ``by=`` when there are
          several group columns);
        - a dict ``{column: value or list}``: ``target={"level": "county", "year": 2024}``;
        - a boolean mask over the rows of ``term_counts``, or a function returning one:
          ``target=lambda c: c["doc_id"].str.startswith("pingtan")``.

        ``reference=None`` (default) means every row not in the target (the rest of the corpus).
    by : str, optional
        Group column that values of ``target``/``reference`` refer to.
    min_freq : int
        Keep terms with at least this many occurrences in target and reference together.
    correction : {"fdr_bh", "bonferroni", None}
        Multiple-comparison correction for ``p_adj`` (Benjamini-Hochberg false discovery
        rate, Bonferroni, or none), over the terms kept by ``min_freq``.

    Returns
    -------
    DataFrame
        ``term, n_target, n_reference, rate_target, rate_reference`` (per 10,000 tokens),
        ``g2, p_g2, chi2_yates, p_chi2, log_ratio, p_adj, keyness`` where ``keyness`` is G²
        signed by the direction (positive: more frequent in the target). Sorted by
        ``keyness`` descending: the target's key terms first, the reference's last.

    Examples
    --------
    >>> import pandas as pd, toolkit as tk
    >>> counts = pd.DataFrame({"year": [2019, 2019, 2024, 2024], "term": ["政策解读", "行政复议"] * 2,
    ...                        "n": [10, 90, 40, 60]})
    >>> tk.keyness(counts, target=2024, reference=2019, min_freq=1)["term"].tolist()
    ['政策解读', '行政复议']
    """
    check_choice("correction", correction, ("fdr_bh", "bonferroni", None))
    for col in ("term", "n"):
        if col not in term_counts.columns:
            raise ArgumentError(f"term_counts lacks column {col!r}; pass the output of toolkit.count_terms")
    in_target = _select(term_counts, target, by, "target")
    in_reference = ~in_target if reference is None else _select(term_counts, reference, by, "reference")
    if (in_target & in_reference).any():
        raise ArgumentError("target and reference overlap; a row can be on one side only")
    n = term_counts["n"].to_numpy(dtype=float)
    terms = term_counts["term"].astype(object)
    a = pd.Series(n[in_target]).groupby(terms[in_target].to_numpy()).sum()
    b = pd.Series(n[in_reference]).groupby(terms[in_reference].to_numpy()).sum()
    table = pd.concat([a.rename("n_target"), b.rename("n_reference")], axis=1).fillna(0.0)
    t1, t2 = float(n[in_target].sum()), float(n[in_reference].sum())
    if t1 == 0 or t2 == 0:
        raise ArgumentError("target or reference has no tokens; check the selection")
    table = table[(table["n_target"] + table["n_reference"]) >= min_freq]
    stats = _keyness_stats(table["n_target"].to_numpy(), table["n_reference"].to_numpy(), t1, t2)
    out = pd.DataFrame({"term": table.index.astype(object), **{k: table[k].to_numpy().astype(np.int64) for k in table}})
    out["rate_target"] = out["n_target"] / t1 * 1e4
    out["rate_reference"] = out["n_reference"] / t2 * 1e4
    for key, value in stats.items():
        out[key] = value
    out["p_adj"] = _adjust(out["p_g2"].to_numpy(), correction)
    out["keyness"] = np.sign(out["log_ratio"]) * out["g2"]
    return out.sort_values(["keyness", "term"], ascending=[False, True], kind="stable").reset_index(drop=True)


def _keyness_stats(a: np.ndarray, b: np.ndarray, t1: float, t2: float) -> dict[str, np.ndarray]:
    """G², chi² (Yates), p-values and log ratio for counts ``a`` (target) and ``b`` (reference)."""
    a, b = a.astype(float), b.astype(float)
    c, d = t1 - a, t2 - b
    total = t1 + t2
    observed = np.stack([a, b, c, d])
    expected = np.stack([t1 * (a + b), t2 * (a + b), t1 * (c + d), t2 * (c + d)]) / total
    with np.errstate(divide="ignore", invalid="ignore"):
        cells = np.where(observed > 0, observed * np.log(observed / expected), 0.0)
        g2 = 2 * cells.sum(axis=0)
        diff = np.maximum(np.abs(a * d - b * c) - total / 2, 0.0)
        chi = total * diff**2 / ((a + b) * (c + d) * t1 * t2)
    g2 = np.maximum(g2, 0.0)
    chi = np.nan_to_num(chi)
    log_ratio = np.log2((np.where(a > 0, a, 0.5) / t1) / (np.where(b > 0, b, 0.5) / t2))
    return {"g2": g2, "p_g2": _chi2_sf_1dof(g2), "chi2_yates": chi, "p_chi2": _chi2_sf_1dof(chi), "log_ratio": log_ratio}


def _chi2_sf_1dof(x: np.ndarray) -> np.ndarray:
    """Upper tail of the chi² distribution with one degree of freedom: ``erfc(sqrt(x / 2))``."""
    return np.array([math.erfc(math.sqrt(v / 2)) for v in x.tolist()], dtype=float)
