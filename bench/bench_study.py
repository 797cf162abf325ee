"""Time of the main job (``toolkit study``) per step, on the bundled corpus and optionally a larger synthetic one.

    .venv/bin/python bench/bench_study.py            # bundled corpus (corpora/)
    .venv/bin/python bench/bench_study.py --big      # + a 6-year synthetic city (276 reports), generated first
"""
from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(corpus: Path, label: str) -> None:
    from toolkit.study import study

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        res = study(corpus, Path(tmp) / "results", progress=False)
        wall = time.perf_counter() - t0
        run_json = json.loads((Path(tmp) / "results" / "run.json").read_text(encoding="utf-8"))
    n = len(res.frames["documents"])
    print(f"== {label}: {n} files, wall {wall:.1f} s ({n / wall:.1f} reports/s), failed steps: {run_json['failed_steps']}")
    for step, sec in run_json["timings_s"].items():
        print(f"   {step:<10} {sec:7.2f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--big", action="store_true", help="also a 6-year synthetic city (generation not timed)")
    args = ap.parse_args()
    run(ROOT / "corpora", "bundled corpus (corpora/)")
    if args.big:
        from toolkit.synth import make_corpus

        with tempfile.TemporaryDirectory() as tmp:
            make_corpus(Path(tmp) / "big", seed=11, years=range(2019, 2025), progress=False)
            run(Path(tmp) / "big", "synthetic city, 6 report years")


if __name__ == "__main__":
    main()
