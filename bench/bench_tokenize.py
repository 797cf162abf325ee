"""Segmentation speed: toolkit.tokenize per backend next to bare jieba.lcut, same text, same run.

Usage::

    .venv/bin/python bench/bench_tokenize.py            # 2 M characters, 1-2 minutes
    .venv/bin/python bench/bench_tokenize.py --mb 20    # larger

The text is the real reports of ../shared/corpora/real (normalized), repeated up to the
requested size, one document per report copy. Without them, a SYNTHETIC text is built from
this file's own phrase bank (labelled as such in the output). Figures are characters per
second; ratios are against bare ``jieba.lcut(text)`` (jieba's default, HMM on) measured in
the same run. Every method takes the best of ``--repeat`` runs, methods interleaved, so that
load from other processes on a shared machine biases no method in particular.
"""
from __future__ import annotations

import argparse
import logging
import os
import random
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
REAL = (ROOT / ".." / "shared" / "corpora" / "real").resolve()

# synthetic phrase bank (our own sentences, not taken from any report)
_PHRASES = [
    "本机关坚持以公开为常态、不公开为例外，", "全年主动公开政府信息{n}条，", "收到依申请公开{n}件，",
    "按期答复率达到百分之百。", "通过政府网站和政务新媒体发布政策解读{n}篇，", "召开新闻发布会{n}场，",
    "因政府信息公开被申请行政复议{n}件，", "未收取信息处理费。", "存在的主要问题是公开内容不够全面，",
    "下一步将加强业务培训，", "及时更新政府信息公开指南和目录，", "做好政府开放日活动和12345热线回应。",
]


def build_documents(megabytes: float) -> tuple[pd.DataFrame, str]:
    target = int(megabytes * 1_000_000)
    files = sorted(p for p in REAL.rglob("*") if p.suffix in {".txt", ".html"} and "gold" not in p.parts) if REAL.exists() else []
    if files:
        from toolkit.normalize import normalize

        texts = [normalize(p.read_text(encoding="utf-8", errors="replace")) for p in files]
        source = f"real reports ({len(files)} files, {sum(map(len, texts)):,} chars) repeated"
    else:
        rng = random.Random(0)
        texts = ["".join(rng.choice(_PHRASES).format(n=rng.randint(1, 999)) for _ in range(300)) for _ in range(50)]
        source = "SYNTHETIC text from the benchmark's own phrase bank"
    docs, size = [], 0
    while size < target:
        for text in texts:
            docs.append(text)
            size += len(text)
            if size >= target:
                break
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(docs))], "text": docs}), source


def timed(fn) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=2.0, help="text size in millions of characters (default 2)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of every method, best kept (default 3)")
    parser.add_argument("--skip-jieba-backend", action="store_true", help="skip toolkit.tokenize(backend='jieba')")
    parser.add_argument("--memory", type=float, metavar="MB",
                        help="only measure time and peak memory of the default call on MB million characters")
    args = parser.parse_args()
    if args.memory:
        return memory(args.memory)

    import jieba

    import toolkit as tk
    from toolkit.tokenizer import get_engine

    jieba.setLogLevel(logging.WARNING)
    docs, source = build_documents(args.mb)
    texts = docs["text"].tolist()
    chars = sum(map(len, texts))
    print(f"text: {source}; {len(docs)} documents, {chars:,} characters; cores: {os.cpu_count()}")

    # warm up: dictionaries load outside the timings
    jieba.lcut("热身")
    for backend in ("jieba", "rjieba", "native"):
        get_engine(backend)
    tk.tokenize(docs.head(2), progress=False)

    rj, nat = get_engine("rjieba"), get_engine("native")
    default = "toolkit.tokenize() default = native, workers=1"
    two = "toolkit.tokenize(workers=2)  [threads]"
    rj_one, rj_two = "toolkit.tokenize(backend='rjieba')", "toolkit.tokenize(backend='rjieba', workers=2)"
    methods = {
        "bare jieba.lcut(text)  [HMM on, jieba default]": lambda: [jieba.lcut(t) for t in texts],
        "bare jieba.lcut(text, HMM=False)": lambda: [jieba.lcut(t, HMM=False) for t in texts],
        "toolkit.tokenize(backend='jieba')": lambda: tk.tokenize(docs, backend="jieba", progress=False),
        "rjieba engine alone (list of str, no frame)": lambda: [rj.cut(t, False) for t in texts],
        rj_one: lambda: tk.tokenize(docs, backend="rjieba", progress=False),
        rj_two: lambda: tk.tokenize(docs, backend="rjieba", workers=2, progress=False),
        "native engine alone (codes, no frame)": lambda: nat.cut_codes(texts),
        default: lambda: tk.tokenize(docs, progress=False),
        "toolkit.tokenize(hmm=True)  [native, jieba's HMM]": lambda: tk.tokenize(docs, hmm=True, progress=False),
        two: lambda: tk.tokenize(docs, workers=2, progress=False),
    }
    if args.skip_jieba_backend:
        del methods["toolkit.tokenize(backend='jieba')"]
    parallel = {two, rj_two}
    wall = {name: float("inf") for name in methods}
    cpu = dict(wall)
    for _ in range(args.repeat):
        for name, fn in methods.items():
            w, c = timed(fn)
            wall[name], cpu[name] = min(wall[name], w), min(cpu[name], c)
    bare = "bare jieba.lcut(text)  [HMM on, jieba default]"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")

    print("\nCPU: CPU time of this process on one core (robust to other load); wall: elapsed time.")
    print("Parallel rows have no one-core figure: their point is the wall time.")
    print(f"{'method':50s} {'CPU chars/s':>12s} {'x bare':>7s} {'wall chars/s':>13s} {'x bare':>7s}")
    for name in methods:
        if name in parallel:
            print(f"{name:50s} {'-':>12s} {'-':>7s} {chars / wall[name]:13,.0f} {wall[bare] / wall[name]:7.1f}")
            continue
        print(f"{name:50s} {chars / cpu[name]:12,.0f} {cpu[bare] / cpu[name]:7.1f} "
              f"{chars / wall[name]:13,.0f} {wall[bare] / wall[name]:7.1f}")
    print(f"\ndefault on one core: {cpu[bare] / cpu[default]:.1f}x bare jieba.lcut (target >= 20x)")
    print(f"workers=2 speed-up over workers=1 (wall): native {wall[default] / wall[two]:.2f}x, "
          f"rjieba (processes) {wall[rj_one] / wall[rj_two]:.2f}x")
    big = pd.concat([docs] * 10, ignore_index=True)
    big_wall = {}
    for _ in range(args.repeat):
        for w in (1, 2):
            big_wall[w] = min(big_wall.get(w, float("inf")), timed(lambda: tk.tokenize(big, workers=w, progress=False))[0])
    print(f"native on 10x the text ({10 * chars:,} characters): workers=1 {big_wall[1]:.2f} s, workers=2 "
          f"{big_wall[2]:.2f} s wall -> {big_wall[1] / big_wall[2]:.2f}x")
    big["year"] = [2019 + i % 5 for i in range(len(big))]
    toks = tk.tokenize(big, progress=False)
    t_doc, _ = timed(lambda: tk.count_terms(toks, by="doc_id"))
    t_year, _ = timed(lambda: tk.count_terms(toks, by="year", documents=big))
    print(f"count_terms on its {len(toks):,} tokens: by doc_id {t_doc:.2f} s, by year (from documents) {t_year:.2f} s")
    print(f"load average at the end: {load:.2f} on {os.cpu_count()} cores (figures are only comparable within one run)")
    print(f"tokens kept by the default call: {len(tk.tokenize(docs, progress=False)):,}")

def memory(megabytes: float) -> None:
    """Peak resident memory of one ``tk.tokenize(docs)`` (workers 1 and 2), each in a fresh process."""
    import subprocess
    import sys

    code = f"""
import resource, sys, time
sys.path.insert(0, {str(Path(__file__).parent)!r})
from bench_tokenize import build_documents
import toolkit as tk
docs, source = build_documents({megabytes})
chars = int(docs["text"].str.len().sum())
tk.tokenize(docs.head(2), progress=False)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter()
toks = tk.tokenize(docs, workers=int(sys.argv[1]), progress=False)
dt = time.perf_counter() - t
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
frame = toks.memory_usage(deep=False).sum() / 1e6
print(f"{{chars:,}} characters ({{source}}), workers={{sys.argv[1]}}: {{dt:.2f}} s, {{len(toks):,}} tokens kept, "
      f"frame {{frame:,.0f}} MB; peak RSS {{before / 1e3:,.0f}} MB before the call (text loaded), "
      f"{{after / 1e3:,.0f}} MB after (+{{(after - before) / 1e3:,.0f}} MB)")
"""
    for workers in (1, 2):
        subprocess.run([sys.executable, "-c", code, str(workers)], check=True)


if __name__ == "__main__":
    main()
