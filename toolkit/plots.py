"""Matplotlib figures for term statistics, with a CJK font that works on a fresh machine.

Call :func:`use_cjk_font` once before drawing Chinese labels. It prefers a CJK font
installed on the system and falls back to Noto Sans CJK shipped by the PyPI package
``noto-cjk-sans-otc`` (a dependency of the toolkit), so Chinese never renders as
empty boxes even where the system only has DejaVu.
"""
from __future__ import annotations

import logging
from pathlib import Path

logger = logging.getLogger(__name__)

# Families tried in order among fonts matplotlib already knows (system fonts).
_SYSTEM_CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "STHeiti",
    "Sarasa Gothic SC",
    "Droid Sans Fallback",
    "AR PL UMing CN",
    "AR PL UKai CN",
)
_SHIPPED_FAMILY = "Noto Sans CJK SC"
_PROBE = "政府信息公开年度报告"
_chosen: str | None = None


def _covers(path: str, probe: str = _PROBE) -> bool:
    """True if the font file at ``path`` has a glyph for every character of ``probe``."""
    from matplotlib import ft2font

    try:
        font = ft2font.FT2Font(path)
    except Exception:  # unreadable font file: not a candidate
        return False
    return all(font.get_char_index(ord(ch)) != 0 for ch in probe)


def _shipped_font_path() -> Path | None:
    try:
        import noto_cjk_sans_otc
    except ImportError:
        return None
    path = Path(str(noto_cjk_sans_otc.FONT_PATH))
    return path if path.exists() else None


def use_cjk_font(*, prefer_system: bool = True) -> str:
    """Make matplotlib draw Chinese with a real CJK font and return its family name.

    Looks for a system CJK font first (unless ``prefer_system=False``), otherwise
    registers Noto Sans CJK SC from the ``noto-cjk-sans-otc`` package. Sets
    ``rcParams["font.family"]`` to ``sans-serif`` with the chosen family first, and
    ``axes.unicode_minus=False`` so minus signs do not need a glyph the font lacks.
    Safe to call many times.

    Returns
    -------
    str
        The font family now used for Chinese labels, e.g. ``"Noto Sans CJK SC"``.

    Raises
    ------
    ToolkitError
        If no CJK font can be found or loaded (install ``noto-cjk-sans-otc``).

    Examples
    --------
    >>> from toolkit.plots import use_cjk_font
    >>> use_cjk_font()  # doctest: +SKIP
    'Noto Sans CJK SC'
    """
    global _chosen
    import matplotlib as mpl
    from matplotlib import font_manager as fm

    from toolkit.errors import ToolkitError

    family = None
    if _chosen is not None:
        family = _chosen
    elif prefer_system:
        known = {}
        for entry in fm.fontManager.ttflist:
            known.setdefault(entry.name, entry.fname)
        for name in _SYSTEM_CJK_FAMILIES:
            if name in known and _covers(known[name]):
                family = name
                logger.debug("using system CJK font %s (%s)", name, known[name])
                break
    if family is None:
        path = _shipped_font_path()
        if path is None:
            raise ToolkitError(
                "no CJK font found for matplotlib; install one (e.g. `pip install noto-cjk-sans-otc`, "
                "a dependency of this toolkit) or a system font such as fonts-noto-cjk"
            )
        fm.fontManager.addfont(str(path))  # a .ttc registers every face (SC, TC, JP, ...)
        names = {entry.name for entry in fm.fontManager.ttflist}
        family = _SHIPPED_FAMILY if _SHIPPED_FAMILY in names else fm.FontProperties(fname=str(path)).get_name()
        logger.debug("using shipped CJK font %s (%s)", family, path)
    _chosen = family
    sans = [family, *[f for f in mpl.rcParams["font.sans-serif"] if f != family]]
    mpl.rcParams["font.sans-serif"] = sans
    mpl.rcParams["font.family"] = "sans-serif"
    mpl.rcParams["axes.unicode_minus"] = False
    return family


# ----------------------------------------------------------------------------- figures
_GROUP_EXCLUDE = {"term", "n", "tf", "df", "idf", "tf_idf"}


def _new_axes(ax, *, figsize):
    import matplotlib.pyplot as plt

    use_cjk_font()
    if ax is not None:
        return ax.figure, ax
    fig, ax = plt.subplots(figsize=figsize, layout="constrained")
    return fig, ax


def _need(frame, columns, what):
    from toolkit.errors import ArgumentError

    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ArgumentError(f"{what} lacks column(s) {missing}; columns are {list(frame.columns)}")


def top_terms(term_counts, *, n: int = 20, value: str = "n", by: str | None = None, title: str | None = None, ax=None):
    """Horizontal bars of the ``n`` terms with the highest ``value``.

    Parameters
    ----------
    term_counts : DataFrame
        Output of :func:`toolkit.count_terms`.
    n : int
        Number of terms per panel.
    value : {"n", "tf", "df", "tf_idf", ...}
        Column to rank by. Over several groups ``n`` is summed and other columns averaged.
    by : str, optional
        One panel per value of this group column (e.g. ``"year"``; at most 12 panels).
    title : str, optional
    ax : matplotlib Axes, optional
        Draw into this axes (only without ``by``).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import pandas as pd
    >>> from toolkit.plots import top_terms
    >>> counts = pd.DataFrame({"term": ["政策解读", "行政复议"], "n": [5, 3]})
    >>> fig = top_terms(counts, n=2)
    """
    import matplotlib.pyplot as plt

    _need(term_counts, ["term", value] + ([by] if by else []), "term_counts")
    agg = "sum" if value == "n" else "mean"
    if by is None:
        fig, ax = _new_axes(ax, figsize=(6, 0.3 * n + 1.2))
        series = term_counts.groupby("term", observed=True)[value].agg(agg).nlargest(n)
        _bars(ax, series, value)
        ax.set_title(title or f"top {len(series)} terms by {value}")
        return fig
    use_cjk_font()
    groups = list(_ordered_unique(term_counts[by]))[:12]
    ncols = min(3, len(groups))
    nrows = -(-len(groups) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.2 * ncols, (0.28 * n + 1.2) * nrows), layout="constrained", squeeze=False)
    for axis, group in zip(axes.flat, groups):
        part = term_counts[term_counts[by] == group]
        _bars(axis, part.groupby("term", observed=True)[value].agg(agg).nlargest(n), value)
        axis.set_title(f"{by} = {group}")
    for axis in list(axes.flat)[len(groups):]:
        axis.set_visible(False)
    if title:
        fig.suptitle(title)
    return fig


def _ordered_unique(values):
    """Distinct non-missing values in sorted order (years ascending)."""
    import pandas as pd

    present = [v for v in pd.unique(values) if not pd.isna(v)]
    return sorted(present, key=lambda v: (str(type(v)), v))


def _bars(ax, series, value):
    ax.barh(range(len(series)), series.to_numpy(), color="#4C72B0")
    ax.set_yticks(range(len(series)), [str(t) for t in series.index])
    ax.invert_yaxis()
    ax.set_xlabel(value)


def keyness_bars(
    keyness,
    *,
    n: int = 15,
    value: str = "log_ratio",
    alpha: float | None = 0.05,
    labels: tuple[str, str] = ("target", "reference"),
    title: str | None = None,
    ax=None,
):
    """Two-sided bars: the target's key terms to the right, the reference's to the left.

    Parameters
    ----------
    keyness : DataFrame
        Output of :func:`toolkit.keyness` (sorted by signed G²).
    n : int
        Terms per side.
    value : {"log_ratio", "keyness"}
        Bar length: the effect size (log2 ratio) or the signed G².
    alpha : float or None
        Keep terms with ``p_adj < alpha`` (None keeps all).
    labels : (str, str)
        Names of the target and the reference, used in the legend.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import pandas as pd
    >>> from toolkit.plots import keyness_bars
    >>> k = pd.DataFrame({"term": ["政策解读", "行政复议"], "keyness": [9.0, -4.0],
    ...                   "log_ratio": [1.5, -0.8], "p_adj": [0.01, 0.04]})
    >>> fig = keyness_bars(k, labels=("2024", "2019"))
    """
    _need(keyness, ["term", "keyness", value] + (["p_adj"] if alpha is not None else []), "keyness")
    frame = keyness if alpha is None else keyness[keyness["p_adj"] < alpha]
    pos = frame[frame["keyness"] > 0].nlargest(n, "keyness")
    neg = frame[frame["keyness"] < 0].nsmallest(n, "keyness")
    rows = list(pos.itertuples()) + list(neg.iloc[::-1].itertuples())
    fig, ax = _new_axes(ax, figsize=(7, 0.3 * max(len(rows), 2) + 1.4))
    values = [getattr(r, value) for r in rows]
    colors = ["#C44E52" if r.keyness > 0 else "#4C72B0" for r in rows]
    ax.barh(range(len(rows)), values, color=colors)
    ax.set_yticks(range(len(rows)), [str(r.term) for r in rows])
    ax.invert_yaxis()
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel(value)
    from matplotlib.patches import Patch

    ax.legend(handles=[Patch(color="#C44E52", label=f"more in {labels[0]}"), Patch(color="#4C72B0", label=f"more in {labels[1]}")],
              loc="lower right", fontsize="small")
    ax.set_title(title or f"key terms: {labels[0]} vs {labels[1]}")
    return fig


def term_trends(term_counts, terms, *, x: str = "year", value: str = "tf", title: str | None = None, ax=None):
    """Lines of ``value`` over ``x`` (default: years) for the given terms.

    Parameters
    ----------
    term_counts : DataFrame
        Output of ``toolkit.count_terms(tokens, by=x, documents=docs)``.
    terms : list of str
        Terms to draw (a term absent in a year counts 0).
    x : str
        Group column on the horizontal axis.
    value : {"tf", "n", "tf_idf"}
        Column on the vertical axis (``tf``: share of all tokens of that year).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import pandas as pd
    >>> from toolkit.plots import term_trends
    >>> c = pd.DataFrame({"year": [2019, 2020, 2019], "term": ["政策解读", "政策解读", "行政复议"],
    ...                   "tf": [0.01, 0.02, 0.005]})
    >>> fig = term_trends(c, ["政策解读", "行政复议"])
    """
    _need(term_counts, [x, "term", value], "term_counts")
    terms = [terms] if isinstance(terms, str) else list(terms)
    part = term_counts[term_counts["term"].astype(object).isin(terms)]
    table = part.pivot_table(index=x, columns="term", values=value, aggfunc="sum", observed=True)
    table = table.reindex(index=_ordered_unique(term_counts[x]), columns=terms).fillna(0.0)
    fig, ax = _new_axes(ax, figsize=(7, 4))
    for term in terms:
        ax.plot(table.index, table[term].to_numpy(), marker="o", label=str(term))
    ax.set_xlabel(x)
    ax.set_ylabel(value)
    if table.index.dtype.kind in "iu" or all(isinstance(v, int) for v in table.index):
        ax.set_xticks(list(table.index))
    ax.legend(fontsize="small")
    ax.set_title(title or f"{value} by {x}")
    return fig
