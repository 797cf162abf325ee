"""Load throughput of ``toolkit.load_corpus`` per format, workers=1 vs workers=2.

Generates a corpus of SYNTHETIC reports (our own phrase banks, labelled 合成样本; no text
from real reports): txt, html, pdf and docx, ``--n`` files each (default 500, so 2,000
files), then loads each format folder with ``workers=1`` and ``workers=2`` and prints
files/s, MB/s and, for PDF, pages/s, with the speed-up, and the workers=1 throughput per
CPU-second of this process (a one-core figure that other load on the machine does not
depress as much as the wall-clock one). On a shared machine the wall-clock speed-up is
capped by what the other processes leave: the script measures that ceiling with a
pure-CPU control, and projects the speed-up on idle cores from CPU time
(workers x serial CPU / total CPU of the parallel run, i.e. the parallel overhead). Also times pypdfium2 against
pdfplumber on a real PDF when ``../shared/corpora/real/huaian_city_2024.pdf`` exists.

usage:  .venv/bin/python bench/bench_load.py            # 4 x 500 files, about a minute
        .venv/bin/python bench/bench_load.py --n 2500    # 10,000 files
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import tempfile
import time
from pathlib import Path

REAL_PDF = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpora" / "real" / "huaian_city_2024.pdf"

PLACES = ["示例市", "合成县", "样本区", "演示市", "虚拟县"]
UNITS = ["财政局", "教育局", "卫生健康委员会", "人民政府", "自然资源局", "交通运输局", "市场监督管理局"]
OPENERS = ["坚持以公开为常态、不公开为例外", "围绕中心工作持续深化政务公开", "按照年度工作要点统筹推进",
           "聚焦群众关切优化公开内容", "依托门户网站拓展公开渠道"]
ACTIONS = ["主动公开政府信息{n}条", "更新公开指南{n}次", "组织业务培训{n}场", "发布政策解读{n}篇",
           "办理依申请公开{n}件", "开展专项检查{n}次"]
CLOSERS = ["进一步提升公开质量。", "切实保障群众知情权。", "推动各项工作落到实处。", "取得了积极成效。"]
PROBLEMS = ["政策解读形式较为单一", "基层公开队伍力量不足", "公开内容的时效性有待提高", "互动回应不够及时"]
HEADINGS = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
T3_ROWS = ["一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "（一）予以公开", "（二）部分公开",
           "1.属于国家秘密", "2.其他法律行政法规禁止公开", "（七）总计", "四、结转下年度继续办理"]


def synthetic_report(rng: random.Random) -> tuple[str, list[str], list[list[list[str]]]]:
    """(title, paragraphs with headings, tables as rows of cell strings) of one synthetic report."""
    year = rng.randint(2019, 2024)
    agency = rng.choice(PLACES) + rng.choice(UNITS)
    title = f"{agency}{year}年度政府信息公开工作年度报告（合成样本）"
    paras = ["本文件为合成测试数据,不是真实报告。"]
    for h in HEADINGS:
        paras.append(h)
        for _ in range(rng.randint(2, 4)):
            acts = ",".join(rng.choice(ACTIONS).format(n=rng.randint(1, 900)) for _ in range(3))
            tail = rng.choice(PROBLEMS) + "," if h.startswith("五") else ""
            paras.append(f"{year}年,{agency}{rng.choice(OPENERS)},{acts},{tail}{rng.choice(CLOSERS)}")
    t2 = [["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
          ["规章", *(str(rng.randint(0, 9)) for _ in range(3))],
          ["行政规范性文件", *(str(rng.randint(0, 90)) for _ in range(3))]]
    t3 = [["申请人情况", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]]
    for label in T3_ROWS:
        nums = [rng.randint(0, 50) for _ in range(6)]
        t3.append([label, *map(str, nums), str(sum(nums))])
    t4 = [["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"], [str(rng.randint(0, 5)) for _ in range(5)]]
    return title, paras, [t2, t3, t4]


def write_txt(path: Path, title, paras, tables):
    lines = [title, *paras[:4]]
    for t in tables:
        lines += [" | ".join(r) + " |" for r in t]
    path.write_text("\n".join(lines + paras[4:]), encoding=random.choice(["utf-8", "gbk"]))


def write_html(path: Path, title, paras, tables):
    body = "".join(f"<p>{p}</p>" for p in paras[:4])
    for t in tables:
        body += "<table>" + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in t) + "</table>"
    body += "".join(f"<p>{p}</p>" for p in paras[4:])
    chrome = "<div class='nav'>首页 | 政务公开 | 合成导航</div><script>var x = 1;</script>"
    path.write_text(f"<html><head><meta charset='utf-8'><title>{title}</title><style>p{{margin:0}}</style></head>"
                    f"<body>{chrome}<h1>{title}</h1><div class='TRS_Editor'>{body}</div>"
                    f"<div class='footer'>合成网站 版权所有</div></body></html>", encoding="utf-8")


def write_docx(path: Path, title, paras, tables):
    import docx

    d = docx.Document()
    d.add_paragraph(title)
    for p in paras[:4]:
        d.add_paragraph(p)
    for t in tables:
        table = d.add_table(rows=len(t), cols=max(map(len, t)))
        for i, r in enumerate(t):
            for j, c in enumerate(r):
                table.cell(i, j).text = c
    for p in paras[4:]:
        d.add_paragraph(p)
    d.save(path)


def write_pdf(path: Path, title, paras, tables):
    import noto_cjk_sans_otc
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("noto", fname=os.path.join(os.path.dirname(noto_cjk_sans_otc.__file__), "NotoSansCJK-Regular.ttc"),
                 collection_font_number=2)
    pdf.set_font("noto", size=10)
    pdf.add_page()
    lines = [title, *paras[:4], *(" ".join(r) for t in tables for r in t), *paras[4:]]
    for i, line in enumerate(lines):
        if i and i % 14 == 0:
            pdf.add_page()
            pdf.cell(0, 6, f"- {pdf.page_no()} -", new_x="LMARGIN", new_y="NEXT")
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


WRITERS = {"txt": (write_txt, ".txt"), "html": (write_html, ".html"), "docx": (write_docx, ".docx"),
           "pdf": (write_pdf, ".pdf")}


def generate(root: Path, n: int, seed: int = 7, distinct_pdf: int = 20) -> None:
    """``n`` files per format; PDFs are slow to write, so ``distinct_pdf`` are written and copied."""
    rng = random.Random(seed)
    for fmt, (writer, ext) in WRITERS.items():
        folder = root / fmt
        folder.mkdir(parents=True, exist_ok=True)
        distinct = min(n, distinct_pdf) if fmt == "pdf" else n
        for i in range(distinct):
            writer(folder / f"r{i:05d}{ext}", *synthetic_report(rng))
        for i in range(distinct, n):
            shutil.copyfile(folder / f"r{i % distinct:05d}{ext}", folder / f"r{i:05d}{ext}")


def _burn(n: int) -> int:
    s = 0
    for i in range(n):
        s += i * i
    return s


def available_speedup(workers: int, n: int = 10_000_000) -> float:
    """Speed-up of a pure-CPU task in ``workers`` processes: what the machine offers right now."""
    import multiprocessing

    start = time.perf_counter()
    for _ in range(workers):
        _burn(n)
    serial = time.perf_counter() - start
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        start = time.perf_counter()
        pool.map(_burn, [n] * workers)
        parallel = time.perf_counter() - start
    return serial / parallel


def measure(folder: Path, workers: int) -> dict:
    import toolkit as tk

    import resource

    def children_cpu():
        r = resource.getrusage(resource.RUSAGE_CHILDREN)
        return r.ru_utime + r.ru_stime

    start, cpu, child = time.perf_counter(), time.process_time(), children_cpu()
    docs = tk.load_corpus(folder, manifest=False, progress=False, workers=workers)
    secs, cpu, child = time.perf_counter() - start, time.process_time() - cpu, children_cpu() - child
    assert (docs["status"] == "ok").all(), docs.loc[docs["status"] != "ok", ["file", "error"]].head()
    pages = int(docs["pages"].map(lambda p: len(p) if isinstance(p, list) else 0).sum())
    mb = docs["size"].sum() / 2**20
    return {"files": len(docs), "secs": secs, "files_s": len(docs) / secs, "mb_s": mb / secs,
            "pages_s": pages / secs if pages else None, "files_cpu_s": len(docs) / cpu,
            "pages_cpu_s": pages / cpu if pages else None, "total_cpu": cpu + child}


def compare_pdf_libraries(path: Path, repeat: int = 5) -> None:
    import pdfplumber
    import pypdfium2 as pdfium

    def with_pdfium():
        pdf = pdfium.PdfDocument(str(path))
        out = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
        pdf.close()
        return out

    def with_plumber():
        with pdfplumber.open(str(path)) as pdf:
            return [p.extract_text() or "" for p in pdf.pages]

    times = {}
    for name, fn in [("pypdfium2", with_pdfium), ("pdfplumber", with_plumber)]:
        fn()  # warm-up
        start = time.perf_counter()
        for _ in range(repeat):
            pages = fn()
        times[name] = (time.perf_counter() - start) / repeat / len(pages)
    print(f"\nPDF text layer on {path.name} ({len(pages)} pages): pypdfium2 {times['pypdfium2'] * 1000:.1f} ms/page, "
          f"pdfplumber {times['pdfplumber'] * 1000:.1f} ms/page -> pypdfium2 {times['pdfplumber'] / times['pypdfium2']:.0f}x faster")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=500, help="files per format (default 500: 2,000 files)")
    ap.add_argument("--workers", type=int, default=2, help="parallel run to compare with workers=1")
    ap.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    args = ap.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="bench-load-"))
    start = time.perf_counter()
    generate(root, args.n)
    print(f"generated {4 * args.n} synthetic files in {time.perf_counter() - start:.0f} s under {root}; "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} (other processes compete for the cores)")
    print(f"\n{'format':6} {'files':>6} | {'w=1 files/s':>11} {'MB/s':>6} {'pages/s':>8} | "
          f"{'w=' + str(args.workers) + ' files/s':>11} {'MB/s':>6} {'pages/s':>8} | speed-up | "
          f"w=1 per CPU-second: files, pages | projected speed-up on idle cores")
    warm = root / "_warmup"
    for fmt, (_, ext) in WRITERS.items():  # imports and lazily built tables, outside the timings
        warm.mkdir(exist_ok=True)
        shutil.copyfile(root / fmt / f"r00000{ext}", warm / f"w{ext}")
    measure(warm, 1)
    shutil.rmtree(warm)
    try:
        for fmt in WRITERS:
            one = measure(root / fmt, 1)
            many = measure(root / fmt, args.workers)
            pg1 = f"{one['pages_s']:8.0f}" if one["pages_s"] else f"{'':8}"
            pgn = f"{many['pages_s']:8.0f}" if many["pages_s"] else f"{'':8}"
            print(f"{fmt:6} {one['files']:6d} | {one['files_s']:11.0f} {one['mb_s']:6.1f} {pg1} | "
                  f"{many['files_s']:11.0f} {many['mb_s']:6.1f} {pgn} | {one['secs'] / many['secs']:7.2f}x | "
                  f"{one['files_cpu_s']:6.0f} {one['pages_cpu_s'] or 0:6.0f} | "
                  f"{args.workers * one['total_cpu'] / many['total_cpu']:.2f}x")
        print(f"load average after the runs: {os.getloadavg()[0]:.1f}; a pure-CPU task runs "
              f"{available_speedup(args.workers):.2f}x faster in {args.workers} processes on this machine right now "
              f"(the ceiling for the speed-up column)")
        if REAL_PDF.exists():
            compare_pdf_libraries(REAL_PDF.resolve())
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
