"""The SYNTHETIC narrative generator: determinism, truth spans, planted shares, distinct originals."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from toolkit.synth import narrative as N

AGENCIES = pd.DataFrame({
    "agency_id": [f"x{i:02d}" for i in range(12)],
    "agency": [f"乙{i}县{k}" for i, k in zip(range(12), ["财政局", "教育局", "人民政府", "卫生健康委员会"] * 3)],
    "level": ["department", "department", "county", "department"] * 3,
})


@pytest.fixture(scope="module")
def corpus():
    return N.generate(AGENCIES, [2020, 2021], seed=7, n_families=2, family_size=3)


def test_deterministic(corpus):
    texts, truth = corpus
    t2, tr2 = N.generate(AGENCIES, [2020, 2021], seed=7, n_families=2, family_size=3)
    pd.testing.assert_frame_equal(texts, t2)
    pd.testing.assert_frame_equal(truth, tr2)
    t3, _ = N.generate(AGENCIES, [2020, 2021], seed=8, n_families=2, family_size=3)
    assert not texts["text"].equals(t3["text"])


def test_shape_and_label(corpus):
    texts, truth = corpus
    assert len(texts) == 12 * 2 * 3
    assert texts["synthetic"].all()
    assert set(truth["kind"]) >= {"family", "pair", "self", "mandated"}
    assert (truth.loc[truth.kind == "mandated"].groupby("target_doc").size() == 1).all()


def test_truth_spans_quote_the_texts(corpus):
    texts, truth = corpus
    by = texts.set_index(["doc_id", "section"])["text"]
    for r in truth.itertuples():
        tgt = by[(r.target_doc, r.section)]
        assert tgt[r.target_start:r.target_end] == r.text
        if r.kind != "mandated":
            src = by[(r.source_doc, r.section)][r.source_start:r.source_end]
            # light edits only: same length give or take a few characters per edit
            assert abs(len(src) - r.length) <= 12
            if not r.edits:
                assert src == r.text


def test_edits_are_recorded(corpus):
    _, truth = corpus
    t = truth[truth.kind.isin(["pair", "family"])]
    assert t["edits"].str.contains("name").any()
    assert truth["edits"].str.contains("number|insert|drop|phrase").any()


def test_sources_published_first(corpus):
    texts, truth = corpus
    pub = texts.drop_duplicates("doc_id").set_index("doc_id")["published"]
    t = truth[truth.kind.isin(["pair", "family", "self"])]
    assert (pub[t.source_doc].to_numpy() <= pub[t.target_doc].to_numpy()).all()


def test_originals_distinct_across_agencies(corpus):
    """Outside planted and mandated spans, no 16-character run within a line (digits masked) is shared."""
    texts, truth = corpus
    masks = {(r.doc_id, r.section): np.ones(len(r.text), bool) for r in texts.itertuples()}
    for r in truth.itertuples():
        masks[(r.target_doc, r.section)][r.target_start:r.target_end] = False
        if r.kind != "mandated":
            masks[(r.source_doc, r.section)][r.source_start:r.source_end] = False
    owner: dict[str, str] = {}
    clashes = 0
    for r in texts.itertuples():
        m = masks[(r.doc_id, r.section)]
        t = re.sub(r"\d", "0", r.text)
        for i in range(len(t) - 15):
            if m[i:i + 16].all() and "\n" not in t[i:i + 16]:
                g = t[i:i + 16]
                if owner.setdefault(g, r.agency_id) != r.agency_id:
                    clashes += 1
    assert clashes == 0


def test_expected_pairs_and_share(corpus):
    texts, truth = corpus
    ep = N.expected_pairs(truth)
    fam = truth[truth.kind == "family"]
    n_members = fam.groupby("family").size()
    assert len(ep) == len(truth[truth.kind != "mandated"]) + int((n_members * (n_members - 1) // 2).sum())
    share = N.planted_share(texts, truth)
    assert share["share_other"].between(0, 1).all() and share["share_self"].between(0, 1).all()
    assert (share["share_other"] > 0).sum() >= 2 * 3  # families: source and members
    first_year = share["doc_id"].str.endswith("_2020")
    assert (share.loc[first_year, "share_self"] == 0).all()


def test_assemble_document_offsets(corpus):
    texts, truth = corpus
    docs, secs, tdoc = N.assemble(texts, truth)
    full = docs.set_index("doc_id")["text"]
    for r in secs.itertuples():
        assert full[r.doc_id][r.start:r.end] == r.text
    for r in tdoc.itertuples():
        assert full[r.target_doc][r.target_start:r.target_end] == r.text


def test_bad_arguments():
    with pytest.raises(ValueError, match="agency_id"):
        N.generate(pd.DataFrame({"name": ["a"]}), [2020], seed=0)
