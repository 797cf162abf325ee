"""OCR of scanned PDFs: pages/s and cell accuracy on scanned copies of synthetic PDF reports.

Each synthetic PDF report of ``corpora/synthetic`` chosen is rendered page by page (pypdfium2, 200 dpi,
grayscale) and written back as an image-only PDF (Pillow): a "scan" with no text layer. The scans are
loaded with ``tk.load_corpus(..., ocr=True)`` (Tesseract ``chi_sim``) and compared with the truth in
``corpora/synthetic/truth/``: cells (value as planted, status ignored), agency, year and template.
Skips (exit 0) without the ``tesseract`` program or its ``chi_sim`` data.

    .venv/bin/python bench/bench_ocr.py            # 4 reports
    .venv/bin/python bench/bench_ocr.py -n 10 --psm 4
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import toolkit as tk  # noqa: E402
from toolkit.readers import ReadError, ocr  # noqa: E402

SYNTH = ROOT / "corpora" / "synthetic"
KEY = ["table", "row", "col"]


def scan(src: Path, dst: Path, dpi: int = 200) -> int:
    """Write an image-only copy of the PDF ``src`` to ``dst``; the number of pages."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(src))
    images = [pdf[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for i in range(len(pdf))]
    pdf.close()
    images[0].save(dst, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return len(images)


def cell_accuracy(docs: pd.DataFrame, cells: pd.DataFrame, truth: pd.DataFrame) -> tuple[int, int]:
    """(cells whose value equals the truth, truth cells) over the reports of ``docs``."""
    right = total = 0
    for _, d in docs.iterrows():
        want = truth[truth["file"] == f"{d['name']}.pdf"].set_index(KEY)
        got = cells[cells["doc_id"] == d["doc_id"]].drop_duplicates(KEY).set_index(KEY).reindex(want.index)
        same = (want["value"] == got["value"].astype("float64")) | (want["value"].isna() & got["value"].isna())
        right += int(same.sum())
        total += len(want)
    return right, total


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=4, help="number of synthetic PDF reports (default 4)")
    ap.add_argument("--psm", type=int, default=ocr.PSM, help=f"Tesseract page segmentation mode (default {ocr.PSM})")
    ap.add_argument("--dpi", type=int, default=200, help="resolution of the scans (default 200)")
    ap.add_argument("--workers", type=int, default=1, help="processes of load_corpus (default 1)")
    ap.add_argument("--ocr-dpi", type=int, default=ocr.DPI, help=f"resolution pages are rendered at for OCR (default {ocr.DPI})")
    args = ap.parse_args()
    try:
        ocr.tesseract_path()
    except ReadError as e:
        print(f"skipped: {e}")
        return 0
    ocr.PSM = args.psm
    ocr.DPI = args.ocr_dpi
    truth = pd.read_csv(SYNTH / "truth" / "cells.csv")
    tdocs = pd.read_csv(SYNTH / "truth" / "documents.csv").set_index("file")
    clean = tdocs[(tdocs["format"] == "pdf") & tdocs["clean"]].index.tolist()
    # both templates: alternate the 2019- and 2021-format reports
    chosen = sorted(clean, key=lambda f: (tdocs.loc[f, "template"], f))
    t19 = [f for f in chosen if str(tdocs.loc[f, "template"]) == "2019"]
    t21 = [f for f in chosen if str(tdocs.loc[f, "template"]) == "2021"]
    picked = [f for pair in zip(t19, t21) for f in pair][: args.n]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pages = sum(scan(SYNTH / f, folder / f, args.dpi) for f in picked)
        t0 = time.perf_counter()
        docs = tk.load_corpus(folder, manifest=False, progress=False, ocr=True, workers=args.workers)
        took = time.perf_counter() - t0
    cells = tk.extract_cells(docs, progress=False)
    right, total = cell_accuracy(docs, cells, truth)
    meta = meta_n = 0
    for _, d in docs.iterrows():
        t = tdocs.loc[d["file"]]
        for field in ("agency", "year", "template"):
            meta += str(d[field]) == str(t[field])
            meta_n += 1
    print(f"{len(docs)} scanned synthetic reports ({pages} pages, {args.dpi} dpi), Tesseract {ocr.LANG} "
          f"--psm {args.psm}, rendered at {ocr.DPI} dpi")
    print(f"status ok: {int(docs['status'].eq('ok').sum())}/{len(docs)}, ocr: {int(docs['ocr'].sum())}")
    print(f"load: {took:.1f} s, {pages / took:.2f} pages/s ({took / pages:.2f} s/page, workers={args.workers})")
    print(f"cells right: {right}/{total} = {right / max(total, 1):.4f}")
    print(f"metadata (agency, year, template): {meta}/{meta_n}")
    for _, d in docs.iterrows():
        r, t = cell_accuracy(docs[docs["doc_id"] == d["doc_id"]], cells, truth)
        print(f"  {d['file']}: {d['status']}, {r}/{t} cells, template {d['template']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
