"""Figures of a study (PNG, Chinese labels with a real CJK font via :func:`toolkit.plots.use_cjk_font`)."""
from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

logger = logging.getLogger(__name__)


def _save(fig, path: Path) -> Path:
    import matplotlib.pyplot as plt

    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)
    return path


def corpus_overview(docs: pd.DataFrame):
    """Reports per report year, stacked by input format."""
    import matplotlib.pyplot as plt

    ok = docs[docs["status"].eq("ok")] if "status" in docs.columns else docs
    tab = pd.crosstab(ok["year"].astype("Int64").astype(str), ok["format"])
    fig, ax = plt.subplots(figsize=(6, 3.2))
    tab.plot.bar(stacked=True, ax=ax, rot=0)
    ax.set_xlabel("报告年度 (report year)")
    ax.set_ylabel("报告数 (reports)")
    ax.set_title("语料概况：各年度报告数（按格式）")
    ax.legend(title="format", fontsize=8)
    return fig


def issues_by_check(issues: pd.DataFrame):
    """Number of reports with each finding, coloured by severity."""
    import matplotlib.pyplot as plt

    colors = {"error": "#c0392b", "warning": "#e67e22", "info": "#95a5a6"}
    g = (issues.groupby(["check", "severity"])["doc_id"].nunique().reset_index(name="reports")
         .sort_values("reports"))
    fig, ax = plt.subplots(figsize=(6.5, 0.32 * max(len(g), 3) + 1))
    ax.barh(g["check"], g["reports"], color=[colors.get(s, "#7f8c8d") for s in g["severity"]])
    ax.set_xlabel("报告数 (reports with the finding)")
    ax.set_title("检查结果：各类问题涉及的报告数")
    return fig


def score_distribution(card: pd.DataFrame):
    """Histogram of the overall compliance score by level, and the mean of each criterion."""
    import matplotlib.pyplot as plt

    from toolkit.compliance import CRITERIA

    fig, (a1, a2) = plt.subplots(1, 2, figsize=(10, 3.4), gridspec_kw={"wspace": 0.5})
    for level, g in card.groupby(card.get("level", pd.Series("all", index=card.index)).fillna("other")):
        a1.hist(g["score"].dropna(), bins=range(0, 105, 5), alpha=0.6, label=str(level))
    a1.set_xlabel("综合得分 (score, 0-100)")
    a1.set_ylabel("报告数")
    a1.set_title("合规评分分布")
    a1.legend(fontsize=8)
    means = card[list(CRITERIA)].mean()
    a2.barh(list(means.index)[::-1], list(means.values)[::-1], color="#2e86c1")
    a2.set_xlim(0, 1)
    a2.set_title("各项指标平均得分")
    return fig


def share_by_year(share: pd.DataFrame):
    """Boxplots of the share of each report's narrative copied from others / from itself, per year."""
    import matplotlib.pyplot as plt

    cols = [c for c in ("share_other_earlier", "share_self") if c in share.columns]
    years = sorted(share["year"].dropna().astype(int).unique())
    fig, axes = plt.subplots(1, len(cols), figsize=(4.5 * len(cols), 3.2), squeeze=False)
    names = {"share_other_earlier": "抄自其他机关（更早发布）", "share_self": "抄自本机关往年报告"}
    for ax, c in zip(axes[0], cols):
        ax.boxplot([share.loc[share["year"] == y, c].dropna() for y in years])
        ax.set_xticks(range(1, len(years) + 1), [str(y) for y in years])
        ax.set_title(names.get(c, c))
        ax.set_ylim(-0.02, 1.02)
        ax.set_ylabel("叙述部分占比 (share of narrative)")
    return fig


def draw_all(res, out: Path) -> dict[str, Path]:
    """Draw every figure a study has data for into ``out``; returns name -> path."""
    from toolkit import plots

    plots.use_cjk_font()
    out.mkdir(parents=True, exist_ok=True)
    f = res.frames
    figs: dict[str, Path] = {}

    def attempt(name, make):
        try:
            fig = make()
        except Exception as exc:  # a figure never stops a study: log it and go on
            logger.warning("figure %s not drawn: %s: %s", name, type(exc).__name__, exc)
            return
        if fig is not None:
            figs[name] = _save(fig, out / f"{name}.png")

    attempt("corpus_overview", lambda: corpus_overview(f["documents"]))
    if len(f.get("issues", [])):
        attempt("issues_by_check", lambda: issues_by_check(f["issues"]))
    if len(f.get("scorecard", [])):
        attempt("scores", lambda: score_distribution(f["scorecard"]))
    if len(f.get("term_counts", [])):
        attempt("top_terms", lambda: plots.top_terms(f["term_counts"], n=20, title="高频词（总体情况、存在的主要问题）"))
    key = f.get("keyness")
    if key is not None and len(key):
        labels = (key.attrs.get("target", "target"), key.attrs.get("reference", "reference"))
        attempt("keyness", lambda: plots.keyness_bars(key, n=15, labels=labels, title=f"关键词：{labels[0]} 对 {labels[1]}"))
        by_year = getattr(res, "extra", {}).get("term_counts_year")
        if by_year is not None and by_year["year"].nunique() > 1:
            terms = list(key.sort_values("keyness", ascending=False)["term"].head(3)) + \
                list(key.sort_values("keyness")["term"].head(2))
            attempt("term_trends", lambda: plots.term_trends(by_year, terms, x="year", title="关键词的年度变化"))
    share = f.get("template_share")
    if share is not None and len(share) and "year" in share.columns:
        attempt("template_share", lambda: share_by_year(share))
    try:
        from toolkit import reuse_plots
    except ImportError:
        reuse_plots = None
    if reuse_plots is not None and (len(f.get("pairs", [])) or len(f.get("passages", []))):
        docs = f["documents"]
        for name in ("similarity_heatmap", "agency_network", "share_distribution"):
            fn = getattr(reuse_plots, name, None)
            if fn is None:
                continue
            if name == "similarity_heatmap":
                attempt(name, lambda: fn(f["sections"], documents=docs))
            elif name == "agency_network":  # every shared passage, weighted by its characters
                links = f["passages"] if len(f.get("passages", [])) else f["pairs"]
                score = "chars" if "chars" in links.columns else "doc_jaccard"
                attempt(name, lambda: fn(links, documents=docs, score=score, min_score=100 if score == "chars" else 0))
            else:
                attempt(name, lambda: fn(f["template_share"], documents=docs))
    return figs
