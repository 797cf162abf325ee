"""Text reuse between reports at corpus scale: who copied what from whom.

:func:`reuse` finds every pair of report sections worth reporting: MinHash signatures over character
shingles of the content skeleton (CJK characters, letters, digits read as ``0``; see
:func:`toolkit.passages.skeleton`), locality-sensitive hashing (banding) for candidate pairs, then exact
verification (Jaccard and containment in both directions) at section and document level. The MinHash is
vectorized numpy (one-permutation hashing with densification); ``backend="datasketch"`` uses
datasketch's ``MinHash``/``MinHashLSH`` instead (same results up to sampling, much slower: see
``bench/bench_reuse.py``). :func:`similarity_matrix` gives TF-IDF cosine similarities for small corpora
(heatmaps); :func:`reuse_clusters` groups reports that share a source text.

Passages (:func:`shared_passages`) live in :mod:`toolkit.passages`, shares of copied text
(:func:`template_share`) in :mod:`toolkit.share`; both are re-exported here.
"""
from __future__ import annotations

import logging
from typing import Literal

import numpy as np
import pandas as pd

from .errors import ArgumentError, check_choice
from .passages import agency_key, kgram_hashes, publication_key, shared_passages, skeleton, units
from .share import template_share

__all__ = ["reuse", "shared_passages", "template_share", "reuse_clusters", "similarity_matrix", "signatures",
           "lsh_candidates"]
log = logging.getLogger(__name__)
_MASK32 = np.uint64(0xFFFFFFFF)


# ---------------------------------------------------------------- shingles and signatures
def shingle_sets(texts, *, shingle: int = 5) -> list[np.ndarray]:
    """Sorted unique 32-bit hashes of the character shingles of each text's content skeleton.

    32 bits keep memory at 4 bytes per shingle (100,000 sections of 2,000 characters: under 1 GB); a
    chance collision changes a Jaccard value by about 1e-6.
    """
    return [np.unique((kgram_hashes(skeleton(t)[0], shingle) >> np.uint64(32)).astype(np.uint32)) for t in texts]


def signatures(sets: list[np.ndarray], *, num_perm: int = 128, seed: int = 0) -> np.ndarray:
    """MinHash signatures (``len(sets) x num_perm``, uint32) by one-permutation hashing.

    Each shingle hash is re-mixed with ``seed``; its top bits choose one of ``num_perm`` bins and the
    bin keeps the smallest low 32 bits. Empty bins (short texts) borrow from the next non-empty bin
    (rotation densification), so equal fractions of equal bins estimate the Jaccard similarity.

    >>> s = shingle_sets(["我局扎实推进政务公开标准化规范化建设", "我局扎实推进政务公开标准化规范化建设"])
    >>> bool((signatures(s, num_perm=16)[0] == signatures(s, num_perm=16)[1]).all())
    True
    """
    if num_perm & (num_perm - 1):
        raise ArgumentError(f"num_perm={num_perm} must be a power of two (64, 128, 256)")
    bits = int(np.log2(num_perm))
    n = len(sets)
    top = np.iinfo(np.uint32).max
    sig = np.full((n, num_perm), top, dtype=np.uint32)
    if n == 0:
        return sig
    salt = np.uint64((seed * 0x9E3779B97F4A7C15 + 0x632BE59BD9B4E019) % (1 << 64))
    lens = np.fromiter((len(s) for s in sets), dtype=np.int64, count=n)
    flat = sig.reshape(-1)
    step = 2000
    for lo in range(0, n, step):
        hi = min(n, lo + step)
        h = np.concatenate(sets[lo:hi]).astype(np.uint64) if lens[lo:hi].sum() else np.zeros(0, dtype=np.uint64)
        doc = np.repeat(np.arange(lo, hi), lens[lo:hi])
        with np.errstate(over="ignore"):
            x = h ^ salt
            x = (x ^ (x >> np.uint64(31))) * np.uint64(0x94D049BB133111EB)
            x ^= x >> np.uint64(29)
        b = (x >> np.uint64(64 - bits)).astype(np.int64) if bits else np.zeros(len(x), dtype=np.int64)
        v = (x & _MASK32).astype(np.uint32)
        v[v == top] = top - 1                       # keep the sentinel for empty bins only
        np.minimum.at(flat, doc * num_perm + b, v)
    # rotation densification, only for rows with empty bins (short texts), in chunks to bound memory
    rows = np.flatnonzero((sig == top).any(axis=1) & (sig != top).any(axis=1))
    ar = np.arange(num_perm)
    for lo in range(0, len(rows), 5000):
        r = rows[lo:lo + 5000]
        block = sig[r].astype(np.uint64)
        empty = block == top
        idx = np.where(~empty, ar, num_perm * 2)
        idx2 = np.concatenate([idx, idx + num_perm], axis=1)
        nxt = np.minimum.accumulate(idx2[:, ::-1], axis=1)[:, ::-1][:, :num_perm] % num_perm
        dist = ((nxt - ar) % num_perm).astype(np.uint64)
        fill = (np.take_along_axis(block, nxt, axis=1) + dist * np.uint64(0x9E3779B1)) & _MASK32
        sig[r] = np.where(empty, np.minimum(fill, top - 1), block).astype(np.uint32)
    return sig


def _bands(threshold: float, num_perm: int, target: float = 0.97) -> tuple[int, int]:
    """Bands and rows: the most selective banding that still proposes a pair at ``threshold`` with
    probability ``target`` (pairs above the threshold are then found with at least that probability)."""
    for r in range(num_perm, 0, -1):
        b = num_perm // r
        if 1 - (1 - threshold ** r) ** b >= target:
            return b, r
    return num_perm, 1


def lsh_candidates(sig: np.ndarray, *, threshold: float, max_bucket: int = 5000) -> np.ndarray:
    """Candidate pairs ``(i, j), i < j`` sharing a band of their signatures (LSH banding)."""
    n, num_perm = sig.shape
    b, r = _bands(threshold, num_perm)
    mult = (np.arange(1, r + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)) | np.uint64(1)
    out = []
    for band in range(b):
        block = sig[:, band * r:(band + 1) * r].astype(np.uint64)
        with np.errstate(over="ignore"):
            key = (block * mult).sum(axis=1) ^ np.uint64(band)
        order = np.argsort(key, kind="stable")
        ks = key[order]
        brk = np.flatnonzero(np.diff(ks) != 0) + 1
        starts = np.concatenate([[0], brk])
        sizes = np.diff(np.concatenate([starts, [n]]))
        for st, sz in zip(starts[sizes > 1], sizes[sizes > 1]):
            if sz > max_bucket:
                log.warning("LSH bucket of %d near-identical sections truncated to %d", sz, max_bucket)
                sz = max_bucket
            members = np.sort(order[st:st + sz])
            ii, jj = np.triu_indices(sz, k=1)
            out.append(members[ii] * np.int64(n) + members[jj])
    if not out:
        return np.zeros((0, 2), dtype=np.int64)
    codes = np.unique(np.concatenate(out))
    return np.stack([codes // n, codes % n], axis=1)


def _estimate_filter(sig: np.ndarray, cand: np.ndarray, threshold: float, z: float = 5.0) -> np.ndarray:
    """Drop candidates whose MinHash estimate is more than ``z`` standard errors below the threshold."""
    if not len(cand):
        return cand
    floor = threshold - z * np.sqrt(threshold * (1 - threshold) / sig.shape[1])
    keep = np.empty(len(cand), dtype=bool)
    for lo in range(0, len(cand), 200000):
        c = cand[lo:lo + 200000]
        keep[lo:lo + 200000] = (sig[c[:, 0]] == sig[c[:, 1]]).mean(axis=1) >= floor
    return cand[keep]


def _intersections(sets, pairs) -> np.ndarray:
    inter = np.empty(len(pairs), dtype=np.int64)
    for t, (i, j) in enumerate(pairs):
        a, b = sets[i], sets[j]
        if len(a) > len(b):
            a, b = b, a
        if not len(a):
            inter[t] = 0
            continue
        pos = np.searchsorted(b, a)
        pos[pos >= len(b)] = 0
        inter[t] = int((b[pos] == a).sum()) if len(b) else 0
    return inter


def _exact_candidates(sets) -> np.ndarray:
    """Every pair sharing at least one shingle (sparse product; small corpora)."""
    from scipy import sparse

    lens = np.array([len(s) for s in sets])
    if not lens.sum():
        return np.zeros((0, 2), dtype=np.int64)
    codes, col = np.unique(np.concatenate(sets), return_inverse=True)
    row = np.repeat(np.arange(len(sets)), lens)
    m = sparse.csr_matrix((np.ones(len(row), dtype=np.int32), (row, col)), shape=(len(sets), len(codes)))
    co = sparse.triu(m @ m.T, k=1).tocoo()
    return np.stack([co.row, co.col], axis=1).astype(np.int64)


# ---------------------------------------------------------------- public
def reuse(data: pd.DataFrame, *, sections=("s1", "s5"), documents: pd.DataFrame | None = None,
          shingle: int = 5, threshold: float = 0.5, num_perm: int = 256,
          method: Literal["minhash", "exact"] = "minhash", backend: Literal["numpy", "datasketch"] = "numpy",
          level: Literal["section", "document"] = "section", seed: int = 0,
          progress: bool | None = None) -> pd.DataFrame:
    """Pairs of reports whose narrative sections are similar, with exact Jaccard and containment.

    Parameters
    ----------
    data : DataFrame
        Sections (``doc_id, section, text``) or documents (``doc_id, text``; split with
        :func:`toolkit.sections`).
    sections : tuple of str or None
        Sections compared (pre-2019 ``overview``/``problems`` count as ``s1``/``s5``); ``None`` for all.
    documents : DataFrame, optional
        Metadata (``agency, level, year, published``) when ``data`` is a sections frame.
    shingle : int
        Shingle length in content characters.
    threshold : float
        A section pair is reported when its Jaccard similarity or either containment reaches it. With
        ``method="minhash"`` candidates come from LSH tuned to this Jaccard threshold (and, with the numpy
        backend, candidates whose MinHash estimate is 5 standard errors below it are dropped), so pairs
        similar only by containment may be missed (use ``method="exact"`` on small corpora).
    num_perm : int
        MinHash size (power of two). LSH bands are chosen so that a pair at ``threshold`` becomes a
        candidate with probability 0.97 (higher above it).
    method : {"minhash", "exact"}
        LSH candidates, or every pair sharing a shingle (sparse product; thousands of sections at most).
    backend : {"numpy", "datasketch"}
        MinHash implementation for ``method="minhash"``.
    level : {"section", "document"}
        One row per section pair, or per document pair (its best section pair).
    seed : int
        Seed of the hash functions.
    progress : bool, optional
        Progress bar for the datasketch backend (default: on a terminal).

    Returns
    -------
    DataFrame
        ``doc_a, doc_b, section_a, section_b, jaccard, containment_a`` (share of a's shingles found in b),
        ``containment_b, doc_jaccard, doc_containment_a, doc_containment_b`` (all narrative sections of
        each report together), ``score`` (``jaccard``), ``method``, ``source`` (the report published
        first, when dates or years tell), ``same_agency``, ``kind`` (``"self"``: the same agency in another
        year; ``"same_report"``: same year and doc_jaccard >= 0.98 without conflicting agencies, i.e. one
        report in two files; ``"other"``: reuse between agencies) and the metadata of both sides
        (``agency_a/_b, level_a/_b, year_a/_b, published_a/_b``), sorted by ``doc_jaccard`` then
        ``jaccard``, highest first.

    Examples
    --------
    >>> import pandas as pd
    >>> s = "我局扎实推进政务公开标准化规范化建设，全年发布信息1234条，其中政策文件56条，解读材料12篇。"
    >>> docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "text": [s, s.replace("我局", "我委"), "完全不同的一段文字内容，没有任何相同之处。"]})
    >>> reuse(docs, sections=None)[["doc_a", "doc_b"]].values.tolist()
    [['a', 'b']]
    """
    check_choice("method", method, ("minhash", "exact"))
    check_choice("backend", backend, ("numpy", "datasketch"))
    check_choice("level", level, ("section", "document"))
    if not 0 < threshold <= 1:
        raise ArgumentError(f"threshold={threshold!r} must be in (0, 1]")
    u = units(data, sections=sections, documents=documents)
    sets = shingle_sets(u["text"], shingle=shingle)
    if method == "exact":
        cand = _exact_candidates(sets)
    elif backend == "datasketch":
        cand = _datasketch_candidates(sets, threshold=threshold, num_perm=num_perm, seed=seed, progress=progress)
    else:
        sig = signatures(sets, num_perm=num_perm, seed=seed)
        cand = lsh_candidates(sig, threshold=threshold)
        cand = _estimate_filter(sig, cand, threshold)
    docs = u["doc_id"].to_numpy()
    cand = cand[docs[cand[:, 0]] != docs[cand[:, 1]]] if len(cand) else cand
    inter = _intersections(sets, cand)
    la = np.array([len(sets[i]) for i in cand[:, 0]], dtype=float) if len(cand) else np.zeros(0)
    lb = np.array([len(sets[j]) for j in cand[:, 1]], dtype=float) if len(cand) else np.zeros(0)
    with np.errstate(invalid="ignore", divide="ignore"):
        jac = inter / (la + lb - inter)
        ca, cb = inter / la, inter / lb
    keep = (jac >= threshold) | (ca >= threshold) | (cb >= threshold)
    cand, jac, ca, cb = cand[keep], jac[keep], ca[keep], cb[keep]
    out = pd.DataFrame({"doc_a": docs[cand[:, 0]], "doc_b": docs[cand[:, 1]],
                        "section_a": u["section"].to_numpy()[cand[:, 0]],
                        "section_b": u["section"].to_numpy()[cand[:, 1]],
                        "jaccard": jac.round(4), "containment_a": ca.round(4), "containment_b": cb.round(4)})
    swap = out["doc_a"] > out["doc_b"]
    out.loc[swap, ["doc_a", "doc_b", "section_a", "section_b", "containment_a", "containment_b"]] = \
        out.loc[swap, ["doc_b", "doc_a", "section_b", "section_a", "containment_b", "containment_a"]].to_numpy()
    out = out.join(_doc_scores(u, sets, out), on=["doc_a", "doc_b"])
    out["score"] = out["jaccard"]
    out["method"] = f"{method}-{backend}" if method == "minhash" else method
    out = _with_meta(out, u)
    out = out.sort_values(["doc_jaccard", "jaccard", "doc_a", "doc_b"], ascending=[False, False, True, True])
    if level == "document":
        out = out.drop_duplicates(["doc_a", "doc_b"])
    return out.reset_index(drop=True)


def _doc_scores(u, sets, pairs) -> pd.DataFrame:
    cols = ["doc_jaccard", "doc_containment_a", "doc_containment_b"]
    if not len(pairs):
        return pd.DataFrame(columns=cols, index=pd.MultiIndex.from_tuples([], names=["doc_a", "doc_b"]))
    need = set(pairs["doc_a"]) | set(pairs["doc_b"])
    by_doc = {}
    for d, idx in u.groupby("doc_id").indices.items():
        if d in need:
            by_doc[d] = np.unique(np.concatenate([sets[i] for i in idx]))
    dp = pairs[["doc_a", "doc_b"]].drop_duplicates().to_numpy()
    keys = list(by_doc)
    pos = {d: i for i, d in enumerate(keys)}
    arr = [by_doc[d] for d in keys]
    idx_pairs = np.array([[pos[a], pos[b]] for a, b in dp], dtype=np.int64)
    inter = _intersections(arr, idx_pairs).astype(float)
    la = np.array([len(arr[i]) for i in idx_pairs[:, 0]], dtype=float)
    lb = np.array([len(arr[j]) for j in idx_pairs[:, 1]], dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        res = pd.DataFrame({"doc_jaccard": (inter / (la + lb - inter)).round(4),
                            "doc_containment_a": (inter / la).round(4), "doc_containment_b": (inter / lb).round(4)},
                           index=pd.MultiIndex.from_arrays([dp[:, 0], dp[:, 1]], names=["doc_a", "doc_b"]))
    return res


def _with_meta(out: pd.DataFrame, u: pd.DataFrame) -> pd.DataFrame:
    per = u.drop_duplicates("doc_id").set_index("doc_id")
    key = publication_key(u.drop_duplicates("doc_id")).set_axis(per.index)
    if out.empty:  # no pairs (or no documents): the same columns, no rows
        key = key.astype(object)
    ka, kb = out["doc_a"].map(key), out["doc_b"].map(key)
    src = np.where(ka < kb, out["doc_a"], np.where(kb < ka, out["doc_b"], None))
    out["source"] = pd.Series(src, index=out.index, dtype=object).where(ka.notna() & kb.notna(), None)
    ag = agency_key(u.drop_duplicates("doc_id")).set_axis(per.index)
    out["same_agency"] = out["doc_a"].map(ag).to_numpy() == out["doc_b"].map(ag).to_numpy()
    for c in ("agency", "level", "year", "published"):
        if c in per.columns:
            out[f"{c}_a"] = out["doc_a"].map(per[c])
            out[f"{c}_b"] = out["doc_b"].map(per[c])
    # the same report twice (two files or formats): same year, nearly identical, no conflicting agency
    same_year = out["year_a"].eq(out["year_b"]).fillna(False).to_numpy() if "year_a" in out else False
    known = out["agency_a"].notna() & out["agency_b"].notna() if "agency_a" in out else pd.Series(False, out.index)
    conflict = (known & (out.get("agency_a") != out.get("agency_b"))).to_numpy() if "agency_a" in out else False
    dup = same_year & (out["doc_jaccard"].to_numpy() >= 0.98) & ~conflict
    out["kind"] = np.where(dup, "same_report", np.where(out["same_agency"], "self", "other"))
    return out


def _datasketch_candidates(sets, *, threshold, num_perm, seed, progress) -> np.ndarray:
    from datasketch import MinHash, MinHashLSH

    from toolkit.progress import bar

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, params=_bands(threshold, num_perm))
    mhs = []
    for i, s in enumerate(bar(sets, progress=progress, desc="minhash", unit="section")):
        m = MinHash(num_perm=num_perm, seed=seed)
        if len(s):
            m.update_batch(s.astype(np.uint32).view(np.uint8).reshape(-1, 4))
        lsh.insert(i, m)
        mhs.append(m)
    pairs = {(min(i, j), max(i, j)) for i, m in enumerate(mhs) for j in lsh.query(m) if j != i}
    return np.array(sorted(pairs), dtype=np.int64).reshape(-1, 2)


def similarity_matrix(data: pd.DataFrame, *, sections=("s1", "s5"), documents: pd.DataFrame | None = None,
                      ngram_range: tuple[int, int] = (2, 4), max_docs: int = 3000) -> pd.DataFrame:
    """TF-IDF cosine similarity between reports (character n-grams of the narrative), for heatmaps.

    Returns a square frame indexed by ``doc_id`` on both axes. Meant for small corpora (``max_docs``).

    >>> import pandas as pd
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "text": ["扎实推进政务公开", "扎实推进政务公开工作"]})
    >>> m = similarity_matrix(docs, sections=None)
    >>> m.shape, bool(m.loc["a", "b"] > 0.5)
    ((2, 2), True)
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    u = units(data, sections=sections, documents=documents)
    per_doc = u.groupby("doc_id", sort=True)["text"].apply(
        lambda ts: "\n".join("".join(map(chr, skeleton(t)[0].astype(np.uint32))) for t in ts))
    if len(per_doc) > max_docs:
        raise ArgumentError(f"similarity_matrix is for small corpora: {len(per_doc)} reports > max_docs={max_docs}; "
                            "use reuse() for large corpora or raise max_docs")
    if not len(per_doc):
        return pd.DataFrame()
    x = TfidfVectorizer(analyzer="char", ngram_range=ngram_range, sublinear_tf=True).fit_transform(per_doc)
    sim = (x @ x.T).toarray()
    np.fill_diagonal(sim, 1.0)
    return pd.DataFrame(sim.round(4), index=per_doc.index, columns=per_doc.index)


def reuse_clusters(pairs: pd.DataFrame, *, min_score: float = 0.0, score: str = "doc_jaccard",
                   method: Literal["components", "communities"] = "components", seed: int = 0) -> pd.DataFrame:
    """Groups of reports that share a source text: connected components (or Louvain communities).

    Parameters
    ----------
    pairs : DataFrame
        From :func:`reuse` (or :func:`shared_passages`): ``doc_a, doc_b`` and a score column.
    min_score : float
        Pairs below this ``score`` are ignored.
    score : str
        Column used as edge weight (``doc_jaccard``, else ``jaccard``/``score``/``chars`` if missing).
    method : {"components", "communities"}
        Connected components, or Louvain communities (networkx, seeded) inside them.

    Returns
    -------
    DataFrame
        ``doc_id, cluster`` (0 = the largest group), ``size``, ``source`` (earliest published report of the
        group when ``published_a/_b`` or ``year_a/_b`` are present), ``degree``.

    >>> import pandas as pd
    >>> p = pd.DataFrame({"doc_a": ["a", "a", "x"], "doc_b": ["b", "c", "y"], "doc_jaccard": [0.9, 0.8, 0.7]})
    >>> reuse_clusters(p).groupby("cluster")["doc_id"].apply(list).tolist()
    [['a', 'b', 'c'], ['x', 'y']]
    """
    import networkx as nx

    check_choice("method", method, ("components", "communities"))
    cols = ["doc_id", "cluster", "size", "source", "degree"]
    if pairs is None or not len(pairs):
        return pd.DataFrame(columns=cols)
    col = next((c for c in (score, "doc_jaccard", "jaccard", "score", "chars") if c in pairs.columns), None)
    p = pairs if col is None else pairs[pd.to_numeric(pairs[col], errors="coerce").fillna(0) >= min_score]
    g = nx.Graph()
    for r in p.itertuples(index=False):
        w = float(getattr(r, col)) if col else 1.0
        a, b = str(r.doc_a), str(r.doc_b)
        if g.has_edge(a, b):
            g[a][b]["weight"] = max(g[a][b]["weight"], w)
        else:
            g.add_edge(a, b, weight=w)
    groups = list(nx.connected_components(g))
    if method == "communities":
        groups = [c for comp in groups for c in nx.community.louvain_communities(g.subgraph(comp), seed=seed)]
    groups.sort(key=lambda c: (-len(c), min(c)))
    when = _when(p)
    rows = []
    for k, comp in enumerate(groups):
        dated = [d for d in comp if d in when]
        src = min(dated, key=lambda d: (when[d], d)) if dated else None
        rows += [(d, k, len(comp), src, g.degree(d)) for d in sorted(comp)]
    return pd.DataFrame(rows, columns=cols)


def _when(p: pd.DataFrame) -> dict:
    """Earliest known publication key of every document in a pairs frame (date, else report year)."""
    out = {}
    for side in ("a", "b"):
        frame = pd.DataFrame({c: p[f"{c}_{side}"] for c in ("published", "year") if f"{c}_{side}" in p.columns})
        if frame.empty:
            continue
        for d, t in zip(p[f"doc_{side}"], publication_key(frame)):
            if pd.notna(t) and (d not in out or t < out[d]):
                out[d] = t
    return out
