"""Reuse on real reports (read by path from ../shared/corpora/real, never copied)."""
from __future__ import annotations

import itertools

import pandas as pd
import pytest

import toolkit as tk


@pytest.fixture(scope="module")
def corpus(real_dir):
    docs = tk.load_corpus(real_dir, progress=False)
    docs = docs[docs["status"] == "ok"].reset_index(drop=True)
    docs["name"] = docs["file"].str.rsplit("/", n=1).str[-1].str.rsplit(".", n=1).str[0]
    return docs, tk.sections(docs)


def _ids(docs, *names):
    by = dict(zip(docs["name"], docs["doc_id"]))
    return [by[n] for n in names]


def _quotes(passages, docs):
    full = docs.set_index("doc_id")["text"]
    for r in passages.itertuples():
        assert full[r.doc_a][r.a_start:r.a_end] == r.text_a
        assert full[r.doc_b][r.b_start:r.b_end] == r.text_b


def _pair(p, a, b):
    return p[((p.doc_a == a) & (p.doc_b == b)) | ((p.doc_a == b) & (p.doc_b == a))]


def test_county_and_zone_2011_are_the_top_pair_between_agencies(corpus):
    docs, secs = corpus
    pairs = tk.reuse(secs, documents=docs, level="document")
    between = pairs[(pairs.kind == "other") & pairs.agency_a.notna() & pairs.agency_b.notna()]
    top = between.iloc[0]
    assert {top.doc_a, top.doc_b} == set(_ids(docs, "pingtan_ptx_2011", "pingtan_syq_2011"))
    assert top.doc_jaccard > 0.8


def test_county_reports_copy_each_other(corpus):
    docs, secs = corpus
    ids = _ids(docs, "pingtan_ptx_2011", "pingtan_ptx_2012", "pingtan_ptx_2013")
    pairs = tk.reuse(secs, documents=docs, level="document")
    passages = tk.shared_passages(secs, documents=docs, progress=False)
    for a, b in itertools.combinations(ids, 2):
        row = _pair(pairs, a, b)
        assert len(row) == 1 and row.kind.iloc[0] == "self" and row.doc_jaccard.iloc[0] > 0.8
        shared = _pair(passages, a, b)
        assert shared["length_a"].sum() > 800
        _quotes(shared, docs)
    share = tk.template_share(secs, documents=docs).set_index("doc_id")
    assert share.loc[ids[1:], "share_self"].min() > 0.8
    assert share.loc[ids[0], "share_self"] == 0


def test_finance_bureau_copied_its_2020_report(corpus):
    docs, secs = corpus
    old, new = _ids(docs, "pingtan_czj_2020", "pingtan_czj_2021")
    passages = tk.shared_passages(secs, documents=docs, progress=False)
    shared = _pair(passages, old, new)
    assert len(shared) >= 3 and shared["length_b"].sum() > 1000
    assert (shared.source == old).all()
    _quotes(shared, docs)
    share = tk.template_share(secs, documents=docs, passages=passages).set_index("doc_id")
    assert share.loc[new, "share_self"] > 0.6


def _body_start(text: str) -> int:
    """Crawler text: header lines end at a 正文 marker line; elsewhere the body starts at 0."""
    i = text.find("正文 ====")
    return text.find("\n", i) + 1 if i >= 0 else 0


def test_departments_2021_share_passages_with_each_other_and_the_government(corpus):
    docs, secs = corpus
    depts = ["gaj", "gwh", "gyz", "hzs", "jjf", "czj"]
    ids = _ids(docs, *[f"pingtan_{d}_2021" for d in depts], "pingtan_syq_2021")
    sub = docs[docs.doc_id.isin(ids)]
    p = tk.shared_passages(sub, sections=None, progress=False)
    # narrative only: after the crawler header, outside the statistical tables (sections 二..四)
    body = dict(zip(sub.doc_id, sub.text.map(_body_start)))
    tables = secs[secs.doc_id.isin(ids) & secs.section.isin(["s2", "s3", "s4"])]

    def in_tables(doc, s):
        t = tables[tables.doc_id == doc]
        return bool(((t.start <= s) & (s < t.end)).any())

    keep = [r.a_start >= body[r.doc_a] and r.b_start >= body[r.doc_b]
            and not in_tables(r.doc_a, r.a_start) and not in_tables(r.doc_b, r.b_start) for r in p.itertuples()]
    narr = p[keep]
    _quotes(narr, sub)
    partners = {d: set() for d in ids}
    for r in narr.itertuples():
        partners[r.doc_a].add(r.doc_b)
        partners[r.doc_b].add(r.doc_a)
    assert all(partners[d] for d in ids), {d: len(v) for d, v in partners.items()}
    assert partners[ids[-1]] & set(ids[:-1])                    # the government's own report
    verbatim = narr.text_a.str.replace(r"\s", "", regex=True) == narr.text_b.str.replace(r"\s", "", regex=True)
    assert verbatim.any() and (~verbatim).any()                # some verbatim, some with small edits
