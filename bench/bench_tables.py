"""Benchmark: toolkit.extract_cells throughput per layout (tables only, documents already loaded).

Documents are SYNTHETIC: consistent tables from ``toolkit.synth.tables`` rendered in every layout of
templates.md §8 (pipes one cell / one row per line, lines without pipes, HTML grids, PDF text, crawler
text with fused cells, DOCX grids), half 2019 and half 2021 template. Prints reports/s and cells/s per
layout (one core), and, in the same run, the ratio to the pipe-per-row layout.

usage:  .venv/bin/python bench/bench_tables.py [--reports 200] [--large]
"""
from __future__ import annotations

import argparse
import time

import pandas as pd

import toolkit as tk
from toolkit.synth.tables import LAYOUTS, consistent_cells, to_documents


def documents(layout: str, n: int, seed: int = 0) -> pd.DataFrame:
    frames = []
    for i in range(n):
        version = "2019" if i % 2 else "2021"
        cells = consistent_cells(version, seed=seed + i, doc_id=f"{layout}-{i}")
        frames.append(to_documents(cells, layout=layout, seed=seed + i))
    docs = pd.concat(frames, ignore_index=True)
    docs["text_original"] = docs["text"]  # mark as loaded (normalized), as load_corpus gives it
    return docs


def run(n: int, repeat: int = 3) -> pd.DataFrame:
    rows = []
    for layout in (*LAYOUTS, "docx"):
        docs = documents(layout, n)
        best = float("inf")
        cells = None
        for _ in range(repeat):
            t0 = time.perf_counter()
            cells = tk.extract_cells(docs, progress=False)
            best = min(best, time.perf_counter() - t0)
        ok = (cells["status"].isin(["ok", "blank"])).mean()
        rows.append({"layout": layout, "reports": n, "cells": len(cells), "seconds": round(best, 3),
                     "reports_per_s": round(n / best, 1), "cells_per_s": round(len(cells) / best),
                     "share_ok_or_blank": round(ok, 4)})
    out = pd.DataFrame(rows).set_index("layout")
    out["ratio_to_pipe_row"] = (out["reports_per_s"] / out.loc["pipe_row_per_line", "reports_per_s"]).round(2)
    return out


def real(repeat: int = 3) -> str | None:
    """The same measure on the shared real reports (loaded once, not timed), when they are there."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpora" / "real"
    if not (root / "manifest.csv").exists():
        return None
    docs = tk.load_corpus(root, progress=False)
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        cells = tk.extract_cells(docs, progress=False)
        best = min(best, time.perf_counter() - t0)
    n = cells["doc_id"].nunique()
    return (f"real reports ({len(docs)} files, {n} with template tables, mixed layouts): "
            f"{len(docs) / best:.1f} files/s, {len(cells) / best:.0f} cells/s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=200, help="reports per layout (default 200)")
    ap.add_argument("--large", action="store_true", help="2000 reports per layout")
    args = ap.parse_args()
    n = 2000 if args.large else args.reports
    pd.set_option("display.width", 160)
    print(f"extract_cells throughput, {n} synthetic reports per layout, 1 process (best of 3)")
    print(run(n).to_string())
    line = real()
    if line:
        print(line)


if __name__ == "__main__":
    main()
