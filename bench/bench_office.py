"""Accuracy on office-typeset files: the SYNTHETIC corpus's Word reports converted by LibreOffice.

Each DOCX of ``corpora/synthetic/`` (21 reports, 2019 and 2021 templates) is converted with
``soffice --headless --convert-to`` into PDF (with the machine's CJK fonts, and again with the CJK
fonts hidden from fontconfig, as a server without Chinese fonts makes them), HTML, XHTML and text;
the PDFs are also turned into text line by line with pdfplumber (what scrapers of attachments
produce). Every file is loaded with ``tk.load_corpus`` and its table cells (``tk.extract_cells``),
metadata and sections (``tk.sections``) are compared with the truth of the source report
(``corpora/synthetic/truth/``) and with the sections of the source DOCX. ``--variants`` adds the
variants of ``tests/data/office/make_variants.py`` (A5/B5 pages, large fonts, repeated header rows,
running headers, page numbers, wrapped numbers).

Needs LibreOffice (``apt-get install libreoffice-writer-nogui``; ``fonts-noto-cjk`` for CJK glyphs);
the tests do not (they use the fixtures in ``tests/data/office``).

usage:  .venv/bin/python bench/bench_office.py [--variants] [--keep DIR]
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

import toolkit as tk
from toolkit.tables.detect import fold

ROOT = Path(__file__).resolve().parents[1]
SYNTH = ROOT / "corpora" / "synthetic"
KEY = ["table", "row", "col"]
NOCJK = ('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
         '<dir>/usr/share/fonts/truetype</dir><cachedir>{cache}</cachedir></fontconfig>\n')
FORMATS = {"pdf": "pdf", "html": "html", "xhtml": "html:XHTML Writer File:UTF8", "txt": "txt:Text (encoded):UTF8"}


def convert(src: Path, out: Path, work: Path) -> dict[str, Path]:
    docx = sorted(src.glob("*.docx"))
    folders = {}
    for name, target in FORMATS.items():
        folders[name] = out / name
        subprocess.run(["soffice", f"-env:UserInstallation=file://{work}/lo", "--headless", "--convert-to", target,
                        "--outdir", str(folders[name]), *map(str, docx)], check=True, capture_output=True)
    conf = work / "nocjk.conf"
    conf.write_text(NOCJK.format(cache=work / "fc-cache"))
    folders["pdf, no CJK font"] = out / "pdf_nocjk"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{work}/lo-nocjk", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folders["pdf, no CJK font"]), *map(str, docx)], check=True, capture_output=True,
                   env={"FONTCONFIG_FILE": str(conf), "PATH": "/usr/bin:/bin", "HOME": str(work)})
    import pdfplumber

    rows = out / "pdfplumber"
    rows.mkdir(parents=True, exist_ok=True)
    for pdf in sorted(folders["pdf"].glob("*.pdf")):
        with pdfplumber.open(pdf) as p:
            (rows / f"{pdf.stem}.txt").write_text("\n".join(pg.extract_text() or "" for pg in p.pages), encoding="utf-8")
    folders["pdf -> pdfplumber text"] = rows
    return folders


def sections_of(docs: pd.DataFrame) -> dict[str, dict[str, str]]:
    secs = tk.sections(docs)
    out = {}
    for _, d in docs.iterrows():
        mine = secs[secs["doc_id"] == d["doc_id"]]
        out[d["name"]] = {s: fold(t) for s, t in zip(mine["section"], mine["text"])}
    return out


def score(folder: Path, source: dict[str, str], truth_cells, truth_docs, ref_sections) -> dict:
    docs = tk.load_corpus(folder, manifest=False, progress=False)
    cells = tk.extract_cells(docs, progress=False)
    secs = sections_of(docs)
    right = total = perfect = meta = meta_n = sec_ok = 0
    for _, d in docs.iterrows():
        stem = source.get(d["name"], d["name"])
        want = truth_cells[truth_cells["file"] == f"{stem}.docx"].set_index(KEY)
        got = cells[cells["doc_id"] == d["doc_id"]].set_index(KEY).reindex(want.index)
        same = (((want["value"] == got["value"].astype("float64")) | (want["value"].isna() & got["value"].isna()))
                & (want["status"] == got["status"]))
        right += int(same.sum())
        total += len(want)
        perfect += bool(same.all())
        t = truth_docs.loc[stem]
        for field in ("agency", "year", "template", "published"):
            meta += str(d[field]) == t[field]
            meta_n += 1
        got_s, want_s = secs.get(d["name"], {}), ref_sections[stem]
        sec_ok += {f"s{i}" for i in range(1, 7)} <= set(got_s) and all(got_s.get(s) == want_s.get(s)
                                                                         for s in ("s1", "s5", "s6"))
    return {"files": len(docs), "errors": int((docs["status"] != "ok").sum()), "cells right": f"{right}/{total}",
            "cell accuracy": right / max(total, 1), "reports exact": f"{perfect}/{len(docs)}",
            "metadata fields": f"{meta}/{meta_n}", "sections s1-s6, s1/s5/s6 as the DOCX": f"{sec_ok}/{len(docs)}"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--variants", action="store_true", help="add the variants of tests/data/office/make_variants.py")
    ap.add_argument("--keep", help="write the converted files here (default: a temporary folder, removed)")
    args = ap.parse_args()
    if shutil.which("soffice") is None:  # make bench runs every script: skip, do not fail
        print("soffice not found, nothing measured (apt-get install -y libreoffice-writer-nogui fonts-noto-cjk)")
        return
    work = Path(args.keep or tempfile.mkdtemp(prefix="bench-office-"))
    src = work / "src"
    src.mkdir(parents=True, exist_ok=True)
    for p in SYNTH.glob("*.docx"):
        shutil.copy(p, src / p.name)
    source = {}
    if args.variants:
        sys.path.insert(0, str(ROOT / "tests" / "data" / "office"))
        import make_variants as mv

        for make, stem in ((mv.a5_large, "hc_czj_2020"), (mv.a5_runhead, "hc_nyj_2021"), (mv.b5_14pt, "hc_xsq_2020")):
            source[make(src).stem] = stem
    t0 = time.time()
    folders = convert(src, work / "out", work)
    print(f"converted {len(list(src.glob('*.docx')))} DOCX into {len(folders)} forms in {time.time() - t0:.0f} s ({work})")
    truth_cells = pd.read_csv(SYNTH / "truth" / "cells.csv", dtype={"raw": str})
    truth_docs = pd.read_csv(SYNTH / "truth" / "documents.csv", dtype=str).set_index("doc_key")
    ref = sections_of(tk.load_corpus(src, manifest=False, progress=False))
    ref_sections = {k: v for k, v in ref.items() if k not in source}  # the corpus reports' own DOCX
    rows = {"docx (source)": score(src, source, truth_cells, truth_docs, ref_sections)}
    for name, folder in folders.items():
        rows[name] = score(folder, source, truth_cells, truth_docs, ref_sections)
    table = pd.DataFrame(rows).T
    table["cell accuracy"] = table["cell accuracy"].map("{:.4f}".format)
    print(table.to_string())
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps({k: v["cell accuracy"] for k, v in rows.items()}))


if __name__ == "__main__":
    main()
