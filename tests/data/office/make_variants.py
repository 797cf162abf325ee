"""Write the SYNTHETIC Word files behind the variant fixtures of this folder (see README.md).

Each variant is a report of ``corpora/synthetic/`` (or a table made by ``toolkit.synth``) with the page
and table settings of an office-typeset report changed by python-docx; the table values are not touched,
so the truth of the source report is the truth of the variant. Run from the repository root:

    .venv/bin/python tests/data/office/make_variants.py /tmp/office_src

then convert the .docx files with the soffice commands of README.md. Only needed to remake the fixtures.
"""
from __future__ import annotations

import sys
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

ROOT = Path(__file__).resolve().parents[3]
SYN = ROOT / "corpora" / "synthetic"


def page(d, width_cm: float, height_cm: float, margin_cm: float, landscape: bool = False) -> None:
    for s in d.sections:
        if landscape:
            s.orientation = WD_ORIENT.LANDSCAPE
        s.page_width, s.page_height = Cm(width_cm), Cm(height_cm)
        s.left_margin = s.right_margin = s.top_margin = s.bottom_margin = Cm(margin_cm)


def font(d, size_pt: float, east_asia: str = "仿宋_GB2312") -> None:
    st = d.styles["Normal"]
    st.font.size = Pt(size_pt)
    rpr = st.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), east_asia)


def fit(d) -> None:
    """Scale each table's grid to the text width of the page (Word's 'autofit to window')."""
    sec = d.sections[0]
    text_cm = (sec.page_width - sec.left_margin - sec.right_margin) / 360000
    for t in d.tables:
        cols = t._tbl.tblGrid.findall(qn("w:gridCol"))
        widths = [int(c.get(qn("w:w"))) / 567.0 for c in cols]
        k = text_cm / sum(widths)
        widths = [w * k for w in widths]
        for c, w in zip(cols, widths):
            c.set(qn("w:w"), str(int(round(w * 567))))
        t.autofit = False
        for tr in t._tbl.tr_lst:
            col = 0
            for tc in tr.tc_lst:
                tc.width = Cm(sum(widths[col:col + tc.grid_span]))
                col += tc.grid_span


def repeat_header(d, rows: int = 3) -> None:
    """Table 3's and 4's first rows repeated at the top of each page (Word's 重复标题行)."""
    for t in d.tables[1:3]:
        for tr in t._tbl.tr_lst[:rows]:
            h = OxmlElement("w:tblHeader")
            h.set(qn("w:val"), "true")
            tr.get_or_add_trPr().append(h)


def _field(par, instr: str) -> None:
    for kind, text in (("begin", None), (None, instr), ("end", None)):
        r = par.add_run()._r
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        r.append(el)


def footer(d, style: str) -> None:
    """Page numbers in the footer: ``- 3 -`` (dash) or ``第 3 页 共 7 页`` (page)."""
    for s in d.sections:
        p = s.footer.paragraphs[0]
        p.alignment = 1
        if style == "dash":
            p.add_run("- ")
            _field(p, " PAGE ")
            p.add_run(" -")
        else:
            p.add_run("第 ")
            _field(p, " PAGE ")
            p.add_run(" 页 共 ")
            _field(p, " NUMPAGES ")
            p.add_run(" 页")


def running_header(d) -> None:
    """The report's title line as the page header of every page."""
    title = next(p.text for p in d.paragraphs if "年度报告" in p.text)
    for s in d.sections:
        s.header.paragraphs[0].text = title
        s.header.paragraphs[0].alignment = 1


def a5_large(out: Path) -> Path:
    """hc_czj_2020 (2019 template) on A5 in 12 pt: rows cut by page breaks, header rows repeated, '- n -'."""
    d = docx.Document(str(SYN / "hc_czj_2020.docx"))
    page(d, 14.8, 21.0, 1.5)
    font(d, 12)
    fit(d)
    repeat_header(d)
    footer(d, "dash")
    d.save(str(out / "a5_large.docx"))
    return out / "a5_large.docx"


def a5_runhead(out: Path) -> Path:
    """hc_nyj_2021 (2021 template) on A5 in 11 pt, with the title as running header and '第 n 页 共 m 页'."""
    d = docx.Document(str(SYN / "hc_nyj_2021.docx"))
    page(d, 14.8, 21.0, 1.5)
    font(d, 11)
    fit(d)
    repeat_header(d)
    footer(d, "page")
    running_header(d)
    d.save(str(out / "a5_runhead.docx"))
    return out / "a5_runhead.docx"


def b5_14pt(out: Path) -> Path:
    """hc_xsq_2020 (2019 template) on B5 in 14 pt: a page break every few rows, numbers wrapped in their
    cells and cut by a break, header rows repeated, the title (two lines) as running header, '- n -'."""
    d = docx.Document(str(SYN / "hc_xsq_2020.docx"))
    page(d, 17.6, 25.0, 2.0)
    font(d, 14, "宋体")
    cols = d.tables[1]._tbl.tblGrid.findall(qn("w:gridCol"))  # table 3: wide label columns, narrow values
    for c, w in zip(cols, [380, 932, 2633] + [538] * 7):
        c.set(qn("w:w"), str(w))
    fit(d)
    repeat_header(d)
    footer(d, "dash")
    running_header(d)
    d.save(str(out / "b5_14pt.docx"))
    return out / "b5_14pt.docx"


def big_numbers_2019(out: Path) -> Path:
    """A SYNTHETIC 2019-template table with five-digit numbers (toolkit.synth) on A5: numbers wrap in cells."""
    from toolkit.synth.tables import consistent_cells, write_report

    cells = consistent_cells("2019", seed=12, scale=20000, zero_share=0.1, doc_id="big_numbers_2019")
    p = write_report(cells, out / "big_numbers_2019", layout="docx", seed=1)
    d = docx.Document(str(p))
    page(d, 14.8, 21.0, 1.5)
    font(d, 11)
    fit(d)
    footer(d, "page")
    d.save(str(p))
    cells.drop(columns=["candidates"]).to_csv(out / "big_numbers_2019.truth.csv", index=False)
    return p


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "office_src")
    target.mkdir(parents=True, exist_ok=True)
    for make in (a5_large, a5_runhead, b5_14pt, big_numbers_2019):
        print(make(target))
