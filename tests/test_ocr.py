"""Opt-in OCR of scanned PDFs (``load_corpus(ocr=True)``): scans made here from the synthetic PDF reports.

A "scan" is a synthetic report rendered page by page (pypdfium2, 200 dpi, grayscale) and written back as
an image-only PDF with Pillow, so the truth of ``corpora/synthetic/truth/`` applies to it. Tests that run
Tesseract skip when the program or its ``chi_sim`` data is absent (``apt-get install tesseract-ocr
tesseract-ocr-chi-sim``; ``.ci/run`` installs them).
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

import toolkit as tk
from toolkit.readers import ReadError, ocr, read

ROOT = Path(__file__).resolve().parents[1]
SYNTH = ROOT / "corpora" / "synthetic"
REPORT = "hc_jyj_2021.pdf"  # a clean 2021-format synthetic report of 3 pages
KEY = ["table", "row", "col"]


def _has_tesseract() -> str | None:
    try:
        ocr.tesseract_path()
    except ReadError as e:
        return str(e)
    return None


_MISSING = _has_tesseract()
needs_tesseract = pytest.mark.skipif(_MISSING is not None, reason=f"Tesseract with chi_sim is needed: {_MISSING}")


def scan(src: Path, dst: Path, pages: list[int] | None = None, dpi: int = 200) -> Path:
    """An image-only PDF of ``src`` (the given pages, default all): what a scanner gives."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(src))
    idx = range(len(pdf)) if pages is None else pages
    images = [pdf[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for i in idx]
    pdf.close()
    images[0].save(dst, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return dst


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    """The folder holding the scan of REPORT, and its documents loaded with ocr=True (Tesseract runs once)."""
    folder = tmp_path_factory.mktemp("scans")
    scan(SYNTH / REPORT, folder / REPORT)
    if _MISSING is not None:
        return folder, None
    return folder, tk.load_corpus(folder, manifest=False, progress=False, ocr=True)


def test_scan_without_ocr_is_an_error_saying_how_to_read_it(scanned):
    folder, _ = scanned
    docs = tk.load_corpus(folder, manifest=False, progress=False)
    row = docs.iloc[0]
    assert row["status"] == "error" and row["error"].startswith("no text layer (scanned?)")
    assert "ocr=True" in row["error"] and "--ocr" in row["error"] and "Tesseract" in row["error"]
    assert docs["ocr"].dtype == bool and not row["ocr"]


@needs_tesseract
def test_scan_with_ocr_reads_metadata_text_and_tables(scanned):
    _, docs = scanned
    row = docs.iloc[0]
    truth = pd.read_csv(SYNTH / "truth" / "documents.csv").set_index("file").loc[REPORT]
    assert row["status"] == "ok" and row["error"] is None and bool(row["ocr"]) is True
    assert row["agency"] == truth["agency"] and row["year"] == truth["year"]
    assert str(row["template"]) == str(truth["template"])
    assert len(row["pages"]) == 3
    for phrase in ("政府信息公开", "主动公开", "行政复议", "行政诉讼", "本年新收政府信息公开申请数量"):
        assert phrase in row["text"], phrase
    cells = tk.extract_cells(docs, progress=False)
    want = pd.read_csv(SYNTH / "truth" / "cells.csv")
    want = want[want["file"] == REPORT].set_index(KEY)
    got = cells.drop_duplicates(KEY).set_index(KEY).reindex(want.index)
    same = (want["value"] == got["value"].astype("float64")) | (want["value"].isna() & got["value"].isna())
    accuracy = same.mean()
    print(f"OCR cell accuracy on the scan of {REPORT}: {int(same.sum())}/{len(same)} = {accuracy:.4f}")
    assert accuracy >= 0.97  # measured 200/200 (Tesseract 5.3.0, chi_sim, --psm 6); 0.9906 on 8 reports (bench)


@needs_tesseract
def test_check_flags_ocr_text(scanned):
    _, docs = scanned
    issues = tk.check(tk.extract_cells(docs, progress=False), docs)
    flagged = issues[issues["check"] == "ocr-text"]
    assert flagged["doc_id"].tolist() == docs["doc_id"].tolist()
    assert (flagged["severity"] == "info").all()
    assert flagged["message"].iloc[0] == "text and numbers read by OCR: verify against the page images"
    assert tk.checks.CATALOGUE["ocr-text"] == "info"


def test_text_layer_pdf_is_read_exactly_as_without_ocr(tmp_path, monkeypatch):
    shutil.copy(SYNTH / REPORT, tmp_path / REPORT)
    (tmp_path / "note.txt").write_text("合成市教育局2021年度政府信息公开工作年度报告（合成）", encoding="utf-8")
    plain = tk.load_corpus(tmp_path, manifest=False, progress=False)
    monkeypatch.setattr(ocr, "ocr_page", lambda *a, **k: pytest.fail("OCR called on a page with a text layer"))
    monkeypatch.setattr(ocr, "TESSERACT", "no-such-tesseract")  # not needed either
    with_ocr = tk.load_corpus(tmp_path, manifest=False, progress=False, ocr=True)
    pd.testing.assert_frame_equal(plain, with_ocr)
    assert not with_ocr["ocr"].any() and with_ocr["status"].eq("ok").all()
    issues = tk.check(tk.extract_cells(with_ocr, progress=False), with_ocr)
    assert "ocr-text" not in set(issues["check"])


def test_missing_tesseract_is_an_error_naming_the_install(scanned, monkeypatch):
    folder, _ = scanned
    monkeypatch.setattr(ocr, "TESSERACT", "no-such-tesseract-binary")
    row = tk.load_corpus(folder, manifest=False, progress=False, ocr=True).iloc[0]
    assert row["status"] == "error" and "no-such-tesseract-binary" in row["error"] and "not found" in row["error"]
    assert "apt-get install tesseract-ocr tesseract-ocr-chi-sim" in row["error"] and not row["ocr"]


def test_missing_tesseract_on_path(scanned, monkeypatch, tmp_path):
    folder, _ = scanned
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no tesseract there
    row = tk.load_corpus(folder, manifest=False, progress=False, ocr=True).iloc[0]
    assert row["status"] == "error" and "apt-get install tesseract-ocr tesseract-ocr-chi-sim" in row["error"]


def test_missing_chinese_data_is_an_error_naming_the_install(scanned, monkeypatch):
    folder, _ = scanned
    if _MISSING is not None:
        pytest.skip(f"Tesseract is needed: {_MISSING}")
    monkeypatch.setattr(ocr, "LANG", "xx_no_such_language")
    row = tk.load_corpus(folder, manifest=False, progress=False, ocr=True).iloc[0]
    assert row["status"] == "error" and "xx_no_such_language" in row["error"]
    assert "tesseract-ocr-chi-sim" in row["error"]


@needs_tesseract
def test_a_page_that_times_out_does_not_hang_the_load(tmp_path, monkeypatch):
    scan(SYNTH / REPORT, tmp_path / "slow.pdf", pages=[0])
    monkeypatch.setattr(ocr, "TIMEOUT", 0.01)
    row = tk.load_corpus(tmp_path, manifest=False, progress=False, ocr=True).iloc[0]
    assert row["status"] == "error" and "OCR failed" in row["error"] and "page 1" in row["error"]
    assert "0.01 s" in row["error"]


@needs_tesseract
def test_mixed_pdf_keeps_its_text_layer_and_ocrs_the_scanned_page_in_a_worker(tmp_path):
    """Page 1 with its text layer, page 2 scanned; loaded with workers=2 (the option reaches the workers)."""
    import pypdfium2 as pdfium

    scanned_pdf = scan(SYNTH / REPORT, tmp_path / "scan.tmp", pages=[1])
    mixed = pdfium.PdfDocument.new()
    mixed.import_pages(pdfium.PdfDocument(str(SYNTH / REPORT)), [0])
    mixed.import_pages(pdfium.PdfDocument(str(scanned_pdf)), [0])
    mixed.save(str(tmp_path / "mixed.pdf"))
    shutil.copy(SYNTH / REPORT, tmp_path / REPORT)
    docs = tk.load_corpus(tmp_path, manifest=False, progress=False, ocr=True, workers=2).set_index("file")
    assert docs.loc["mixed.pdf", "status"] == "ok" and bool(docs.loc["mixed.pdf", "ocr"]) is True
    assert not docs.loc[REPORT, "ocr"]
    layer = read(SYNTH / REPORT).pages
    got = read(tmp_path / "mixed.pdf", ocr=True)
    assert got.ocr and got.ocr_pages == [1]
    assert got.pages[0] == layer[0]  # the text layer, untouched
    assert "行政处罚" in got.pages[1] and "行政许可" in got.pages[1]


def test_cli_has_the_ocr_option():
    from toolkit.cli import build_parser

    args = build_parser().parse_args(["load", "corpus", "--ocr", "--out", "x.csv"])
    assert args.ocr is True
    assert build_parser().parse_args(["check", "corpus"]).ocr is False
    assert build_parser().parse_args(["study", "corpus", "--ocr"]).ocr is True


def test_tsv_lines_joins_chinese_and_spaces_cells():
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    rows = [(1, 0, 40, 30, "行政"), (40, 0, 60, 30, "许可"), (200, 0, 20, 30, "21"), (240, 0, 20, 30, "3")]
    tsv = "\n".join([header] + [f"5\t1\t1\t1\t1\t{i}\t{l}\t{t}\t{w}\t{h}\t95\t{x}" for i, (l, t, w, h, x) in
                                enumerate(rows)])
    assert ocr.tsv_lines(tsv) == "行政许可 21 3"


def test_cli_load_passes_ocr_to_the_loader(scanned, monkeypatch, tmp_path):
    """``toolkit load DIR --ocr``: the option reaches load_corpus (Tesseract made absent: no OCR time)."""
    from toolkit.cli import main

    folder, _ = scanned
    monkeypatch.setattr(ocr, "TESSERACT", "no-such-tesseract-binary")
    assert main(["load", str(folder), "--ocr", "--no-progress", "--out", str(tmp_path / "d.csv")]) == 0
    row = pd.read_csv(tmp_path / "d.csv", encoding="utf-8-sig").iloc[0]
    assert row["status"] == "error" and "no-such-tesseract-binary" in row["error"]
    assert main(["load", str(folder), "--no-progress", "--out", str(tmp_path / "e.csv")]) == 0
    assert "ocr=True" in pd.read_csv(tmp_path / "e.csv", encoding="utf-8-sig").iloc[0]["error"]
