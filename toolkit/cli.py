"""Command line: ``toolkit study CORPUS --out DIR`` and one subcommand per step.

::

    toolkit study corpora --out results          # the main job (also: python -m toolkit study ...)
    toolkit load corpora --out docs.parquet      # documents frame
    toolkit tables corpora --out cells.csv       # cells frame
    toolkit facts corpora --out facts.csv        # figures stated in the text (label, number, unit)
    toolkit check corpora --out issues.csv       # issues frame
    toolkit keywords corpora --out terms.csv     # term counts per document (--by year for groups)
    toolkit reuse corpora --out pairs.csv        # similar report pairs (--passages FILE for passages)
    toolkit synth corpora/synthetic --seed 7     # regenerate the synthetic corpus with its truth
    toolkit download urls.txt corpora/mycity     # fetch report pages listed one URL per line

Frames go to ``--out`` as CSV (UTF-8 with BOM) or Parquet by the file extension; without ``--out``
a short summary is printed. Exit status 0 on success, 2 on bad arguments, 1 on other errors.
"""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

import pandas as pd


def _save(df: pd.DataFrame, out: str | None, label: str) -> None:
    from toolkit.study import flat_frame

    if out is None:
        print(f"{label}: {len(df)} rows, columns: {', '.join(map(str, df.columns))}")
        with pd.option_context("display.width", 160, "display.max_columns", 12, "display.max_colwidth", 30):
            print(df.drop(columns=[c for c in ("text", "text_original", "tables", "pages") if c in df.columns]).head(10))
        return
    p = Path(out)
    p.parent.mkdir(parents=True, exist_ok=True)
    flat = flat_frame(df)
    if p.suffix.lower() == ".parquet":
        flat.to_parquet(p, index=False)
    elif p.suffix.lower() in (".csv", ".txt"):
        flat.to_csv(p, index=False, encoding="utf-8-sig")
    else:
        raise SystemExit(f"--out {out}: use a .csv or .parquet file name")
    print(f"{label}: {len(df)} rows -> {p}")


def _progress(args) -> bool | None:
    return False if args.no_progress else None


def _docs(args):
    import toolkit as tk

    docs = tk.load_corpus(args.corpus, progress=_progress(args), ocr=getattr(args, "ocr", False))
    return docs[docs["status"].eq("ok")].reset_index(drop=True) if "status" in docs.columns else docs


def cmd_study(args) -> int:
    from toolkit.study import study

    weights = None
    if args.weights:
        weights = {k: float(v) for k, v in (kv.split("=", 1) for kv in args.weights.split(","))}
    res = study(args.corpus, args.out, sections=tuple(args.sections.split(",")), keyness_by=args.keyness_by,
                weights=weights, figures=not args.no_figures, workers=args.workers, progress=_progress(args),
                seed=args.seed, ocr=args.ocr)
    card = res.frames.get("scorecard")
    print(f"study of {args.corpus}: {len(res.frames['documents'])} files, "
          f"{len(res.frames.get('issues', []))} findings, {len(res.frames.get('pairs', []))} reuse pairs "
          f"in {res.timings.get('total', 0):.1f} s -> {Path(args.out) / 'index.html'}")
    if card is not None and len(card):
        print(f"mean compliance score {card['score'].mean():.1f} (min {card['score'].min():.1f})")
    for step, err in res.failed.items():
        print(f"error: step {step} failed: {err} (traceback in {Path(args.out) / 'run.log'})", file=sys.stderr)
    return 1 if res.failed else 0


def cmd_load(args) -> int:
    import toolkit as tk

    _save(tk.load_corpus(args.corpus, progress=_progress(args), ocr=args.ocr), args.out, "documents")
    return 0


def cmd_tables(args) -> int:
    import toolkit as tk

    _save(tk.extract_cells(_docs(args)), args.out, "cells")
    return 0


def cmd_facts(args) -> int:
    import toolkit as tk

    _save(tk.facts(_docs(args)), args.out, "facts")
    return 0


def cmd_check(args) -> int:
    import toolkit as tk

    docs = _docs(args)
    _save(tk.check(tk.extract_cells(docs), docs), args.out, "issues")
    return 0


def cmd_keywords(args) -> int:
    import toolkit as tk

    docs = _docs(args)
    tokens = tk.tokenize(tk.sections(docs), sections=tuple(args.sections.split(",")), min_chars=args.min_chars,
                         backend=args.backend, hmm=args.hmm, workers=args.workers, progress=_progress(args))
    if args.by != "doc_id":
        tokens = tokens.merge(docs[["doc_id", args.by]], on="doc_id", how="left")
    _save(tk.count_terms(tokens, by=args.by), args.out, "term_counts")
    return 0


def cmd_reuse(args) -> int:
    import toolkit as tk

    secs = tk.sections(_docs(args))
    sections = tuple(args.sections.split(","))
    pairs = tk.reuse(secs, sections=sections)
    _save(pairs, args.out, "pairs")
    if args.passages:
        _save(tk.shared_passages(secs, pairs), args.passages, "passages")
    return 0


def cmd_synth(args) -> int:
    from toolkit.synth import make_corpus

    info = make_corpus(args.out_dir, seed=args.seed, n_departments=args.departments, n_districts=args.districts,
                       overwrite=args.overwrite, progress=_progress(args))
    print(f"synthetic corpus: {len(info['manifest'])} reports -> {args.out_dir} "
          f"(truth: {len(info['findings'])} planted findings, {len(info['copies'])} planted copies)")
    if args.combine_parent:
        from toolkit.synth.corpus import combine_manifests

        parent = Path(args.out_dir).resolve().parent
        print(f"{parent / 'manifest.csv'}: {len(combine_manifests(parent))} rows")
    return 0


def cmd_download(args) -> int:
    from toolkit.download import download

    urls = [u.strip() for u in Path(args.urls).read_text(encoding="utf-8").splitlines()
            if u.strip() and not u.startswith("#")]
    log = download(urls, args.out_dir, delay=args.delay, progress=_progress(args))
    counts = log["status"].value_counts().to_dict()
    print(f"{len(log)} URLs -> {args.out_dir}: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())))
    return 0 if counts.get("error", 0) == 0 else 1


def build_parser() -> argparse.ArgumentParser:
    from toolkit import __version__

    p = argparse.ArgumentParser(prog="toolkit", description="Government information disclosure annual reports: "
                                "load, structure, check and analyse a corpus.")
    p.add_argument("--version", action="version", version=f"gid-toolkit {__version__}")
    p.add_argument("-v", "--verbose", action="store_true", help="log INFO messages to stderr")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name, func, help_, corpus=True, out_help="output .csv or .parquet file"):
        sp = sub.add_parser(name, help=help_, description=help_)
        if corpus:
            sp.add_argument("corpus", help="folder (or file) of reports")
            sp.add_argument("--out", "-o", help=out_help)
            sp.add_argument("--ocr", action="store_true",
                            help="read scanned PDFs (no text layer) with Tesseract: apt-get install "
                                 "tesseract-ocr tesseract-ocr-chi-sim")
        sp.add_argument("--no-progress", action="store_true", help="no progress bars")
        sp.set_defaults(func=func)
        return sp

    sp = add("study", cmd_study, "run the whole study and write a results folder",
             out_help="results folder (default: results)")
    sp.set_defaults(out="results")
    sp.add_argument("--sections", default="s1,s5", help="narrative sections for keywords and reuse (default s1,s5)")
    sp.add_argument("--keyness-by", choices=("year", "level"), default="year")
    sp.add_argument("--weights", help="compliance weights, e.g. timeliness=30,originality=10")
    sp.add_argument("--workers", type=int, default=1)
    sp.add_argument("--seed", type=int, default=0)
    sp.add_argument("--no-figures", action="store_true")
    add("load", cmd_load, "load a corpus into the documents frame")
    add("tables", cmd_tables, "extract the statistical table cells")
    add("facts", cmd_facts, "figures stated in the text (label, number, unit; pre-2019 statistics)")
    add("check", cmd_check, "run the identity and compliance checks")
    sp = add("keywords", cmd_keywords, "count terms per document or group")
    sp.add_argument("--by", default="doc_id", help="doc_id (default) or a documents column such as year, level")
    sp.add_argument("--sections", default="s1,s5")
    sp.add_argument("--backend", choices=("auto", "native", "rjieba", "jieba"), default="auto",
                    help="segmenter (default auto: the fastest that gives jieba's tokens)")
    sp.add_argument("--hmm", action="store_true", help="jieba's HMM for words outside the dictionary")
    sp.add_argument("--min-chars", type=int, default=2, help="drop shorter tokens (default 2)")
    sp.add_argument("--workers", type=int, default=1, help="parallel workers, -1 for all cores")
    sp = add("reuse", cmd_reuse, "find reused text between reports")
    sp.add_argument("--sections", default="s1,s5")
    sp.add_argument("--passages", help="also write the shared passages to this .csv/.parquet file")
    sp = add("download", cmd_download, "fetch report URLs (one per line in a file) into a corpus folder",
             corpus=False)
    sp.add_argument("urls", help="text file with one URL per line (# comments allowed)")
    sp.add_argument("out_dir", help="corpus folder; a manifest.csv there records each file's source URL")
    sp.add_argument("--delay", type=float, default=1.0, help="seconds between requests to one host (default 1)")
    sp = add("synth", cmd_synth, "generate the synthetic corpus with its ground truth", corpus=False)
    sp.add_argument("out_dir", help="output folder, e.g. corpora/synthetic")
    sp.add_argument("--seed", type=int, default=20240101)
    sp.add_argument("--departments", type=int, default=40, help="number of departments (at most 40)")
    sp.add_argument("--districts", type=int, default=6, help="number of district governments (at most 6)")
    sp.add_argument("--overwrite", action="store_true", help="replace an existing corpus in out_dir")
    sp.add_argument("--combine-parent", action="store_true",
                    help="also rewrite the parent folder's manifest.csv from its sub-folders' manifests")
    return p


def main(argv: list[str] | None = None) -> int:
    from toolkit.errors import ToolkitError

    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        return int(args.func(args) or 0)
    except ToolkitError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (FileNotFoundError, NotADirectoryError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
