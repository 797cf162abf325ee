"""Write one SYNTHETIC report as a text file, an HTML page, a PDF with a text layer or a Word file.

A report is given as its header lines, title, sections 一/五/六 (narrative) and its cells (tables 二-四,
printed by :func:`toolkit.synth.tables.render` in the layout of the format).
"""
from __future__ import annotations

import datetime
import html as _html
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

_FIXED_TIME = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
HEADINGS = {"s1": "一、总体情况", "s5": "五、存在的主要问题及改进情况", "s6": "六、其他需要报告的事项"}


@dataclass
class Report:
    title: str
    header: list[str]          # 标题 / 发布日期 / 来源 / synthetic note
    s1: str
    s5: str
    s6: str
    signature: list[str]       # agency, date
    cells: pd.DataFrame
    layout: str                # table layout of toolkit.synth.tables.render
    script: str = "simplified"
    encoding: str = "utf-8"
    seed: int = 0


@lru_cache(maxsize=1)
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


def _script(text: str, script: str) -> str:
    return _s2t().convert(text) if script == "traditional" else text


def _tables_text(rep: Report) -> str:
    from toolkit.synth.tables import render

    return render(rep.cells, layout=rep.layout, seed=rep.seed, headings=True).rstrip("\n")


def text_of(rep: Report) -> str:
    """The report as plain text (header lines, title, sections, tables in the layout, signature)."""
    parts = [*rep.header, rep.title, HEADINGS["s1"], rep.s1.strip("\n"), _tables_text(rep),
             HEADINGS["s5"], rep.s5.strip("\n"), HEADINGS["s6"], rep.s6.strip("\n"), *rep.signature]
    return _script("\n".join(parts) + "\n", rep.script)


def write_txt(rep: Report, path: Path) -> Path:
    path.write_bytes(text_of(rep).encode(rep.encoding))
    return path


def _paras(text: str) -> str:
    return "\n".join(f"<p>{_html.escape(line)}</p>" for line in text.split("\n") if line.strip())


def write_html(rep: Report, path: Path) -> Path:
    """A portal-like page: navigation chrome, title, 发布日期 line, narrative paragraphs and real tables."""
    from toolkit.synth.tables import render

    page = render(rep.cells, layout="html", seed=rep.seed, headings=True)
    body = re.search(r"<body>(.*)</body>", page, flags=re.S).group(1)
    charset = "gbk" if rep.encoding.lower() in ("gbk", "gb18030", "gb2312") else "utf-8"
    info = " ".join(_html.escape(h) for h in rep.header[1:3])
    doc = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="{charset}"><title>{_html.escape(rep.title)}</title>
<style>td{{border:1px solid #999}}</style><script>var synthetic = true;</script></head>
<body>
<div class="nav"><a href="#">首页</a> &gt; <a href="#">政府信息公开</a> &gt; 年度报告（synthetic）</div>
<div class="article">
<h1>{_html.escape(rep.title)}</h1>
<div class="info">{info}</div>
<p class="note">{_html.escape(rep.header[-1])}</p>
<p>{HEADINGS['s1']}</p>
{_paras(rep.s1)}
{body.strip()}
<p>{HEADINGS['s5']}</p>
{_paras(rep.s5)}
<p>{HEADINGS['s6']}</p>
{_paras(rep.s6)}
{_paras(chr(10).join(rep.signature))}
</div>
<div class="footer">主办：{_html.escape(rep.signature[0])}（synthetic）</div>
</body></html>
"""
    path.write_bytes(_script(doc, rep.script).encode(charset if charset == "utf-8" else rep.encoding))
    return path


@lru_cache(maxsize=1)
def _font_path() -> str:
    import noto_cjk_sans_otc

    return str(noto_cjk_sans_otc.FONT_PATH)


def write_pdf(rep: Report, path: Path) -> Path:
    """A PDF with a real text layer: Noto Sans CJK SC embedded (subset) by fpdf2, page numbers in the footer."""
    from fpdf import FPDF

    class _PDF(FPDF):
        def footer(self):
            self.set_y(-12)
            self.set_font("noto", size=9)
            self.cell(0, 6, f"- {self.page_no()} -", align="C")

    pdf = _PDF(format="A4")
    pdf.set_auto_page_break(True, margin=16)
    pdf.add_font("noto", fname=_font_path(), collection_font_number=2)  # 2 = Noto Sans CJK SC
    pdf.set_title(rep.title)
    pdf.set_creator("toolkit.synth (synthetic)")
    pdf.set_creation_date(_FIXED_TIME)  # same seed, same bytes
    pdf.add_page()
    pdf.set_font("noto", size=10)
    for line in text_of(rep).split("\n"):
        if line.strip():
            pdf.multi_cell(0, 5.5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def write_docx(rep: Report, path: Path) -> Path:
    """A Word file: header, 一、总体情况, the three tables as real merged Word tables, 五, 六, signature."""
    import docx

    from toolkit.synth.tables import write_docx as tables_docx

    lead = "\n".join([*rep.header, rep.title, HEADINGS["s1"], rep.s1.strip("\n")])
    tables_docx(rep.cells, path, narrative=lead)
    d = docx.Document(str(path))
    for line in [HEADINGS["s5"], *rep.s5.strip("\n").split("\n"), HEADINGS["s6"], *rep.s6.strip("\n").split("\n"),
                 *rep.signature]:
        d.add_paragraph(line)
    d.core_properties.title = rep.title
    d.core_properties.comments = "synthetic (toolkit.synth)"
    d.core_properties.created = d.core_properties.modified = _FIXED_TIME.replace(tzinfo=None)
    d.save(str(path))
    _fix_zip_times(path)
    return path


def _fix_zip_times(path: Path) -> None:
    """Rewrite a zip (DOCX) with fixed entry times, so the same seed gives the same bytes."""
    import io
    import zipfile

    with zipfile.ZipFile(path) as z:
        entries = [(i, z.read(i.filename)) for i in z.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in entries:
            zi = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, data)
    path.write_bytes(buf.getvalue())


WRITERS = {"txt": write_txt, "html": write_html, "pdf": write_pdf, "docx": write_docx}
