"""Figures for text reuse: similarity heatmap, agency network, template-share distribution.

Every function returns a matplotlib ``Figure`` and draws Chinese labels with
:func:`toolkit.plots.use_cjk_font`.
"""
from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from .errors import ArgumentError

log = logging.getLogger(__name__)


def _cjk():
    try:
        from .plots import use_cjk_font
    except ImportError:  # plots not installed: labels may show as boxes, figures still draw
        return
    use_cjk_font()


def _labels(ids, documents: pd.DataFrame | None, *, short: int = 14) -> list[str]:
    if documents is None or "doc_id" not in documents.columns:
        return [str(i) for i in ids]
    per = documents.drop_duplicates("doc_id").set_index("doc_id")
    out = []
    for d in ids:
        if d in per.index and "agency" in per.columns and pd.notna(per.at[d, "agency"]):
            name = str(per.at[d, "agency"])[-short:]
            yr = per.at[d, "year"] if "year" in per.columns else None
            out.append(f"{name} {int(yr)}" if yr is not None and pd.notna(yr) else name)
        else:
            out.append(str(d)[:short + 6])
    return out


def similarity_heatmap(data: pd.DataFrame, *, documents: pd.DataFrame | None = None, sections=("s1", "s5"),
                       max_docs: int = 60, title: str | None = None, ax=None):
    """Heatmap of TF-IDF cosine similarity between reports (:func:`toolkit.similarity_matrix`).

    With more than ``max_docs`` reports, the ``max_docs`` most similar to some other report are shown.

    >>> import pandas as pd
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "text": ["扎实推进政务公开", "扎实推进政务公开工作"]})
    >>> fig = similarity_heatmap(docs, sections=None)
    """
    import matplotlib.pyplot as plt

    from .reuse import similarity_matrix

    _cjk()
    m = data if _is_square(data) else similarity_matrix(data, sections=sections, documents=documents)
    if m.empty:
        raise ArgumentError("no narrative text to compare: check `sections` (e.g. sections=None for whole texts)")
    if len(m) > max_docs:
        off = m.to_numpy().copy()
        np.fill_diagonal(off, 0)
        keep = np.argsort(-off.max(axis=1), kind="stable")[:max_docs]
        m = m.iloc[np.sort(keep), np.sort(keep)]
    n = len(m)
    if ax is None:
        fig, ax = plt.subplots(figsize=(min(14, 2.5 + 0.28 * n), min(12, 2 + 0.24 * n)), layout="constrained")
    else:
        fig = ax.figure
    im = ax.imshow(m.to_numpy(), vmin=0, vmax=1, cmap="viridis")
    labels = _labels(m.index, documents)
    fs = max(4, min(9, 220 // max(n, 1)))
    ax.set_xticks(range(n), labels, rotation=90, fontsize=fs)
    ax.set_yticks(range(n), labels, fontsize=fs)
    fig.colorbar(im, ax=ax, shrink=0.8, label="TF-IDF 余弦相似度")
    ax.set_title(title or "报告叙述部分的相似度")
    return fig


def _is_square(frame) -> bool:
    return isinstance(frame, pd.DataFrame) and len(frame) > 0 and list(frame.index) == list(frame.columns)


def agency_network(pairs: pd.DataFrame, *, documents: pd.DataFrame | None = None, score: str = "doc_jaccard",
                   min_score: float = 0.0, by: str = "agency", seed: int = 0, title: str | None = None, ax=None):
    """Network of agencies linked by shared text (networkx spring layout, seeded).

    Nodes are agencies (``by="agency"``, from ``agency_a/_b`` or ``documents``) or reports
    (``by="doc_id"``); edge width follows the strongest ``score`` between them; self-copies are dropped.

    >>> import pandas as pd
    >>> p = pd.DataFrame({"doc_a": ["a", "a"], "doc_b": ["b", "c"], "doc_jaccard": [0.9, 0.4]})
    >>> fig = agency_network(p, by="doc_id")
    """
    import matplotlib.pyplot as plt
    import networkx as nx

    _cjk()
    if pairs is None or not len(pairs):
        raise ArgumentError("no pairs to draw: run toolkit.reuse (or lower its threshold) first")
    col = next((c for c in (score, "doc_jaccard", "jaccard", "chars") if c in pairs.columns), None)
    p = pairs if col is None else pairs[pd.to_numeric(pairs[col], errors="coerce").fillna(0) >= min_score]
    name = _node_names(p, documents, by)
    g = nx.Graph()
    for r, a, b in zip(p.itertuples(index=False), name[0], name[1]):
        if a == b or pd.isna(a) or pd.isna(b):
            continue
        w = float(getattr(r, col)) if col else 1.0
        if g.has_edge(a, b):
            g[a][b]["weight"] = max(g[a][b]["weight"], w)
            g[a][b]["n"] += 1
        else:
            g.add_edge(a, b, weight=w, n=1)
    if ax is None:
        fig, ax = plt.subplots(figsize=(9, 7), layout="constrained")
    else:
        fig = ax.figure
    ax.set_axis_off()
    ax.set_title(title or "共享文本的机构网络")
    if not g.number_of_edges():
        ax.text(0.5, 0.5, "no shared text between different agencies", ha="center", transform=ax.transAxes)
        return fig
    pos = nx.spring_layout(g, seed=seed, weight="weight")
    ws = np.array([g[a][b]["weight"] for a, b in g.edges()])
    nx.draw_networkx_edges(g, pos, ax=ax, width=0.5 + 4 * ws / max(ws.max(), 1e-9), alpha=0.5)
    deg = np.array([g.degree(v) for v in g.nodes()])
    nx.draw_networkx_nodes(g, pos, ax=ax, node_size=60 + 40 * deg, node_color="#4c72b0", alpha=0.85)
    nx.draw_networkx_labels(g, pos, ax=ax, font_size=7,
                            font_family=_font_family())
    return fig


def _font_family():
    import matplotlib as mpl

    fam = mpl.rcParams.get("font.sans-serif") or ["sans-serif"]
    return fam[0] if isinstance(fam, list) else fam


def _node_names(p: pd.DataFrame, documents, by: str):
    if by == "doc_id":
        return list(p["doc_a"]), list(p["doc_b"])
    if f"{by}_a" in p.columns:
        return list(p[f"{by}_a"]), list(p[f"{by}_b"])
    if documents is not None and by in documents.columns:
        m = documents.drop_duplicates("doc_id").set_index("doc_id")[by]
        return list(p["doc_a"].map(m)), list(p["doc_b"].map(m))
    log.info("no %r column: drawing reports instead of agencies", by)
    return list(p["doc_a"]), list(p["doc_b"])


def share_distribution(shares: pd.DataFrame, *, documents: pd.DataFrame | None = None,
                       by: str = "level", column: str = "share_other", title: str | None = None, ax=None):
    """Box plots of template share (:func:`toolkit.template_share`) by ``level`` or ``year``.

    >>> import pandas as pd
    >>> s = pd.DataFrame({"doc_id": ["a", "b", "c"], "share_other": [0.1, 0.5, 0.3], "level": ["city", "county", "city"]})
    >>> fig = share_distribution(s)
    """
    import matplotlib.pyplot as plt

    _cjk()
    if column not in shares.columns:
        raise ArgumentError(f"template share frame lacks {column!r}; columns are {list(shares.columns)}")
    s = shares
    if by not in s.columns and documents is not None and by in documents.columns:
        s = s.merge(documents.drop_duplicates("doc_id")[["doc_id", by]], on="doc_id", how="left")
    if by not in s.columns:
        s = s.assign(**{by: "all"})
    s = s[s[column].notna()]
    groups = sorted(s[by].dropna().unique(), key=str)
    data = [s.loc[s[by] == g, column].to_numpy() for g in groups]
    if ax is None:
        fig, ax = plt.subplots(figsize=(max(5, 1.1 * len(groups) + 2), 4), layout="constrained")
    else:
        fig = ax.figure
    if data:
        ax.boxplot(data, showfliers=True)
        ax.set_xticks(range(1, len(groups) + 1), [f"{g}\n(n={len(d)})" for g, d in zip(groups, data)])
    ax.set_ylim(-0.02, 1.02)
    ax.set_ylabel({"share_other": "与其他机构报告相同的叙述占比", "share_self": "沿用本机关往年报告的叙述占比"}.get(column, column))
    ax.set_xlabel(by)
    ax.set_title(title or "模板化程度分布")
    return fig
