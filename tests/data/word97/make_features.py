"""Write features.docx (SYNTHETIC: header, footer, fields, line/page breaks, tracked changes, a
table with vertical, horizontal and block merges and a nested table) and, when LibreOffice is
installed, convert it to features.doc and features.rtf. Only needed to remake the fixtures:

    .venv/bin/python tests/data/word97/make_features.py
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import docx
from docx.enum.text import WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

HERE = Path(__file__).resolve().parent


def run_xml(inner: str):
    return parse_xml(f'<w:r {nsdecls("w")}>{inner}</w:r>')


def main() -> None:
    d = docx.Document()
    d.core_properties.author = "synthetic"
    d.sections[0].header.paragraphs[0].text = "页眉：合成网站（不读）"
    d.sections[0].footer.paragraphs[0].text = "页脚 第1页（不读）"
    d.add_paragraph("合成局2022年政府信息公开工作年度报告")
    p = d.add_paragraph("第一行")
    p.add_run().add_break()
    p.add_run("第二行\t制表后")
    p = d.add_paragraph("见")  # a complex field (HYPERLINK) and a simple one (PAGE): results kept
    # (before the page break: LibreOffice recomputes PAGE, Word keeps the result saved in the DOCX)
    p._p.append(run_xml('<w:fldChar w:fldCharType="begin"/>'))
    p._p.append(run_xml('<w:instrText xml:space="preserve"> HYPERLINK "http://example.invalid/" </w:instrText>'))
    p._p.append(run_xml('<w:fldChar w:fldCharType="separate"/>'))
    p._p.append(run_xml("<w:t>门户网站</w:t>"))
    p._p.append(run_xml('<w:fldChar w:fldCharType="end"/>'))
    p.add_run("，第")
    p._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
    p.add_run("页。")
    p = d.add_paragraph("分页前")
    p.add_run().add_break(WD_BREAK.PAGE)
    p.add_run("分页后")
    p = d.add_paragraph("本年度收到")  # tracked changes: the deletion is not read
    p._p.append(parse_xml(f'<w:del {nsdecls("w")} w:id="1" w:author="synthetic" w:date="2022-01-01T00:00:00Z">'
                          "<w:r><w:delText>旧申请</w:delText></w:r></w:del>"))
    p._p.append(parse_xml(f'<w:ins {nsdecls("w")} w:id="2" w:author="synthetic" w:date="2022-01-01T00:00:00Z">'
                          "<w:r><w:t>新申请</w:t></w:r></w:ins>"))
    p.add_run("12件。")
    t = d.add_table(rows=4, cols=4)
    t.style = "Table Grid"
    for i, row in enumerate(t.rows):
        for j, c in enumerate(row.cells):
            c.text = f"r{i}c{j}"
    t.cell(0, 0).merge(t.cell(1, 0)).text = "纵向合并"
    t.cell(0, 1).merge(t.cell(0, 3)).text = "横向合并"
    t.cell(2, 1).merge(t.cell(3, 2)).text = "块合并"
    inner = t.cell(3, 3).add_table(rows=2, cols=2)
    for i in range(2):
        for j in range(2):
            inner.cell(i, j).text = f"内{i}{j}"
    d.add_paragraph("表后段落")
    d.save(HERE / "features.docx")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice:
        for fmt in ("doc", "rtf"):
            subprocess.run([soffice, "--headless", "--convert-to", fmt, "--outdir", str(HERE),
                            str(HERE / "features.docx")], check=True, capture_output=True)


if __name__ == "__main__":
    main()
