"""Benchmark of toolkit.reuse on SYNTHETIC narrative sections (about 2,000 characters each).

Sections are strings of clauses drawn from the phrase banks of ``toolkit.synth.narrative`` (a pool of
distinct clauses) mixed with short "specifics" (random runs of the banks' characters standing for the
names of places, projects and documents that real reports are full of), so that unrelated sections are
at least as similar as real ones (median Jaccard of 5-shingles 0.05; real s1 sections of the
shared corpus: 0.014, 90th percentile 0.044); ``dup_rate`` of them are edited copies of
another section (characters replaced at 0..15%, or half of the text replaced), which puts pairs on both
sides of Jaccard 0.5.

For every size and method it prints wall time and the peak resident memory of a fresh process
(``ru_maxrss``, data included), and the recall of the pairs above Jaccard ``--threshold`` found by
``reuse`` against exact brute force (all pairs, sparse products) where that runs; at 100,000 sections
the reference is the set of planted pairs whose exact Jaccard is above the threshold (at 10,000, brute
force shows that no other pair is). Brute-force TF-IDF cosine (scikit-learn, character 2-4-grams, all
pairs) runs next to it on the sizes where it still fits.

    .venv/bin/python bench/bench_reuse.py                 # 1,000 and 10,000 sections (a few minutes)
    .venv/bin/python bench/bench_reuse.py --large         # adds 100,000 sections (toolkit.reuse only)
    .venv/bin/python bench/bench_reuse.py --sizes 1000 --methods numpy,exact
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import time

import numpy as np
import pandas as pd


# ---------------------------------------------------------------- data
def make_sections(n: int, *, seed: int = 0, chars: int = 2000, dup_rate: float = 0.05):
    """SYNTHETIC sections and the planted copy pairs ``(source, copy)``."""
    from toolkit.synth import narrative as N

    rng = np.random.default_rng(seed)
    ctx = {"agency": "某某局", "self": "我局", "year": 2021}
    pool, seen = [], set()
    topics = list(N.CLAUSES)
    while len(pool) < 60000:
        topic = topics[int(rng.integers(len(topics)))]
        tpl = N.CLAUSES[topic][int(rng.integers(len(N.CLAUSES[topic])))]
        c = "".join(t for _, t in N._fill(tpl, rng, ctx))
        if c not in seen:
            seen.add(c)
            pool.append(c)
    pool = np.array(pool, dtype=object)
    # specifics (names of places, projects, documents): short runs of the banks' characters, so that
    # unrelated sections are about as alike as the more similar real pairs (see the module docstring)
    alphabet = np.array(sorted({ch for v in N.SLOTS.values() for w in v for ch in w if "\u4e00" <= ch <= "\u9fff"}))
    lens = rng.integers(4, 13, size=200000)
    flat = alphabet[rng.integers(0, len(alphabet), size=int(lens.sum()))]
    cuts = np.cumsum(lens)[:-1]
    specifics = np.array(["".join(x) for x in np.split(flat, cuts)], dtype=object)
    per = max(1, chars // 22)
    idx = rng.integers(0, len(pool), size=(n, per))
    spec = np.where(rng.random((n, per)) < 0.9, specifics[rng.integers(0, len(specifics), size=(n, per))], "")
    punct = np.where(rng.random((n, per)) < 0.3, "。", "，")
    texts = ["".join(a + c + b for a, c, b in zip(pool[row], sp, p)) for row, sp, p in zip(idx, spec, punct)]
    n_dup = int(dup_rate * n)
    src = rng.choice(n, size=n_dup, replace=False)
    dst = rng.choice(np.setdiff1d(np.arange(n), src), size=n_dup, replace=False)
    letters = np.array(list("的了和及等并在对为与将把由从"), dtype=object)
    for s, d in zip(src, dst):
        t = list(texts[s])
        if rng.random() < 0.2:                         # half of the text replaced
            h = len(t) // 2
            t[h:] = list(texts[d][h:])
        else:                                          # light to heavy character edits
            rate = rng.uniform(0, 0.15)
            for i in np.flatnonzero(rng.random(len(t)) < rate):
                t[i] = letters[int(rng.integers(len(letters)))]
        texts[d] = "".join(t)
    frame = pd.DataFrame({"doc_id": [f"s{i:06d}" for i in range(n)], "section": "s1", "text": texts})
    return frame, np.stack([src, dst], axis=1)


# ---------------------------------------------------------------- methods
def exact_pairs(frame, threshold, shingle=5):
    """All pairs with exact Jaccard >= threshold (sparse incidence products, in row blocks)."""
    from scipy import sparse
    from toolkit.reuse import shingle_sets

    sets = shingle_sets(frame["text"], shingle=shingle)
    lens = np.array([len(s) for s in sets])
    codes, col = np.unique(np.concatenate(sets), return_inverse=True)
    m = sparse.csr_matrix((np.ones(len(col), dtype=np.int32), (np.repeat(np.arange(len(sets)), lens), col)),
                          shape=(len(sets), len(codes)))
    mt = m.T.tocsc()
    out = []
    for lo in range(0, len(sets), 500):
        blk = (m[lo:lo + 500] @ mt).tocoo()
        i, j, inter = blk.row + lo, blk.col, blk.data
        keep = i < j
        i, j, inter = i[keep], j[keep], inter[keep]
        jac = inter / (lens[i] + lens[j] - inter)
        sel = jac >= threshold
        out.append(np.stack([i[sel], j[sel]], axis=1))
    return {tuple(p) for p in np.concatenate(out).tolist()}


def tfidf_bruteforce(frame, threshold=0.5):
    """All-pairs TF-IDF cosine on character 2-4-grams (scikit-learn), pairs above ``threshold``."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    x = TfidfVectorizer(analyzer="char", ngram_range=(2, 4), sublinear_tf=True, dtype=np.float32) \
        .fit_transform(frame["text"])
    n_pairs = 0
    for lo in range(0, x.shape[0], 1000):
        sim = (x[lo:lo + 1000] @ x.T).toarray()
        n_pairs += int((np.triu(sim, k=lo + 1) >= threshold).sum())
    return n_pairs


def run_one(method, n, seed, threshold, queue):
    from toolkit import reuse

    frame, planted = make_sections(n, seed=seed)
    t0 = time.perf_counter()
    if method in ("numpy", "datasketch"):
        p = reuse(frame, sections=None, threshold=threshold, backend=method, progress=False)
        ids = {d: i for i, d in enumerate(frame["doc_id"])}
        result = {"pairs": {tuple(sorted((ids[a], ids[b]))) for a, b, j in zip(p.doc_a, p.doc_b, p.jaccard)
                            if j >= threshold}}
    elif method == "exact":
        result = {"pairs": exact_pairs(frame, threshold)}
    elif method == "tfidf":
        result = {"n_pairs": tfidf_bruteforce(frame, threshold)}
    elif method == "planted":
        from toolkit.reuse import _intersections, shingle_sets

        sets = shingle_sets(frame["text"])
        pl = np.sort(planted, axis=1)
        inter = _intersections(sets, pl)
        la = np.array([len(sets[i]) for i in pl[:, 0]])
        lb = np.array([len(sets[j]) for j in pl[:, 1]])
        jac = inter / (la + lb - inter)
        result = {"pairs": {tuple(x) for x in pl[jac >= threshold].tolist()}}
    seconds = time.perf_counter() - t0
    result.update(seconds=seconds, peak_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    queue.put(result)


def measure(method, n, seed, threshold):
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    proc = ctx.Process(target=run_one, args=(method, n, seed, threshold, q))
    proc.start()
    res = q.get()
    proc.join()
    return res


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--large", action="store_true", help="also 100,000 sections (toolkit.reuse numpy only)")
    ap.add_argument("--methods", default="numpy,datasketch,exact,tfidf")
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")] + ([100000] if args.large else [])
    methods = args.methods.split(",")
    print(f"threshold Jaccard >= {args.threshold}, shingles of 5 content characters, num_perm 256, seed {args.seed}")
    print(f"{'sections':>9} {'method':<26} {'seconds':>9} {'peak MB':>9} {'pairs':>8} {'recall':>7}")
    for n in sizes:
        todo = [m for m in methods if n <= 10000 or m == "numpy"]
        if n > 10000:
            todo.append("planted")
        res = {m: measure(m, n, args.seed, args.threshold) for m in todo}
        ref = res.get("exact", res.get("planted"))
        ref_name = "exact" if "exact" in res else "planted (exact Jaccard)"
        for m, r in res.items():
            pairs = r.get("pairs")
            npairs = len(pairs) if pairs is not None else r.get("n_pairs")
            rec = ""
            if pairs is not None and ref is not None and m in ("numpy", "datasketch"):
                rec = f"{len(pairs & ref['pairs']) / max(1, len(ref['pairs'])):.3f}"
            label = {"numpy": "reuse (numpy MinHash LSH)", "datasketch": "reuse (datasketch LSH)",
                     "exact": "exact brute force Jaccard", "tfidf": "TF-IDF cos>=thr, brute",
                     "planted": "planted pairs, exact"}[m]
            print(f"{n:>9} {label:<26} {r['seconds']:>9.1f} {r['peak_mb']:>9.0f} {npairs:>8} {rec:>7}")
        if "numpy" in res and ref is not None:
            extra = len(res["numpy"]["pairs"] - ref["pairs"])
            print(f"{'':>9} recall reference: {ref_name}; reuse pairs not in the reference: {extra}")
        for m in ("datasketch", "exact", "tfidf"):
            if m in res and "numpy" in res:
                print(f"{'':>9} time ratio {m} / reuse-numpy: {res[m]['seconds'] / res['numpy']['seconds']:.1f}x")


if __name__ == "__main__":
    main()
