"""Benchmark of toolkit.check on synthetic reports (numbers synthetic): reports/s and cells/s; and of
toolkit.facts (figures stated in the text) on the bundled synthetic corpus repeated to the same size.

Prints, measured in the same run: cells only; cells + documents (deadlines, I7 narrative, I6 cross-year,
without sections); the same with toolkit.sections run inside check (empty 五); and the share of reports with a perturbed identity that check() catches.

    .venv/bin/python bench/bench_checks.py            # 1,000 reports
    .venv/bin/python bench/bench_checks.py --n 20000  # large
"""
from __future__ import annotations

import argparse
import os
import time

import pandas as pd

from toolkit import check
from toolkit.synth.tables import consistent_cells, perturb, to_documents


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000, help="number of synthetic reports")
    args = ap.parse_args()
    n = args.n
    t0 = time.perf_counter()
    frames, broken = [], 0
    for i in range(n):
        c = consistent_cells("2021" if i % 2 else "2019", seed=i, doc_id=f"r{i:06d}")
        if i % 10 == 0:
            c = perturb(c, identity=["I1", "I2", "I3", "I4"][i % 4], seed=i).cells
            broken += 1
        frames.append(c)
    cells = pd.concat(frames, ignore_index=True)
    gen = time.perf_counter() - t0
    docs = to_documents(cells, layout="pipe_row_per_line", published="2022-01-20")
    docs["agency"] = [f"机关{i // 3}" for i in range(n)]
    docs["year"] = [2019 + i % 3 for i in range(n)]

    t0 = time.perf_counter()
    issues = check(cells, progress=False)
    t_cells = time.perf_counter() - t0
    t0 = time.perf_counter()
    issues_docs = check(cells, docs.drop(columns=["tables"]), sections=docs.iloc[:0][["doc_id"]].assign(
        section="", heading="", text=""), progress=False)
    t_docs = time.perf_counter() - t0

    t0 = time.perf_counter()
    check(cells, docs.drop(columns=["tables"]), progress=False)  # sections computed by toolkit.sections
    t_secs = time.perf_counter() - t0

    caught = issues[issues["check"].str.startswith("identity-")]["doc_id"].nunique()
    print(f"reports: {n}, cells: {len(cells)} (generated in {gen:.1f}s); load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} cores (figures scale with it)")
    print(f"check(cells):            {t_cells:7.2f}s  {n / t_cells:8.0f} reports/s  {len(cells) / t_cells:10.0f} cells/s")
    print(f"check(cells, documents): {t_docs:7.2f}s  {n / t_docs:8.0f} reports/s  ratio {t_docs / t_cells:.2f}x")
    print(f"check(cells, documents) + sections: {t_secs:7.2f}s  {n / t_secs:8.0f} reports/s  "
          f"ratio {t_secs / t_cells:.2f}x")
    print(f"perturbed reports caught: {caught}/{broken}; findings: {len(issues)} (cells), {len(issues_docs)} (+docs)")

    from pathlib import Path

    import toolkit as tk

    corpus = tk.load_corpus(Path(__file__).resolve().parents[1] / "corpora" / "synthetic", progress=False)
    corpus = corpus[corpus["status"].eq("ok")]
    reports = pd.concat([corpus] * (n // len(corpus) + 1), ignore_index=True).head(n)
    t0 = time.perf_counter()
    found = tk.facts(reports)
    t_facts = time.perf_counter() - t0
    chars = int(reports["text"].str.len().sum())
    print(f"facts(documents): {t_facts:7.2f}s  {n / t_facts:8.0f} reports/s  {chars / t_facts:12,.0f} chars/s  "
          f"({len(found)} figures, {found['concept'].notna().mean():.0%} with a concept; synthetic corpus repeated)")


if __name__ == "__main__":
    main()
