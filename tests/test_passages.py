"""shared_passages: alignment tolerant of small edits, spans that quote the documents, synthetic accuracy."""
from __future__ import annotations

import pandas as pd
import pytest

import toolkit as tk
from toolkit.passages import align, mandated_mask, skeleton
from toolkit.synth import narrative as N

BASE = ("本机关坚持以公开为常态、不公开为例外，围绕优化营商环境和重大建设项目批准实施，"
        "依托门户网站集中公开政策文件和解读材料，全年主动公开各类信息1234条，其中政策文件56条、"
        "办事指南78条，切实提升公开质量。")
OTHER = "今年天气晴朗，群众文化活动丰富多彩，图书馆新增藏书若干册，阅览室环境整洁，读者反映良好。"


def _quote(text, s, e):
    return text[s:e]


@pytest.mark.parametrize("edit", [
    lambda t: t,                                            # verbatim
    lambda t: t.replace("集中公开", "集公开"),                 # a character dropped
    lambda t: t.replace("优化营商环境", "深化放管服改革"),        # a phrase changed
    lambda t: t.replace("本机关", "平潭综合实验区某某局"),        # a name swapped
    lambda t: t.replace("1234", "987").replace("56", "61"),   # numbers changed
    lambda t: t.replace("解读材料", "解读的材料"),               # a character inserted
])
def test_align_tolerates_light_edits(edit):
    a = "甲开头不同的话。" + BASE + OTHER
    b = "乙方完全另起一段开头。" + edit(BASE) + "其后是另外的文字。"
    got = align(a, b)
    assert len(got) == 1
    p = got[0]
    assert p["a_end"] - p["a_start"] >= 0.85 * len(BASE)
    assert _quote(a, p["a_start"], p["a_end"]) in a
    assert "围绕" in _quote(b, p["b_start"], p["b_end"])


def test_align_unrelated_and_short():
    assert align(BASE, OTHER) == []
    short = "依托门户网站集中公开政策文件"   # 14 characters shared only
    assert align("甲" + short + OTHER, "乙" + short + "另外") == []


def test_align_formula_with_other_words_is_not_a_passage():
    """Same sentence formula, different words every few characters: no passage."""
    a = "依托门户网站及时发布政策文件123条，围绕乡村振兴和营商环境规范公开解读材料，持续提升公开质量。"
    b = "依托政务微博主动更新通知公告45条，围绕安全生产和医疗卫生分类公开工作动态，不断增强公开实效。"
    assert align(a, b) == []


def test_skeleton_masks_digits_and_drops_punctuation():
    cps, pos = skeleton("共收到申请 12 件（其中网上 3 件）。ABC")
    assert "".join(map(chr, cps)) == "共收到申请00件其中网上0件abc"
    assert pos[0] == 0 and pos[-1] == len("共收到申请 12 件（其中网上 3 件）。ABC") - 1


def test_mandated_wording_is_found():
    t = "本报告根据《中华人民共和国政府信息公开条例》(以下简称《条例》)要求，由某某局编制。我局正文内容。"
    cps, _ = skeleton(t)
    m = mandated_mask(cps)
    kept = "".join(chr(c) for c, x in zip(cps, m) if not x)
    assert kept == "我局正文内容"


def test_spans_quote_documents_from_sections_and_documents():
    docs = pd.DataFrame({
        "doc_id": ["d1", "d2"], "agency": ["甲局", "乙局"], "year": [2021, 2021],
        "published": ["2022-01-10", "2022-01-20"],
        "text": ["标题一\n一、总体情况\n" + BASE + "\n二、主动公开政府信息情况\n表格\n五、存在的主要问题及改进情况\n" + OTHER,
                 "标题二二\n一、总体情况\n前言不同。" + BASE.replace("本机关", "我局") +
                 "\n二、主动公开政府信息情况\n表\n五、存在的主要问题及改进情况\n问题很多。"],
        "template": ["2021", "2021"],
    })
    for data in (docs, tk.sections(docs)):
        p = tk.shared_passages(data, documents=docs if "section" in data.columns else None, progress=False)
        assert len(p) == 1
        r = p.iloc[0]
        full = docs.set_index("doc_id")["text"]
        assert full[r.doc_a][r.a_start:r.a_end] == r.text_a
        assert full[r.doc_b][r.b_start:r.b_end] == r.text_b
        assert r.span_of == "document" and r.source == "d1"
        assert {r.section_a, r.section_b} == {"s1"}


def test_mandated_passages_are_excluded_unless_kept():
    m = "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求，由本机关编制。如对本报告有任何疑问，请与本机关办公室联系。"
    docs = pd.DataFrame({"doc_id": ["a", "b"], "text": [m + OTHER, m + "完全不同的文字内容，另外一番表述。"]})
    assert tk.shared_passages(docs, sections=None, progress=False).empty
    kept = tk.shared_passages(docs, sections=None, mandated="keep", progress=False)
    assert len(kept) == 1 and kept["mandated_share"].iloc[0] > 0.8


def test_bad_arguments():
    with pytest.raises(tk.ArgumentError):
        tk.shared_passages(pd.DataFrame({"x": [1]}))
    with pytest.raises(tk.ArgumentError):
        tk.shared_passages(pd.DataFrame({"doc_id": ["a"], "text": ["x"]}), mandated="maybe")


@pytest.mark.slow
@pytest.mark.parametrize("seed", [3, 11])
def test_synthetic_passage_recall_and_precision(seed):
    """Targets of issue 5: recall and precision >= 0.95 for planted passages of 30+ characters."""
    ag = pd.DataFrame({"agency_id": [f"g{i:02d}" for i in range(30)],
                       "agency": [f"丙{i}区{k}" for i, k in zip(range(30), ["财政局", "教育局", "人民政府",
                                                                          "卫生健康委员会", "司法局"] * 6)]})
    texts, truth = N.generate(ag, [2020, 2021, 2022], seed=seed)
    docs, _, tdoc = N.assemble(texts, truth)
    found = tk.shared_passages(docs, progress=False)
    ev = N.evaluate_passages(found, tdoc, min_chars=30)
    assert ev["n_truth"] >= 60
    assert ev["recall"] >= 0.95, ev["missed"]
    assert ev["precision"] >= 0.95, ev["false"]
    full = docs.set_index("doc_id")["text"]
    for r in found.head(20).itertuples():
        assert full[r.doc_a][r.a_start:r.a_end] == r.text_a
