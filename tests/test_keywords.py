"""Keywords: lexicon, tokenizer, term counts, keyness statistics, concordances."""
from __future__ import annotations

import math

import pandas as pd
import pytest

import toolkit as tk
from toolkit.errors import ArgumentError
from toolkit.tokenizer import _read_tsv, get_engine, lexicon, stopwords

# sentence frames around a term; chosen so that the neighbours never form a lexicon word with it
CONTEXTS = ("我们认为{}很重要", "关于{}有关问题", "今年{}的情况")


def _normalize(text: str) -> str:
    try:
        from toolkit.normalize import normalize
    except ImportError:  # pragma: no cover - normalize lands in another branch
        return text
    return normalize(text)


# ---------------------------------------------------------------- lexicon and stopwords
def test_lexicon_has_300_distinct_terms_with_columns():
    rows = _read_tsv("lexicon.tsv")
    assert set(rows[0]) == {"term", "freq", "pos", "category"}
    terms = [r["term"] for r in rows]
    assert len(terms) >= 300 and len(set(terms)) == len(terms)
    for must in ("政府信息公开", "依申请公开", "不予公开", "三安全一稳定", "过程性信息", "政务新媒体", "政策解读",
                 "行政复议", "信息处理费", "主动公开", "政府信息公开指南", "12345热线", "行政规范性文件", "政府开放日"):
        assert must in terms
    assert all(int(r["freq"]) > 0 and r["pos"] and r["category"] for r in rows)


def test_stopwords_say_where_each_word_comes_from():
    rows = _read_tsv("stopwords.tsv")
    assert {r["source"] for r in rows} == {"function_word", "report_boilerplate"}
    assert {"的", "年度", "报告", "情况"} <= stopwords()
    assert not stopwords() & {t.term for t in lexicon()}, "a lexicon term must not be a stopword"


@pytest.mark.parametrize("backend", ["native", "rjieba", "jieba"])
def test_every_lexicon_term_is_one_token_in_context(backend):
    engine = get_engine(backend)
    failures = [
        (t.term, frame, engine.cut(frame.format(t.term), False))
        for t in lexicon()
        for frame in CONTEXTS
        if t.term not in engine.cut(frame.format(t.term), False)
    ]
    assert not failures, failures[:10]


def test_lexicon_terms_survive_tokenize_with_hmm():
    docs = pd.DataFrame({"doc_id": ["x"], "text": ["今年依申请公开答复中涉及三安全一稳定的过程性信息均不予公开。"]})
    terms = tk.tokenize(docs, hmm=True, backend="jieba")["term"].tolist()
    assert {"依申请公开答复", "三安全一稳定", "过程性信息", "不予公开"} <= set(terms)


def test_global_jieba_dictionary_untouched():
    import jieba

    jieba.initialize()
    before = (len(jieba.dt.FREQ), jieba.dt.total, dict(jieba.dt.user_word_tag_tab))
    docs = pd.DataFrame({"doc_id": ["x"], "text": ["本机关依申请公开政府信息，接诉即办。"]})
    for backend in ("jieba", "rjieba"):
        tk.tokenize(docs, backend=backend, extra_terms=["接诉即办"], pos="n")
    tk.tokenize(docs, backend="native", extra_terms=["接诉即办"])
    assert (len(jieba.dt.FREQ), jieba.dt.total, dict(jieba.dt.user_word_tag_tab)) == before
    assert "依申请公开" not in jieba.dt.FREQ and "接诉即办" not in jieba.dt.FREQ
    assert "依申请公开" not in jieba.lcut("本机关依申请公开政府信息", HMM=False)


# -------------------------------------------------------------------------- tokenize
def _docs():
    return pd.DataFrame({
        "doc_id": ["a", "b", "c"],
        "text": ["本机关依申请公开政府信息12件。全年收到行政复议2件",
                 "",
                 "全年主动公开政府信息200条，政策解读5篇。政府信息公开指南已更新。"],
    })


def test_tokenize_columns_offsets_and_filters():
    docs = _docs()
    toks = tk.tokenize(docs)
    assert list(toks.columns) == ["doc_id", "section", "position", "term", "start", "end"]
    texts = dict(zip(docs["doc_id"], docs["text"]))
    assert all(texts[d][s:e] == t for d, s, e, t in zip(toks["doc_id"], toks["start"], toks["end"], toks["term"]))
    terms = set(toks["term"].astype(str))
    assert {"依申请公开", "行政复议", "政府信息公开指南"} <= terms
    assert not terms & {"的", "12", "，", "。", "件"}  # stopwords, numbers, punctuation dropped
    assert toks.groupby("doc_id", observed=True)["position"].apply(lambda p: p.is_monotonic_increasing).all()
    kept_all = tk.tokenize(docs, drop_stopwords=False)
    assert {"12", "。", "件"} <= set(kept_all["term"].astype(str))
    assert not any(t.isspace() for t in kept_all["term"].astype(str))


def test_tokenize_backends_and_workers_agree():
    docs = pd.concat([_docs()] * 4, ignore_index=True).assign(doc_id=lambda d: [f"d{i}" for i in range(len(d))])
    ref = tk.tokenize(docs, backend="jieba")
    pd.testing.assert_frame_equal(tk.tokenize(docs, backend="rjieba"), ref)
    pd.testing.assert_frame_equal(tk.tokenize(docs, backend="rjieba", workers=2), ref)
    pd.testing.assert_frame_equal(tk.tokenize(docs), ref)  # native
    pd.testing.assert_frame_equal(tk.tokenize(docs, workers=2), ref)  # native in two threads
    pd.testing.assert_frame_equal(tk.tokenize(docs, pos="n", backend="jieba"), tk.tokenize(docs, pos="n", workers=2))


def test_many_batches_merge_to_the_same_frame(monkeypatch):
    """Corpora larger than one batch are cut batch by batch (threads or processes) and merged."""
    import toolkit.segmentation as kw

    docs = pd.concat([_docs()] * 30, ignore_index=True).assign(doc_id=lambda d: [f"d{i}" for i in range(len(d))])
    ref = tk.tokenize(docs, backend="jieba")
    monkeypatch.setattr(kw, "_BATCH_CHARS", 100)
    assert len(kw._batch_edges(docs["text"].tolist(), 1)) > 15
    for backend in ("native", "rjieba"):
        for workers in (1, 2):
            pd.testing.assert_frame_equal(tk.tokenize(docs, backend=backend, workers=workers), ref)


def test_extra_terms_and_stopwords_and_pos():
    docs = pd.DataFrame({"doc_id": ["a"], "text": ["推行接诉即办机制，做好政策解读工作。"]})
    assert "接诉即办" not in set(tk.tokenize(docs)["term"].astype(str))
    with_term = tk.tokenize(docs, extra_terms=[("接诉即办", 3000, "nz")], extra_stopwords=["机制"])
    assert "接诉即办" in set(with_term["term"].astype(str)) and "机制" not in set(with_term["term"].astype(str))
    nouns = tk.tokenize(docs, pos=["n", "vn"], extra_terms=[("接诉即办", 3000, "nz")])
    assert "pos" in nouns.columns and all(p.startswith(("n", "vn")) for p in nouns["pos"].astype(str))
    assert "推行" not in set(nouns["term"].astype(str))


def test_sections_input_keeps_document_offsets_and_filters():
    text = "一、总体情况\n本机关主动公开政府信息。\n五、存在的主要问题及改进情况\n政策解读不够。"
    cut = text.index("五、")
    secs = pd.DataFrame({"doc_id": ["a", "a"], "section": ["s1", "s5"], "start": [0, cut],
                         "text": [text[:cut], text[cut:]]})
    toks = tk.tokenize(secs, sections=["s5"])
    assert set(toks["section"].astype(str)) == {"s5"}
    assert all(text[s:e] == t for s, e, t in zip(toks["start"], toks["end"], toks["term"].astype(str)))
    assert "政策解读" in set(toks["term"].astype(str))


def test_bad_arguments_raise_argument_error():
    with pytest.raises(ArgumentError, match="backend"):
        tk.tokenize(_docs(), backend="spacy")
    with pytest.raises(ArgumentError, match="text"):
        tk.tokenize(pd.DataFrame({"doc_id": ["a"]}))
    with pytest.raises(ArgumentError, match="workers"):
        tk.tokenize(_docs(), workers=0)
    with pytest.raises(ArgumentError, match="extra_terms"):
        tk.tokenize(_docs(), extra_terms="接诉即办")
    with pytest.raises(ArgumentError, match="native"):
        tk.tokenize(_docs(), backend="native", pos="n")


def test_traditional_and_simplified_report_count_the_same(seed_path):
    opencc = pytest.importorskip("opencc")
    original = seed_path.read_text(encoding="utf-8")
    converted = opencc.OpenCC("t2s").convert(original)
    assert converted != original  # the seed really is traditional
    docs = pd.DataFrame({"doc_id": ["r", "r"], "text": [_normalize(original), _normalize(converted)]})
    counts = [tk.count_terms(tk.tokenize(docs.iloc[[i]]))[["term", "n"]].reset_index(drop=True) for i in (0, 1)]
    pd.testing.assert_frame_equal(counts[0], counts[1])
    assert counts[0].set_index("term").loc["主动公开", "n"] > 0


def test_input_not_mutated():
    docs = _docs()
    copy = docs.copy()
    tk.tokenize(docs)
    tk.kwic(docs, "政府信息")
    pd.testing.assert_frame_equal(docs, copy)


# ---------------------------------------------------------------------- count_terms
def test_count_terms_tf_df_idf():
    toks = pd.DataFrame({"doc_id": ["a", "a", "a", "b", "c", "c"],
                         "term": ["政策解读", "行政复议", "行政复议", "政策解读", "政策解读", "信息处理费"]})
    counts = tk.count_terms(toks).set_index(["doc_id", "term"])
    assert counts.loc[("a", "行政复议"), "n"] == 2
    assert counts.loc[("a", "行政复议"), "tf"] == pytest.approx(2 / 3)
    assert (counts.xs("政策解读", level="term")["idf"] == 0).all()  # in every document
    assert (counts.xs("政策解读", level="term")["tf_idf"] == 0).all()
    assert counts.loc[("c", "信息处理费"), "idf"] == pytest.approx(math.log(3 / 1))
    assert counts.loc[("a", "行政复议"), "df"] == 1
    assert counts.groupby(level="doc_id")["tf"].sum().tolist() == pytest.approx([1, 1, 1])


def test_count_terms_by_document_metadata():
    toks = tk.tokenize(_docs())
    docs = _docs().assign(year=[2019, 2020, 2020])
    counts = tk.count_terms(toks, by="year", documents=docs)
    assert list(counts.columns[:2]) == ["year", "term"]
    assert counts.loc[(counts["year"] == 2020) & (counts["term"] == "政府信息"), "n"].item() == 1
    with pytest.raises(ArgumentError, match="documents"):
        tk.count_terms(toks, by="year")


def test_count_terms_by_metadata_equals_a_join_row_by_row():
    """Metadata is mapped per distinct doc_id: same frame as joining every token row, also with a
    document missing from `documents` (its group is missing) and with plain (non-categorical) columns."""
    toks = tk.tokenize(pd.concat([_docs(), _docs().assign(doc_id=["x", "y", "z"])], ignore_index=True))
    docs = pd.DataFrame({"doc_id": ["a", "b", "c", "x", "y"], "year": [2019, 2020, 2020, 2021, 2019],
                         "level": ["city", None, "county", "city", "county"]})
    for tokens in (toks, toks.astype({"doc_id": object, "term": object})):
        joined = tokens.assign(doc_id=tokens["doc_id"].astype(object)).merge(docs, on="doc_id", how="left")
        for by in ("year", ["level", "year"]):
            got = tk.count_terms(tokens, by=by, documents=docs)
            want = tk.count_terms(joined, by=by)
            pd.testing.assert_frame_equal(got, want, check_dtype=False)


# -------------------------------------------------------------------------- keyness
def _hand_table():
    # target: 100 tokens (x 20, y 5, other 75); reference: 200 tokens (x 10, y 30, other 160)
    return pd.DataFrame({"group": ["t", "t", "t", "r", "r", "r"],
                         "term": ["x", "y", "z", "x", "y", "z"],
                         "n": [20, 5, 75, 10, 30, 160]})


def test_keyness_equals_hand_computed_values():
    k = tk.keyness(_hand_table(), target="t", reference="r", min_freq=1, correction=None).set_index("term")
    # x: a=20, b=10, c=80, d=190, N=300; expected 10, 20, 90, 180
    g2 = 2 * (20 * math.log(20 / 10) + 10 * math.log(10 / 20) + 80 * math.log(80 / 90) + 190 * math.log(190 / 180))
    chi = 300 * (abs(20 * 190 - 10 * 80) - 150) ** 2 / (30 * 270 * 100 * 200)
    assert k.loc["x", "g2"] == pytest.approx(g2, rel=1e-12) == pytest.approx(15.5632, abs=1e-4)
    assert k.loc["x", "chi2_yates"] == pytest.approx(chi) == pytest.approx(15.0417, abs=1e-4)
    assert k.loc["x", "p_g2"] == pytest.approx(math.erfc(math.sqrt(g2 / 2)))  # chi² sf, 1 dof
    assert k.loc["x", "p_chi2"] == pytest.approx(math.erfc(math.sqrt(chi / 2)))
    assert k.loc["x", "log_ratio"] == pytest.approx(2.0)  # (20/100) / (10/200) = 4
    assert k.loc["x", "rate_target"] == pytest.approx(2000.0)  # per 10,000 tokens
    assert k.loc["y", "keyness"] < 0 < k.loc["x", "keyness"]
    assert k.loc["x", "p_adj"] == k.loc["x", "p_g2"]  # correction=None


def test_keyness_matches_scipy_contingency():
    stats = pytest.importorskip("scipy.stats")
    k = tk.keyness(_hand_table(), target="t", min_freq=1).set_index("term")
    for term, (a, b) in {"x": (20, 10), "y": (5, 30), "z": (75, 160)}.items():
        table = [[a, b], [100 - a, 200 - b]]
        g2 = stats.chi2_contingency(table, correction=False, lambda_="log-likelihood")[0]
        chi = stats.chi2_contingency(table, correction=True)[0]
        assert k.loc[term, "g2"] == pytest.approx(g2)
        assert k.loc[term, "chi2_yates"] == pytest.approx(chi)


def test_keyness_corrections():
    base = tk.keyness(_hand_table(), target="t", min_freq=1, correction=None).set_index("term")
    bonf = tk.keyness(_hand_table(), target="t", min_freq=1, correction="bonferroni").set_index("term")
    bh = tk.keyness(_hand_table(), target="t", min_freq=1, correction="fdr_bh").set_index("term")
    p = base["p_g2"].sort_values()
    assert bonf["p_adj"].to_dict() == pytest.approx((base["p_g2"] * 3).clip(upper=1).to_dict())
    m = len(p)
    raw = [p.iloc[i] * m / (i + 1) for i in range(m)]
    expected = [min(1.0, min(raw[i:])) for i in range(m)]
    assert [bh.loc[t, "p_adj"] for t in p.index] == pytest.approx(expected)


def test_keyness_selection_forms_and_sorting():
    table = _hand_table().assign(year=[2024] * 3 + [2019] * 3)
    by_value = tk.keyness(table, target=2024, reference=2019, by="year", min_freq=1)
    by_dict = tk.keyness(table, target={"year": 2024}, reference={"year": [2019]}, min_freq=1)
    by_mask = tk.keyness(table, target=table["year"].eq(2024), min_freq=1)
    by_func = tk.keyness(table, target=lambda c: c["group"] == "t", min_freq=1)
    for other in (by_dict, by_mask, by_func):
        pd.testing.assert_frame_equal(by_value, other)
    assert by_value["keyness"].is_monotonic_decreasing
    assert by_value["term"].tolist()[0] == "x" and by_value["term"].tolist()[-1] == "y"
    assert tk.keyness(table, target=2024, by="year", min_freq=31)["term"].tolist() == ["z", "y"]
    with pytest.raises(ArgumentError, match="by="):
        tk.keyness(table, target=2024)
    with pytest.raises(ArgumentError, match="overlap"):
        tk.keyness(table, target={"year": 2024}, reference={"group": "t"})
    with pytest.raises(ArgumentError, match="correction"):
        tk.keyness(table, target=2024, by="year", correction="holm")


# ----------------------------------------------------------------------------- kwic
def test_kwic_contexts_and_offsets():
    docs = _docs()
    ctx = tk.kwic(docs, ["政府信息", "政府信息公开指南"], window=3)
    assert list(ctx.columns) == ["doc_id", "section", "start", "end", "left", "term", "right"]
    texts = dict(zip(docs["doc_id"], docs["text"]))
    assert all(texts[d][s:e] == t for d, s, e, t in zip(ctx["doc_id"], ctx["start"], ctx["end"], ctx["term"]))
    assert ctx["term"].tolist() == ["政府信息", "政府信息", "政府信息公开指南"]
    assert ctx.iloc[0][["left", "right"]].tolist() == ["请公开", "12件"]
    assert len(tk.kwic(docs, "不存在的词")) == 0
    assert len(tk.kwic(docs, r"政府信息(?!公开)", regex=True)) == 2


def test_kwic_sections_filter():
    secs = pd.DataFrame({"doc_id": ["a", "a"], "section": ["s1", "s5"], "start": [0, 10],
                         "text": ["主动公开政策解读。", "政策解读不够深入"]})
    ctx = tk.kwic(secs, "政策解读", window=2, sections="s5")
    assert ctx[["section", "start", "end", "left", "right"]].values.tolist() == [["s5", 10, 14, "", "不够"]]


def test_section_filter_on_a_documents_frame_uses_toolkit_sections(seed_path):
    text = _normalize(seed_path.read_text(encoding="utf-8"))
    docs = pd.DataFrame({"doc_id": ["seed"], "text": [text]})
    toks = tk.tokenize(docs, sections=["s5"])
    assert len(toks) > 10 and set(toks["section"].astype(str)) == {"s5"}
    assert all(text[s:e] == t for s, e, t in zip(toks["start"], toks["end"], toks["term"].astype(str)))
    whole = tk.tokenize(docs)
    assert len(whole) > len(toks)


def test_min_chars_drops_single_characters_only():
    docs = pd.DataFrame({"doc_id": ["a"], "text": ["我局依申请公开政府信息12件，局里答复及时。"]})
    all_terms = tk.tokenize(docs, drop_stopwords=False)["term"].tolist()
    long_terms = tk.tokenize(docs, drop_stopwords=False, min_chars=2)["term"].tolist()
    assert long_terms == [t for t in all_terms if len(t) >= 2] and "依申请公开" in long_terms
    with pytest.raises(tk.ArgumentError, match="min_chars"):
        tk.tokenize(docs, min_chars=0)
