"""load_corpus on small generated corpora: the frame contract, manifests, ids, workers."""
from __future__ import annotations

import shutil

import pandas as pd
import pytest

import toolkit as tk
from toolkit.corpus import COLUMNS
from toolkit.errors import ArgumentError, CorpusError

REPORT = ("示例局{year}年度政府信息公开工作年度报告（合成）\n一、总体情况\n{year}年,本局主动公开信息{n}条。\n"
          "二、主动公开政府信息情况\n信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n规章 | 0 | 0 | 0 |\n")
CONTRACT = ["doc_id", "path", "file", "format", "sha256", "size", "status", "error", "encoding", "script",
            "agency", "region", "province", "city", "county", "adcode", "level", "year", "published",
            "template", "title", "text", "text_original", "pages", "tables"]


@pytest.fixture()
def corpus(tmp_path):
    root = tmp_path / "corpus"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text(REPORT.format(year=2021, n=1), encoding="utf-8")
    (root / "sub" / "b.txt").write_text(REPORT.format(year=2022, n=2), encoding="gbk")
    (root / "c.html").write_text(
        "<html><body><p>示例局2023年度政府信息公开工作年度报告（合成）</p><p>一、总体情况</p>"
        "<table><tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件數</td></tr>"
        "<tr><td>規章</td><td colspan='2'>(5)</td></tr></table></body></html>", encoding="utf-8")
    (root / "README.md").write_text("not a document")
    (root / "logo.png").write_bytes(b"\x89PNG....")
    return root


def test_contract_columns_and_types(corpus):
    docs = tk.load_corpus(corpus, progress=False)
    assert list(docs.columns[:len(COLUMNS)]) == COLUMNS and set(CONTRACT) <= set(docs.columns)
    assert sorted(docs["file"]) == ["a.txt", "c.html", "sub/b.txt"]
    assert (docs["status"] == "ok").all() and docs["error"].isna().all()
    assert str(docs["year"].dtype) == "Int64" and docs["year"].tolist() == [2021, 2023, 2022]
    assert docs["template"].eq("2021").all() and docs["agency"].eq("示例局").all()
    by = docs.set_index("file")
    assert by.loc["sub/b.txt", "encoding"] == "gbk" and by.loc["c.html", "format"] == "html"
    # table cells are normalized like the text, and linearized one row per line
    assert by.loc["c.html", "tables"] == [[
        [{"text": "信息内容", "rowspan": 1, "colspan": 1}, {"text": "本年制发件数", "rowspan": 1, "colspan": 1},
         {"text": "本年废止件数", "rowspan": 1, "colspan": 1}],
        [{"text": "规章", "rowspan": 1, "colspan": 1}, {"text": "（5）", "rowspan": 1, "colspan": 2}]]]
    assert "信息内容 | 本年制发件数 | 本年废止件数 |\n规章 | （5） |" in by.loc["c.html", "text"]
    assert by.loc["a.txt", "pages"] is None
    assert "规章 | 0 | 0 | 0 |" in by.loc["a.txt", "text"]


def test_doc_id_stable_and_content_based(corpus, tmp_path):
    first = tk.load_corpus(corpus, progress=False).set_index("file")["doc_id"]
    moved = tmp_path / "elsewhere"
    shutil.copytree(corpus, moved)
    again = tk.load_corpus(moved, progress=False).set_index("file")["doc_id"]
    assert first.to_dict() == again.to_dict()          # same names + same bytes -> same ids
    (moved / "a.txt").write_text(REPORT.format(year=2021, n=99), encoding="utf-8")
    changed = tk.load_corpus(moved, progress=False).set_index("file")["doc_id"]
    assert changed["a.txt"] != first["a.txt"] and changed["sub/b.txt"] == first["sub/b.txt"]
    assert first["a.txt"].startswith("a-")


def test_single_file(corpus):
    docs = tk.load_corpus(corpus / "sub" / "b.txt", progress=False)
    assert len(docs) == 1 and docs.loc[0, "file"] == "b.txt" and docs.loc[0, "year"] == 2022


def test_manifest_auto_off_and_path(corpus, tmp_path):
    man = pd.DataFrame({"file": ["a.txt", "sub/b.txt", "missing.txt"], "year": ["2020", "", "2000"],
                        "agency": ["清单机关", "", ""], "level": ["county", "", ""], "notes": ["x", "", ""]})
    man.to_csv(corpus / "manifest.csv", index=False)
    docs = tk.load_corpus(corpus, progress=False).set_index("file")
    assert docs.loc["a.txt", "year"] == 2020 and docs.loc["a.txt", "inferred_year"] == 2021
    assert docs.loc["a.txt", "agency"] == "清单机关" and docs.loc["a.txt", "inferred_agency"] == "示例局"
    assert docs.loc["sub/b.txt", "year"] == 2022       # empty manifest cell: inferred value kept
    assert docs.loc["a.txt", "notes"] == "x" and pd.isna(docs.loc["c.html", "notes"])
    assert str(docs["year"].dtype) == "Int64"
    off = tk.load_corpus(corpus, manifest=False, progress=False).set_index("file")
    assert off.loc["a.txt", "year"] == 2021 and "inferred_year" not in off.columns
    other = tmp_path / "other.csv"
    pd.DataFrame({"file": ["c.html"], "template": ["2019"]}).to_csv(other, index=False)
    via_path = tk.load_corpus(corpus, manifest=other, progress=False).set_index("file")
    assert via_path.loc["c.html", "template"] == "2019" and via_path.loc["c.html", "inferred_template"] == "2021"


def test_manifest_is_not_a_document_and_needs_file_column(corpus):
    pd.DataFrame({"name": ["a.txt"]}).to_csv(corpus / "manifest.csv", index=False)
    with pytest.raises(CorpusError, match="'file' column"):
        tk.load_corpus(corpus, progress=False)
    assert "manifest.csv" not in tk.load_corpus(corpus, manifest=False, progress=False)["file"].tolist()


def test_input_is_not_mutated_and_reload_is_equal(corpus):
    a = tk.load_corpus(corpus, progress=False)
    b = tk.load_corpus(corpus, progress=False)
    pd.testing.assert_frame_equal(a, b)


def test_workers_give_the_same_frame(corpus):
    serial = tk.load_corpus(corpus, progress=False)
    parallel = tk.load_corpus(corpus, progress=False, workers=2)
    pd.testing.assert_frame_equal(serial, parallel)


@pytest.mark.parametrize("kwargs, match", [
    ({"workers": 0}, "workers"), ({"workers": "2"}, "workers"), ({"manifest": True}, "manifest"),
])
def test_bad_arguments(corpus, kwargs, match):
    with pytest.raises(ArgumentError, match=match):
        tk.load_corpus(corpus, **kwargs)


def test_missing_path():
    with pytest.raises(CorpusError, match="not found"):
        tk.load_corpus("/nonexistent/corpus")


def test_traditional_file_is_simplified(tmp_path):
    p = tmp_path / "trad.txt"
    p.write_text("示例局2020年政府信息公開工作年度報告\n一、總體情況\n本年度主動公開規範性文件3件。", encoding="big5")
    row = tk.load_corpus(p, progress=False).iloc[0]
    assert row["encoding"] == "big5" and row["script"] == "traditional"
    assert "主动公开规范性文件3件" in row["text"] and row["agency"] == "示例局" and row["year"] == 2020


def test_pdf_pages_point_into_text(tmp_path):
    from fpdf import FPDF
    import os
    import noto_cjk_sans_otc

    pdf = FPDF()
    pdf.add_font("noto", fname=os.path.join(os.path.dirname(noto_cjk_sans_otc.__file__), "NotoSansCJK-Regular.ttc"),
                 collection_font_number=2)
    pdf.set_font("noto", size=11)
    for text in ["- 1 -\n示例局2021年度政府信息公开工作年度报告\n第一页合成文字", "- 2 -\n第二页合成文字", "第三页合成文字"]:
        pdf.add_page()
        pdf.multi_cell(0, 7, text)
    pdf.output(str(tmp_path / "r.pdf"))
    row = tk.load_corpus(tmp_path / "r.pdf", progress=False).iloc[0]
    assert row["status"] == "ok" and len(row["pages"]) == 3 and row["pages"][0] == 0
    for start, word in zip(row["pages"], ["示例局", "第二页", "第三页"]):
        assert row["text"][start:].startswith(word)      # page furniture '- 2 -' removed
