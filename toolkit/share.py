"""Template share: how much of each report's narrative is found in other reports.

For every report, the share of its narrative content characters (CJK characters, letters, digits; the
mandated template wording of ``toolkit/data/mandated_phrases.txt`` left out of both numerator and
denominator) that lies in a passage shared with another agency's report (same year, or any year), and,
separately, the share copied from the agency's own earlier reports. Direction comes from publication
dates (or report years): text shared with a report published earlier may have been copied from it.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .passages import agency_key, mandated_mask, publication_key, shared_passages, skeleton, units

SHARE_COLUMNS = ["doc_id", "narrative_chars", "mandated_chars", "share_other", "share_other_same_year",
                 "share_other_earlier", "share_self", "n_partners"]


def template_share(data: pd.DataFrame, *, sections=("s1", "s5"), documents: pd.DataFrame | None = None,
                   passages: pd.DataFrame | None = None, min_chars: int = 30, phrases: str | None = None,
                   progress: bool | None = None) -> pd.DataFrame:
    """Per report: share of its narrative found in other agencies' reports, and copied from its own past.

    Parameters
    ----------
    data : DataFrame
        Sections (``doc_id, section, text, start``) or documents (``doc_id, text``).
    sections : tuple of str or None
        Narrative sections measured (default 总体情况 ``s1`` and 问题 ``s5``).
    documents : DataFrame, optional
        Metadata (``agency`` or ``agency_id``, ``year``, ``published``, ``level``) when ``data`` is a
        sections frame. Without an agency column every report counts as its own agency.
    passages : DataFrame, optional
        Output of :func:`toolkit.shared_passages` on the same data (computed here when omitted).
    min_chars : int
        Shortest shared passage counted (content characters).
    phrases : str, optional
        Path of a mandated-phrase file replacing the shipped list.

    Returns
    -------
    DataFrame
        ``doc_id, narrative_chars`` (content characters outside mandated wording), ``mandated_chars``,
        ``share_other`` (found in another agency's report, any year), ``share_other_same_year``,
        ``share_other_earlier`` (found in another agency's report published before this one: the part
        this report may have copied), ``share_self`` (found in the same agency's earlier reports),
        ``n_partners`` (other agencies' reports sharing text), plus ``agency, level, year, published``.

    Examples
    --------
    >>> import pandas as pd
    >>> s = "我局扎实推进政务公开标准化规范化建设，全年发布信息1234条，其中政策文件56条，解读材料12篇。"
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "agency": ["甲局", "乙局"], "year": [2020, 2020],
    ...                      "text": [s + "甲局自己的一段说明文字，与别人不同的表述方式和内容安排。", s]})
    >>> template_share(docs, sections=None)[["doc_id", "share_other"]].round(2).values.tolist()
    [['a', 0.63], ['b', 1.0]]
    """
    u = units(data, sections=sections, documents=documents)
    if passages is None:
        passages = shared_passages(data, sections=sections, documents=documents, min_chars=min_chars,
                                   phrases=phrases, progress=progress)
    span_doc = len(passages) and passages["span_of"].iloc[0] == "document"
    prep = []
    for t in u["text"]:
        cps, pos = skeleton(t)
        prep.append((pos, mandated_mask(cps, phrases=phrases)))
    n = len(u)
    marks = {name: [np.zeros(len(p[0]), dtype=bool) for p in prep] for name in ("any", "same", "earlier", "self")}
    unit_of = {(d, s): i for i, (d, s) in enumerate(zip(u["doc_id"], u["section"]))}
    offset = u["offset"].to_numpy() if span_doc else np.zeros(n, dtype=int)
    per = u.drop_duplicates("doc_id").set_index("doc_id")
    agency = agency_key(u.drop_duplicates("doc_id")).set_axis(per.index)
    when = publication_key(u.drop_duplicates("doc_id")).set_axis(per.index)
    year = pd.to_numeric(per["year"], errors="coerce") if "year" in per.columns else pd.Series(np.nan, per.index)
    partners: dict[str, set] = {}
    for r in passages.itertuples(index=False):
        for me, other, sec, s, e in ((r.doc_a, r.doc_b, r.section_a, r.a_start, r.a_end),
                                     (r.doc_b, r.doc_a, r.section_b, r.b_start, r.b_end)):
            i = unit_of.get((me, sec))
            if i is None:
                continue
            pos = prep[i][0]
            lo, hi = np.searchsorted(pos, s - offset[i]), np.searchsorted(pos, e - offset[i])
            earlier = pd.notna(when[other]) and pd.notna(when[me]) and when[other] < when[me]
            if agency[me] == agency[other]:
                if earlier:
                    marks["self"][i][lo:hi] = True
                continue
            partners.setdefault(me, set()).add(other)
            marks["any"][i][lo:hi] = True
            if pd.notna(year[me]) and year[me] == year[other]:
                marks["same"][i][lo:hi] = True
            if earlier:
                marks["earlier"][i][lo:hi] = True
    rows = []
    for i in range(n):
        free = ~prep[i][1]
        rows.append((u["doc_id"].iat[i], int(free.sum()), int(prep[i][1].sum()),
                     *(int((marks[k][i] & free).sum()) for k in ("any", "same", "earlier", "self"))))
    t = pd.DataFrame(rows, columns=["doc_id", "narrative_chars", "mandated_chars", "any", "same", "earlier", "self"])
    t = t.groupby("doc_id", sort=False).sum()
    den = t["narrative_chars"].where(t["narrative_chars"] > 0)
    out = pd.DataFrame({"doc_id": t.index, "narrative_chars": t["narrative_chars"].to_numpy(),
                        "mandated_chars": t["mandated_chars"].to_numpy(),
                        "share_other": (t["any"] / den).to_numpy(), "share_other_same_year": (t["same"] / den).to_numpy(),
                        "share_other_earlier": (t["earlier"] / den).to_numpy(), "share_self": (t["self"] / den).to_numpy()})
    out["n_partners"] = [len(partners.get(d, ())) for d in out["doc_id"]]
    for c in ("agency", "level", "year", "published"):
        if c in per.columns:
            out[c] = out["doc_id"].map(per[c])
    return out.sort_values("doc_id").reset_index(drop=True)
