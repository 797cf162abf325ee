"""reuse (MinHash LSH + exact verification), similarity_matrix, reuse_clusters, template_share."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import toolkit as tk
from toolkit.reuse import shingle_sets, signatures
from toolkit.synth import narrative as N

AG = pd.DataFrame({"agency_id": [f"r{i:02d}" for i in range(16)],
                   "agency": [f"丁{i}市{k}" for i, k in zip(range(16), ["财政局", "教育局", "人民政府", "民政局"] * 4)],
                   "level": ["department", "department", "city", "department"] * 4})


@pytest.fixture(scope="module")
def synth():
    texts, truth = N.generate(AG, [2020, 2021], seed=5, n_families=2, family_size=3)
    docs, secs, tdoc = N.assemble(texts, truth)
    return texts, truth, docs, tdoc


def _mutate(text: str, rate: float, rng) -> str:
    chars = list(text)
    pool = "的了和及等并在对为与"
    for i in np.flatnonzero(rng.random(len(chars)) < rate):
        chars[i] = pool[int(rng.integers(len(pool)))]
    return "".join(chars)


@pytest.fixture(scope="module")
def near_dups(synth):
    """Sections plus edited copies at known edit rates (0.5%..20% of characters replaced)."""
    texts = synth[0]
    s1 = texts[texts.section == "s1"].reset_index(drop=True)
    rng = np.random.default_rng(0)
    rows = [{"doc_id": r.doc_id, "section": "s1", "text": r.text} for r in s1.itertuples()]
    for i, rate in enumerate([0.005, 0.01, 0.02, 0.05, 0.1, 0.2] * 3):
        src = s1.iloc[i]
        rows.append({"doc_id": f"copy{i}", "section": "s1", "text": _mutate(src.text, rate, rng)})
    return pd.DataFrame(rows)


def test_signatures_estimate_jaccard():
    rng = np.random.default_rng(1)
    base = rng.integers(0, 2**62, size=3000, dtype=np.uint64)
    sets = [np.unique(base[:2000]), np.unique(base[1000:3000])]      # true Jaccard 1000/3000
    est = [(signatures(sets, num_perm=256, seed=s)[0] == signatures(sets, num_perm=256, seed=s)[1]).mean()
           for s in range(5)]
    assert abs(np.mean(est) - 1 / 3) < 0.05


def test_short_texts_densified():
    sets = shingle_sets(["扎实推进政务公开", "扎实推进政务公开"], shingle=3)
    sig = signatures(sets, num_perm=128)
    assert (sig[0] == sig[1]).all() and len(np.unique(sig[0])) > 1


def test_minhash_recall_against_exact(near_dups):
    exact = tk.reuse(near_dups, sections=None, method="exact", threshold=0.5)
    lsh = tk.reuse(near_dups, sections=None, threshold=0.5)
    key = lambda f: set(zip(f.doc_a, f.doc_b))
    assert len(exact) >= 8
    assert len(key(exact) & key(lsh)) / len(key(exact)) >= 0.9   # bench_reuse.py measures it at scale
    strong = exact[exact.jaccard >= 0.6]
    assert key(strong) <= key(lsh)                          # far above the threshold: never missed
    assert key(lsh) <= key(exact)                          # verified exactly: no false pair
    both = exact.merge(lsh, on=["doc_a", "doc_b"], suffixes=("_e", "_m"))
    assert np.allclose(both.jaccard_e, both.jaccard_m)     # the reported scores are exact


def test_datasketch_backend_agrees(near_dups):
    a = tk.reuse(near_dups, sections=None, threshold=0.5)
    b = tk.reuse(near_dups, sections=None, threshold=0.5, backend="datasketch", progress=False)
    ka, kb = set(zip(a.doc_a, a.doc_b)), set(zip(b.doc_a, b.doc_b))
    assert len(ka & kb) >= 0.9 * max(len(ka), len(kb))


def test_pairs_columns_levels_and_direction(synth):
    texts, truth, docs, _ = synth
    secs = tk.sections(docs.assign(template="2021"))
    pairs = tk.reuse(secs, documents=docs, threshold=0.2, method="exact")
    for c in ("doc_a", "doc_b", "section_a", "jaccard", "containment_a", "containment_b", "doc_jaccard",
              "source", "same_agency", "kind", "agency_a", "year_b", "published_a"):
        assert c in pairs.columns
    assert (pairs.doc_a < pairs.doc_b).all()
    assert pairs["doc_jaccard"].is_monotonic_decreasing
    docs_level = tk.reuse(secs, documents=docs, threshold=0.2, method="exact", level="document")
    assert not docs_level.duplicated(["doc_a", "doc_b"]).any()
    # self copies of planted truth show up as same-agency pairs with the earlier year as source
    selfp = pairs[pairs.kind == "self"]
    if len(selfp):
        assert (selfp.source == np.where(selfp.year_a < selfp.year_b, selfp.doc_a, selfp.doc_b)).all()


def test_containment_threshold_finds_inclusion():
    long = "".join(N.generate(AG.head(2), [2021], seed=9)[0].query("section == 's1'").text)
    part = long[200:700]
    data = pd.DataFrame({"doc_id": ["big", "part"], "text": [long, part]})
    p = tk.reuse(data, sections=None, method="exact", threshold=0.8)
    assert len(p) == 1
    row = p.iloc[0]
    contained = row.containment_b if row.doc_b == "part" else row.containment_a
    assert contained > 0.9 and row.jaccard < 0.5


def test_similarity_matrix(near_dups):
    m = tk.similarity_matrix(near_dups.head(10), sections=None)
    assert m.shape == (10, 10)
    assert np.allclose(m.to_numpy(), m.to_numpy().T) and np.allclose(np.diag(m), 1)
    with pytest.raises(tk.ArgumentError):
        tk.similarity_matrix(near_dups, sections=None, max_docs=5)


def test_clusters_group_copy_families(synth):
    texts, truth, docs, tdoc = synth
    passages = tk.shared_passages(docs, progress=False)
    cl = tk.reuse_clusters(passages, score="chars")
    fam = truth[truth.kind == "family"]
    for _, g in fam.groupby("family"):
        members = set(g.target_doc) | set(g.source_doc)
        assert cl[cl.doc_id.isin(members)]["cluster"].nunique() == 1
    comm = tk.reuse_clusters(passages, score="chars", method="communities")
    assert set(comm.doc_id) == set(cl.doc_id)


def test_template_share_matches_planted_truth(synth):
    texts, truth, docs, _ = synth
    got = tk.template_share(docs).set_index("doc_id")
    want = N.planted_share(texts, truth).set_index("doc_id")
    assert (got.loc[want.index, "share_other"] - want["share_other"]).abs().max() <= 0.05
    assert (got.loc[want.index, "share_self"] - want["share_self"]).abs().max() <= 0.05
    assert got["share_other_earlier"].le(got["share_other"] + 1e-9).all()
    assert (got.loc[got.year == 2020, "share_self"] == 0).all()


def test_errors():
    d = pd.DataFrame({"doc_id": ["a"], "text": ["x"]})
    with pytest.raises(tk.ArgumentError):
        tk.reuse(d, threshold=0)
    with pytest.raises(tk.ArgumentError):
        tk.reuse(d, method="brute")
    with pytest.raises(tk.ArgumentError):
        signatures([], num_perm=100)
    assert tk.reuse(d, sections=None).empty
    assert tk.reuse_clusters(pd.DataFrame(columns=["doc_a", "doc_b"])).empty


def test_plots_draw_with_cjk_font(synth, tmp_path, recwarn):
    import matplotlib
    matplotlib.use("Agg")
    from toolkit import reuse_plots

    texts, truth, docs, _ = synth
    pairs = tk.reuse(docs, threshold=0.1, method="exact")
    shares = tk.template_share(docs)
    figs = [reuse_plots.similarity_heatmap(docs, documents=docs, max_docs=20),
            reuse_plots.agency_network(pairs, documents=docs),
            reuse_plots.share_distribution(shares, documents=docs, by="year")]
    for i, fig in enumerate(figs):
        fig.savefig(tmp_path / f"f{i}.png", dpi=60)
        assert fig.axes
    assert not [w for w in recwarn if "missing from font" in str(w.message)]
    with pytest.raises(tk.ArgumentError):
        reuse_plots.agency_network(pairs.iloc[:0])
