"""Reports typeset by office software: LibreOffice PDF, HTML, XHTML and text exports of SYNTHETIC reports.

Fixtures: tests/data/office/ (its README says which synthetic report each file comes from and gives the
exact soffice commands; the tests do not need LibreOffice). The PDFs have what the fpdf2 PDFs of the
synthetic corpus lack: tables written cell by cell with labels wrapped in narrow columns, rows cut in two
by page breaks, table headers repeated on each page, page numbers and a running header inside tables,
numbers wrapped in their cells (and cut by a page break), and pdfium line breaks between glyphs of one line;
and a PDF turned into text line by line (pdfplumber), as scrapers of attachments do. Every table cell must
equal the truth of the source report exactly, as must the metadata and the narrative sections.
"""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

import toolkit as tk
from toolkit.tables.detect import Folded, fold

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "office"
SYNTH = ROOT / "corpora" / "synthetic"
KEY = ["table", "row", "col"]
# variants written by tests/data/office/make_variants.py from these corpus reports (values unchanged)
SOURCE = {"a5_large": "hc_czj_2020", "a5_runhead": "hc_nyj_2021", "b5_14pt": "hc_xsq_2020"}
OWN_TRUTH = {"big_numbers_2019": DATA / "big_numbers_2019.truth.csv"}  # a toolkit.synth table, not a corpus report
FILES = sorted(str(p.relative_to(DATA)) for p in DATA.rglob("*") if p.suffix in (".pdf", ".html", ".txt"))


@pytest.fixture(scope="module")
def loaded():
    docs = tk.load_corpus(DATA, manifest=False, progress=False)
    cells = tk.extract_cells(docs, progress=False)
    secs = tk.sections(docs)
    return docs.set_index("file"), cells, secs


@pytest.fixture(scope="module")
def truth():
    return (pd.read_csv(SYNTH / "truth" / "cells.csv", dtype={"raw": str}),
            pd.read_csv(SYNTH / "truth" / "documents.csv", dtype=str).set_index("doc_key"))


def _want(name: str, truth_cells: pd.DataFrame) -> pd.DataFrame:
    if name in OWN_TRUTH:
        return pd.read_csv(OWN_TRUTH[name], dtype={"raw": str}).set_index(KEY)
    stem = SOURCE.get(name, name)
    return truth_cells[truth_cells["file"] == f"{stem}.docx"].set_index(KEY)


def test_fixtures_are_there_and_load(loaded):
    docs, _, _ = loaded
    assert len(FILES) == 11 and sorted(docs.index) == FILES
    assert (docs["status"] == "ok").all(), docs[["status", "error"]]
    assert docs["format"].value_counts().to_dict() == {"pdf": 6, "html": 2, "txt": 3}
    size = sum(p.stat().st_size for p in DATA.rglob("*") if p.is_file())
    assert size < 600_000, f"office fixtures take {size / 1e3:.0f} kB"


@pytest.mark.parametrize("file", FILES)
def test_cells_equal_the_truth(file, loaded, truth):
    docs, cells, _ = loaded
    doc = docs.loc[file]
    want = _want(doc["name"], truth[0])
    got = cells[cells["doc_id"] == doc["doc_id"]].set_index(KEY)
    assert len(want) in (198, 200) and set(got.index) == set(want.index)
    got = got.loc[want.index]
    assert (got["template"].astype(str) == want["template"].astype(str)).all()
    bad = [(k, w, g, ws, gs) for k, w, g, ws, gs in zip(want.index, want["value"], got["value"], want["status"], got["status"])
           if ws != gs or not ((pd.isna(w) and pd.isna(g)) or (not pd.isna(g) and math.isclose(w, g)))]
    assert not bad, f"{file}: {len(bad)} cells differ, first: {bad[:5]}"
    printed = want["status"] == "ok"
    assert (got.loc[printed, "raw"].astype(str) == want.loc[printed, "raw"].astype(str)).all()


@pytest.mark.parametrize("file", [f for f in FILES if "big_numbers" not in f])
def test_metadata_equals_the_truth(file, loaded, truth):
    docs, _, _ = loaded
    doc = docs.loc[file]
    t = truth[1].loc[SOURCE.get(doc["name"], doc["name"])]
    for field in ("agency", "year", "template", "published"):
        assert str(doc[field]) == t[field], (file, field, doc[field], t[field])


def test_metadata_of_the_synth_table_report(loaded):
    doc = loaded[0].loc["pdf_nocjk/big_numbers_2019.pdf"]
    assert doc["year"] == 2020 and doc["template"] == "2019" and len(doc["pages"]) >= 3


@pytest.fixture(scope="module")
def source_sections():
    names = sorted({SOURCE.get(Path(f).stem, Path(f).stem) for f in FILES} - set(OWN_TRUTH))
    docs = pd.concat([tk.load_corpus(SYNTH / f"{n}.docx", manifest=False, progress=False) for n in names],
                     ignore_index=True)
    secs = tk.sections(docs)
    out = {}
    for _, d in docs.iterrows():
        mine = secs[secs["doc_id"] == d["doc_id"]]
        out[d["name"]] = {s: fold(t) for s, t in zip(mine["section"], mine["text"])}
    return out


@pytest.mark.parametrize("file", [f for f in FILES if "big_numbers" not in f])
def test_sections_equal_the_source_docx(file, loaded, source_sections):
    docs, _, secs = loaded
    doc = docs.loc[file]
    got = secs[secs["doc_id"] == doc["doc_id"]]
    got = {s: fold(t) for s, t in zip(got["section"], got["text"])}
    want = source_sections[SOURCE.get(doc["name"], doc["name"])]
    assert {f"s{i}" for i in range(1, 7)} <= set(got)
    for s in ("s1", "s5", "s6"):  # narrative sections: the same characters in the same order
        assert got[s] == want[s], (file, s)


# --- the pieces, on hand-written SYNTHETIC text ------------------------------------------------------
def test_label_cut_by_a_page_break_keeps_its_values():
    from toolkit import templates
    from toolkit.tables.text import find_split, locate_table

    t3 = templates.get("2021").table("t3")
    row = {r.key: r for r in t3.blocks[0].rows}["r_deny_internal"]
    f = Folded("4.保护第\n三方合法\n权益\n0 0 0 0 0 0 0\n5.属\n于三\n1 0 0 0 0 0 1\n- 4 -\n类内\n部事\n务信\n息\n6.属于四类过程性信息\n2 0 0 0 0 0 2")
    p, n = find_split(f, row, 0, len(f.s))
    assert f.s[p:p + n] == "属于三1000001" + "4" + "类内部事务信息"
    rows = locate_table(f, t3)
    assert [t.text for t in rows["r_deny_internal"].tokens] == ["1", "0", "0", "0", "0", "0", "1"]
    assert [t.text for t in rows["r_deny_process"].tokens] == ["2", "0", "0", "0", "0", "0", "2"]
    assert [t.text for t in rows["r_deny_third_party"].tokens] == ["0"] * 7


def test_repeated_table_header_is_blanked_inside_the_table():
    from toolkit.tables.extract import mask_repeated_header

    header = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\n申请人情况\n自然人\n法人或其他组织 总计\n商业企业\n其他\n"
    text = header + "一、本年新收政府信息公开申请数量 1 0 0 0 0 0 1\n（六）其他处理 0 0 0 0 0 0 0\n" + header + "（七）总计 1 0 0 0 0 0 1"
    f = Folded(text)
    start = f.find("本年新收")
    masked = mask_repeated_header(f, start, len(f.s))
    assert len(masked.text) == len(text)
    assert masked.text.count("申请人情况") == 1 and masked.s.count("总计") == 2  # the header's 总计 is gone
    assert masked.text.endswith("（七）总计 1 0 0 0 0 0 1")


def test_pdf_lines_rebuilt_from_glyph_boxes(tmp_path):
    """Glyphs written one text object at a time, a number wrapped in its cell, a running header."""
    from fpdf import FPDF
    import noto_cjk_sans_otc

    from toolkit.readers import read

    pdf = FPDF(format=(148, 210))
    pdf.add_font("noto", fname=str(noto_cjk_sans_otc.FONT_PATH), collection_font_number=2)
    pdf.set_font("noto", size=10)
    for page in range(3):
        pdf.add_page()
        pdf.text(20, 12, "合成市某局2021年政府信息公开工作年度报告")
        if page == 1:
            x = 20.0
            for ch in "（七）总计":  # one text object per glyph, side by side
                pdf.text(x, 40, ch)
                x += pdf.get_string_width(ch)
            pdf.text(50, 40, "1625")  # five digits do not fit the cell: the last one wraps below
            pdf.text(50, 45, "2")
            pdf.text(70, 40, "2400")
            pdf.text(20, 60, "四、结转下年度继续办理 0 0")
        else:
            pdf.text(20, 40, f"正文第{page + 1}页")
    pdf.output(str(tmp_path / "r.pdf"))
    raw = read(tmp_path / "r.pdf")
    assert raw.pages[0].startswith("合成市某局2021年政府信息公开工作年度报告")  # kept on its first page
    assert "年度报告" not in raw.pages[1] + raw.pages[2]  # the running header elsewhere is dropped
    assert "（七）总计 16252 2400" in raw.pages[1].split("\n")


def test_heading_broken_over_short_lines_is_a_section():
    """A PDF text layer may break a heading into short lines (pdfium's own line breaks, scraper text)."""
    from toolkit.sections import find_sections

    text = ("一、总体情况\n合成示例。\n二、主动公开政府信息情况\n略\n三、收到和处理政府信息公开申请情况\n略\n"
            "四、结转下年度继续办理 0 0 0\n四、政府信息公开\n行政复\n议\n、\n行\n政诉讼情况\n行政复议 行政诉讼\n"
            "五、存在的主要问题及改进情况\n略\n六、其他需要报告的事项\n略")
    got = {s["section"]: s["heading"] for s in find_sections(text, "2021")}
    assert list(got) == ["s1", "s2", "s3", "s4", "s5", "s6"] and got["s4"] == "四、政府信息公开"
