"""Segmentation speed: toolkit.tokenize per backend next to bare jieba.lcut, same text, same run.

Usage::

    .venv/bin/python bench/bench_tokenize.py            # ~3 MB of text, about a minute
    .venv/bin/python bench/bench_tokenize.py --mb 20    # larger

The text is the real reports of ../shared/corpora/real (normalized), repeated up to the
requested size, one document per report copy. Without them, a SYNTHETIC text is built from
this file's own phrase bank (labelled as such in the output). Figures are characters per
second; ratios are against bare ``jieba.lcut(text)`` (jieba's default, HMM on) measured in
the same run. Fast methods take the best of ``--repeat`` runs; jieba runs once.
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


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=3.0, help="text size in millions of characters (default 3)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the fast methods, best kept (default 3)")
    parser.add_argument("--skip-jieba-backend", action="store_true", help="skip toolkit.tokenize(backend='jieba')")
    args = parser.parse_args()

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
    for backend in ("jieba", "rjieba"):
        get_engine(backend)
    tk.tokenize(docs.head(2), progress=False)

    rows = []
    t_bare = best_of(lambda: [jieba.lcut(t) for t in texts], 1)
    rows.append(("bare jieba.lcut(text)  [HMM on, jieba default]", t_bare))
    rows.append(("bare jieba.lcut(text, HMM=False)", best_of(lambda: [jieba.lcut(t, HMM=False) for t in texts], 1)))
    if not args.skip_jieba_backend:
        rows.append(("toolkit.tokenize(backend='jieba')", best_of(lambda: tk.tokenize(docs, backend="jieba", progress=False), 1)))
    rj = get_engine("rjieba")
    rows.append(("bare rjieba cut (engine only, no frame)", best_of(lambda: [rj.cut(t, False) for t in texts], args.repeat)))
    t_default = best_of(lambda: tk.tokenize(docs, progress=False), args.repeat)
    rows.append(("toolkit.tokenize() default = rjieba, workers=1", t_default))
    t_two = best_of(lambda: tk.tokenize(docs, workers=2, progress=False), args.repeat)
    rows.append(("toolkit.tokenize(workers=2)", t_two))

    print(f"\n{'method':50s} {'chars/s':>12s} {'x bare jieba':>13s}")
    for name, seconds in rows:
        print(f"{name:50s} {chars / seconds:12,.0f} {t_bare / seconds:13.1f}")
    print(f"\nworkers=2 speed-up over workers=1: {t_default / t_two:.2f}x")
    print(f"tokens kept by the default call: {len(tk.tokenize(docs, progress=False)):,}")


if __name__ == "__main__":
    main()
