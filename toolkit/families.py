"""Copy families: groups of reports that print the same passage (one source text copied by several reports).

:func:`toolkit.reuse_clusters` groups reports by pairwise similarity, so chains of unrelated copies (A
copies B, B copies its own previous report, ...) join into one component. A copy family is narrower: the
reports whose shared passages are *the same text*. It is built from :func:`toolkit.shared_passages`.
"""
from __future__ import annotations

import pandas as pd


def copy_families(passages: pd.DataFrame, *, min_overlap: float = 0.5) -> pd.DataFrame:
    """Groups of reports that print the same passage (a copy family), from :func:`toolkit.shared_passages`.

    Every passage links a span of one report to a span of another; spans of one report that overlap by
    at least ``min_overlap`` of the shorter are the same text. The connected groups of spans are the
    families, ranked by the number of reports, then by characters: family 0 is the most widely copied text.
    Returns one row per (family, report): ``family, doc_id, n_docs, start, end, chars, source`` (the report
    published first) and ``text`` (the passage as printed in the source).

    >>> p = pd.DataFrame({"doc_a": ["a", "a", "x"], "doc_b": ["b", "c", "y"], "a_start": [0, 2, 0],
    ...                   "a_end": [100, 98, 40], "b_start": [5, 0, 0], "b_end": [105, 96, 40],
    ...                   "chars": [100, 96, 40], "text_a": ["t"] * 3})
    >>> copy_families(p).groupby("family")["doc_id"].apply(list).tolist()
    [['a', 'b', 'c'], ['x', 'y']]
    """
    cols = ["family", "doc_id", "n_docs", "start", "end", "chars", "source", "text"]
    if passages is None or not len(passages):
        return pd.DataFrame(columns=cols)
    parent: list[int] = []
    spans: list[tuple] = []

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def node(doc, a, b):
        parent.append(len(parent))
        spans.append((doc, int(a), int(b)))
        return len(parent) - 1

    texts, pub = {}, {}
    for r in passages.itertuples(index=False):
        i, j = node(r.doc_a, r.a_start, r.a_end), node(r.doc_b, r.b_start, r.b_end)
        parent[find(i)] = find(j)
        texts[i] = getattr(r, "text_a", "")
        texts[j] = getattr(r, "text_b", texts[i])
        pub[r.doc_a] = str(getattr(r, "published_a", "") or "")
        pub[r.doc_b] = str(getattr(r, "published_b", "") or "")
    by_doc: dict = {}
    for k, (doc, a, b) in enumerate(spans):
        by_doc.setdefault(doc, []).append(k)
    for ks in by_doc.values():  # same report, overlapping spans: the same text
        ks.sort(key=lambda k: spans[k][1])
        for x, k1 in enumerate(ks):
            for k2 in ks[x + 1:]:
                (_, a1, b1), (_, a2, b2) = spans[k1], spans[k2]
                if a2 >= b1:
                    break
                if min(b1, b2) - a2 >= min_overlap * min(b1 - a1, b2 - a2):
                    parent[find(k1)] = find(k2)
    groups: dict = {}
    for k in range(len(spans)):
        groups.setdefault(find(k), []).append(k)
    rows = []
    for ks in groups.values():
        per_doc: dict = {}
        for k in ks:
            doc, a, b = spans[k]
            lo, hi, t = per_doc.get(doc, (a, b, texts.get(k, "")))
            per_doc[doc] = (min(lo, a), max(hi, b), t if len(t) >= b - a else texts.get(k, ""))
        src = min(per_doc, key=lambda d: (pub.get(d, ""), str(d)))
        for doc, (a, b, t) in per_doc.items():
            rows.append({"group": ks[0], "doc_id": doc, "n_docs": len(per_doc), "start": a, "end": b,
                         "chars": b - a, "source": src, "text": per_doc[src][2]})
    out = pd.DataFrame(rows)
    size = out.groupby("group").agg(n=("n_docs", "first"), c=("chars", "sum")).sort_values(["n", "c"], ascending=False)
    out["family"] = out["group"].map({g: i for i, g in enumerate(size.index)})
    return out.sort_values(["family", "doc_id"])[cols].reset_index(drop=True)


__all__ = ["copy_families"]
