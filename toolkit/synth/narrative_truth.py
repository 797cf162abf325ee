"""Ground truth of the SYNTHETIC narratives: the passage pairs it implies, true template shares, and
the recall/precision of found passages against it (for tests and benchmarks of :mod:`toolkit.reuse`).

The truth frame is the second output of :func:`toolkit.synth.narrative.generate`.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd


def expected_pairs(truth: pd.DataFrame, *, min_chars: int = 0) -> pd.DataFrame:
    """Every (doc_a, doc_b) passage the truth implies: planted copies plus family members among themselves.

    Returns ``section, doc_a, doc_b, a_start, a_end, b_start, b_end, length, kind, passage_id`` with offsets
    into the section texts (``doc_a`` is the source, or the earlier member of a family). Mandated wording
    is left out.

    Examples
    --------
    >>> import pandas as pd
    >>> from toolkit.synth.narrative import generate
    >>> ag = pd.DataFrame({"agency_id": ["a", "b", "c"], "agency": ["甲市财政局", "甲市教育局", "甲市人民政府"]})
    >>> _, truth = generate(ag, [2021], seed=2, n_families=1, family_size=2, pair_rate=0)
    >>> len(expected_pairs(truth))   # source->b, source->c, b<->c
    3
    """
    t = truth[truth["kind"] != "mandated"]
    rows = [{"section": r.section, "doc_a": r.source_doc, "doc_b": r.target_doc,
             "a_start": int(r.source_start), "a_end": int(r.source_end), "b_start": int(r.target_start),
             "b_end": int(r.target_end), "length": int(min(r.length, r.source_length)), "kind": r.kind,
             "passage_id": r.passage_id} for r in t.itertuples()]
    fam = t[t["kind"] == "family"]
    for _, g in fam.groupby(["family", "source_doc"]):
        g = g.sort_values("target_doc").to_dict("records")
        for i in range(len(g)):
            for j in range(i + 1, len(g)):
                a, b = g[i], g[j]
                rows.append({"section": a["section"], "doc_a": a["target_doc"], "doc_b": b["target_doc"],
                             "a_start": int(a["target_start"]), "a_end": int(a["target_end"]),
                             "b_start": int(b["target_start"]), "b_end": int(b["target_end"]),
                             "length": int(min(a["length"], b["length"])), "kind": "family_member",
                             "passage_id": a["passage_id"]})
    out = pd.DataFrame(rows, columns=["section", "doc_a", "doc_b", "a_start", "a_end", "b_start", "b_end",
                                      "length", "kind", "passage_id"])
    return out[out["length"] >= min_chars].reset_index(drop=True)


def planted_share(texts: pd.DataFrame, truth: pd.DataFrame, *, sections=("s1", "s5")) -> pd.DataFrame:
    """The true template share of every report: characters shared with another agency / copied from itself.

    ``share_other`` counts characters of the report's narrative (``sections``, mandated wording excluded)
    that lie in a passage shared with another agency's report (as source or as copy); ``share_self`` counts
    characters copied from the agency's own earlier report. Returns ``doc_id, narrative_chars, other_chars,
    self_chars, share_other, share_self``.
    """
    sec = texts[texts["section"].isin(sections)]
    masks = {(r.doc_id, r.section): np.zeros(len(r.text), dtype=np.int8) for r in sec.itertuples()}
    for r in truth.itertuples():
        if r.section not in sections:
            continue
        if r.kind == "mandated":
            masks[(r.target_doc, r.section)][r.target_start:r.target_end] = -1
    for r in truth[truth["kind"] != "mandated"].itertuples():
        if r.section not in sections:
            continue
        bit = 2 if r.kind == "self" else 1
        m = masks[(r.target_doc, r.section)][r.target_start:r.target_end]
        m[(m >= 0)] |= bit
        if r.kind != "self":
            m = masks[(r.source_doc, r.section)][r.source_start:r.source_end]
            m[(m >= 0)] |= bit
    rows = {}
    for (doc, _s), m in masks.items():
        d = rows.setdefault(doc, [0, 0, 0])
        d[0] += int((m >= 0).sum())
        d[1] += int(((m > 0) & (m & 1 > 0)).sum())
        d[2] += int(((m > 0) & (m & 2 > 0)).sum())
    out = pd.DataFrame([(k, *v) for k, v in rows.items()],
                       columns=["doc_id", "narrative_chars", "other_chars", "self_chars"])
    out["share_other"] = out["other_chars"] / out["narrative_chars"].clip(lower=1)
    out["share_self"] = out["self_chars"] / out["narrative_chars"].clip(lower=1)
    return out


def _content_len(text: str) -> int:
    return len(re.findall(r"[0-9A-Za-z\u3400-\u9fff\uf900-\ufaff]", text))


def evaluate_passages(found: pd.DataFrame, truth_doc: pd.DataFrame, *, min_chars: int = 30,
                      min_overlap: float = 0.5) -> dict:
    """Passage-level recall and precision of ``found`` (from :func:`toolkit.shared_passages`) against the truth.

    ``truth_doc`` is the truth with document offsets (third output of :func:`assemble`). A planted passage
    of ``min_chars`` content characters or more is recalled when passages found for the same two reports
    cover at least ``min_overlap`` of it; a found passage is correct when at least ``min_overlap`` of it
    lies in planted passages (any length) of the same two reports. Returns ``recall, precision,
    n_truth, n_found, missed`` (frame of missed truth) and ``false`` (frame of wrong passages).
    """
    exp = expected_pairs(truth_doc)
    exp["content"] = [_content_len(t) for t in _expected_texts(truth_doc, exp)]

    def key(a, b):
        return (a, b) if a <= b else (b, a)

    by_pair: dict = {}
    for r in found.itertuples():
        by_pair.setdefault(key(r.doc_a, r.doc_b), []).append(r)
    hits = []
    for e in exp.itertuples():
        cover = 0
        for f in by_pair.get(key(e.doc_a, e.doc_b), []):
            s, t = (f.a_start, f.a_end) if f.doc_a == e.doc_a else (f.b_start, f.b_end)
            cover += max(0, min(t, e.a_end) - max(s, e.a_start))
        hits.append(cover >= min_overlap * (e.a_end - e.a_start))
    exp["hit"] = hits
    big = exp[exp["content"] >= min_chars]
    exp_by_pair: dict = {}
    for e in exp.itertuples():
        exp_by_pair.setdefault(key(e.doc_a, e.doc_b), []).append(e)
    ok = []
    for f in found.itertuples():
        cover = 0
        for e in exp_by_pair.get(key(f.doc_a, f.doc_b), []):
            s, t = (f.a_start, f.a_end) if f.doc_a == e.doc_a else (f.b_start, f.b_end)
            cover += max(0, min(t, e.a_end) - max(s, e.a_start))
        ok.append(cover >= min_overlap * (f.a_end - f.a_start))
    ok = np.asarray(ok, dtype=bool)
    return {"recall": float(big["hit"].mean()) if len(big) else float("nan"),
            "precision": float(ok.mean()) if len(ok) else float("nan"),
            "n_truth": int(len(big)), "n_found": int(len(found)),
            "missed": big[~big["hit"]], "false": found[~ok] if len(found) else found}


def _expected_texts(truth_doc, exp):
    t = truth_doc.set_index("passage_id")["text"]
    return [t[p] for p in exp["passage_id"]]
