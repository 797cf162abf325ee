"""Readers on generated files (synthetic text written here) and on the real PDF / template DOCX."""
from __future__ import annotations

import os

import pytest

from toolkit.readers import ReadError, format_of, read
from toolkit.readers.text import decode_bytes

SYNTH = "合成测试文本：平潭示例局2021年度政府信息公开工作年度报告。一、总体情况\n本年度主动公开信息12条。"
SYNTH_TRAD = "合成測試文本：示例局2020年政府信息公開工作年度報告。一、總體情況\n本年度主動公開信息12條。"


def cjk_font() -> str:
    import noto_cjk_sans_otc

    return os.path.join(os.path.dirname(noto_cjk_sans_otc.__file__), "NotoSansCJK-Regular.ttc")


def make_pdf(path, pages, *, user_password=None):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("noto", fname=cjk_font(), collection_font_number=2)
    pdf.set_font("noto", size=11)
    for text in pages:
        pdf.add_page()
        if text:
            pdf.multi_cell(0, 7, text)
    if user_password:
        pdf.set_encryption(owner_password="owner-" + user_password, user_password=user_password)
    pdf.output(str(path))
    return path


@pytest.mark.parametrize("encoding, expected", [
    ("utf-8", "utf-8"),
    ("utf-8-sig", "utf-8-sig"),
    ("gbk", "gbk"),
    ("gb18030", "gbk"),          # GB18030 text within the GBK range reads as GBK (same bytes)
    ("utf-16", "utf-16"),        # with BOM
])
def test_txt_encodings(tmp_path, encoding, expected):
    p = tmp_path / "r.txt"
    p.write_bytes(SYNTH.encode(encoding))
    raw = read(p)
    assert raw.format == "txt" and raw.encoding == expected
    assert raw.text.lstrip("\ufeff") == SYNTH


def test_txt_gb18030_four_byte(tmp_path):
    text = SYNTH + "𠀀"  # a CJK Extension B character needs GB18030's four-byte form
    p = tmp_path / "r.txt"
    p.write_bytes(text.encode("gb18030"))
    raw = read(p)
    assert raw.encoding == "gb18030" and raw.text == text


def test_txt_big5(tmp_path):
    p = tmp_path / "r.txt"
    p.write_bytes((SYNTH_TRAD * 20).encode("big5"))
    raw = read(p)
    assert raw.encoding == "big5"
    assert raw.text.startswith("合成測試文本")


def test_decode_refuses_binary():
    with pytest.raises(ReadError, match="binary"):
        decode_bytes(b"\x00\x01\x02junk" * 100)


@pytest.mark.parametrize("name, fmt", [
    ("a.txt", "txt"), ("a.HTM", "html"), ("a.shtml", "html"), ("a.pdf", "pdf"), ("a.docx", "docx"),
    ("a.doc", "doc"), ("a.wps", "wps"), ("a.rtf", "rtf"), ("a.xyz", "unknown"),
])
def test_format_of(name, fmt):
    assert format_of(name) == fmt


@pytest.mark.parametrize("suffix, words", [(".doc", "not a Word 97-2003 .doc file.*save it as .docx"),
                                           (".wps", "not a WPS file.*save it as .docx"),
                                           (".rtf", "not an RTF file")])
def test_word_formats_with_foreign_content_say_how_to_fix(tmp_path, suffix, words):
    p = tmp_path / f"r{suffix}"
    p.write_bytes(b"whatever this is, it is no document")
    with pytest.raises(ReadError, match=words):
        read(p)


@pytest.mark.parametrize("suffix", [".doc", ".wps", ".rtf"])
def test_rtf_content_is_read_whatever_the_word_extension(tmp_path, suffix):
    p = tmp_path / f"r{suffix}"
    p.write_bytes(b"{\\rtf1\\ansi\\ansicpg936 \\'ca\\'be\\'c0\\'fd\\par whatever}")
    raw = read(p)
    assert raw.text == "示例\nwhatever"
    assert raw.hints.get("actual_format") == (None if suffix == ".rtf" else "rtf")


HTML_PAGE = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>示例局2021年度政府信息公开工作年度报告 - 合成网站</title>
<meta name="PubDate" content="2022-01-20 09:00"><meta name="ContentSource" content="示例局">
<style>.x{color:red}</style><script>document.write('不应出现的脚本文字')</script></head>
<body><div class="nav">首页 | 导航栏文字</div><div class="breadcrumb">当前位置：首页</div>
<div class="TRS_Editor"><p>一、总体情况</p><!--[if gte mso 9]><xml><w:WordDocument>注释里的文字</w:WordDocument></xml><![endif]-->
<p><!--[if !supportLists]-->（一）<!--[endif]-->列表项</p>
<p><![if !supportLists]>1.<![endif]>本年度主动公开信息12条。<br>第二行</p>
<table><tr><td colspan="2">第二十条第（一）项</td></tr>
<tr><td>信息内容</td><td>本年制发件数</td></tr><tr><td rowspan="2">规章</td><td>3</td></tr><tr><td>4</td></tr></table>
<p>二、主动公开政府信息情况</p></div><footer class="footer">版权所有 合成网站</footer></body></html>"""


def test_html_gbk_with_meta_and_chrome(tmp_path):
    p = tmp_path / "page.html"
    p.write_bytes(HTML_PAGE.encode("gbk"))
    raw = read(p)
    assert raw.encoding == "gbk"
    for gone in ("不应出现", "导航栏", "当前位置", "注释里的文字", "color:red", "版权所有"):
        assert gone not in raw.text, gone
    assert "1.本年度主动公开信息12条。\n第二行" in raw.text
    assert "（一）列表项" in raw.text  # Word list numbers between conditional comments are content
    assert "第二十条第（一）项 |\n信息内容 | 本年制发件数 |\n规章 | 3 |\n4 |" in raw.text
    assert raw.tables == [[[{"text": "第二十条第（一）项", "rowspan": 1, "colspan": 2}],
                           [{"text": "信息内容", "rowspan": 1, "colspan": 1},
                            {"text": "本年制发件数", "rowspan": 1, "colspan": 1}],
                           [{"text": "规章", "rowspan": 2, "colspan": 1}, {"text": "3", "rowspan": 1, "colspan": 1}],
                           [{"text": "4", "rowspan": 1, "colspan": 1}]]]
    assert raw.hints["title"].startswith("示例局2021年度") and raw.hints["published"] == "2022-01-20 09:00"
    assert raw.text.index("一、总体情况") < raw.text.index("第二十条") < raw.text.index("二、主动公开")


def test_html_gbk_without_charset_is_sniffed(tmp_path):
    p = tmp_path / "page.htm"
    p.write_bytes(("<html><body><p>" + SYNTH + "</p></body></html>").encode("gbk"))
    raw = read(p)
    assert raw.encoding == "gbk" and "政府信息公开工作年度报告" in raw.text


def test_html_no_external_entities_no_network(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    page = (f'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{secret}">]>'
            f'<html><body><p>正文&xxe;结束</p><img src="http://127.0.0.1:9/x.png"></body></html>')
    p = tmp_path / "x.html"
    p.write_text(page, encoding="utf-8")
    raw = read(p)
    assert "TOP-SECRET" not in raw.text and "正文" in raw.text


def test_html_deep_nesting_does_not_crash(tmp_path):  # past libxml2's ~2000 levels: an error row
    p = tmp_path / "deep.html"
    p.write_text("<html><body>" + "<div>" * 1500 + "深层文字" + "</div>" * 1500 + "</body></html>",
                 encoding="utf-8")
    assert "深层文字" in read(p).text


def test_pdf_pages_and_lines(tmp_path):
    p = make_pdf(tmp_path / "r.pdf", ["第一页 合成报告\n规章 0 0 0", "第二页\n行政许可 12"])
    raw = read(p)
    assert raw.format == "pdf" and len(raw.pages) == 2
    assert "规章 0 0 0" in raw.pages[0] and "行政许可 12" in raw.pages[1]
    assert raw.text == "\f".join(raw.pages)


def test_real_pdf(real_dir):
    raw = read(real_dir / "huaian_city_2024.pdf")
    assert len(raw.pages) == 6 and raw.warning is None
    # table rows stay on one line
    assert any(line.startswith("行政强制") and line.split()[-1].isdigit() for line in raw.text.splitlines())


def test_docx_body_order_and_merged_cells(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("示例局2021年度政府信息公开工作年度报告（合成）")
    d.add_paragraph("二、主动公开政府信息情况")
    t = d.add_table(rows=3, cols=3)
    t.cell(0, 0).merge(t.cell(0, 2)).text = "第二十条第（一）项"
    t.cell(1, 0).merge(t.cell(2, 0)).text = "规章"
    t.cell(1, 1).text, t.cell(1, 2).text, t.cell(2, 1).text, t.cell(2, 2).text = "1", "2", "3", "4"
    d.add_paragraph("三、收到和处理政府信息公开申请情况")
    p = tmp_path / "r.docx"
    d.save(p)
    raw = read(p)
    lines = raw.text.splitlines()
    assert lines[1] == "二、主动公开政府信息情况" and lines[-1].startswith("三、")
    assert "第二十条第（一）项 |" in lines and "规章 | 1 | 2 |" in lines and "3 | 4 |" in lines
    table = raw.tables[0]
    assert table[0] == [{"text": "第二十条第（一）项", "rowspan": 1, "colspan": 3}]
    assert table[1][0] == {"text": "规章", "rowspan": 2, "colspan": 1}
    assert [c["text"] for c in table[2]] == ["3", "4"]


def test_template_docx(template_docx):
    raw = read(template_docx)
    assert len(raw.tables) == 3
    assert "本年制发件数" in raw.text and "六、其他需要报告的事项" in raw.text
    # table 3 has the vertical label merged over 22 rows
    assert any(c["text"] == "三、本年度办理结果" and c["rowspan"] == 22 for r in raw.tables[1] for c in r)


def test_html_layout_table_is_not_data(tmp_path):
    long_para = "合成正文段落。" * 100
    page = ("<html><body><table><tr><td>站点导航区</td></tr><tr><td>"
            f"<p>一、总体情况</p><p>{long_para}</p>"
            "<table><tr><td>规章</td><td>1</td></tr></table><p>二、主动公开政府信息情况</p>"
            "</td></tr></table></body></html>")
    p = tmp_path / "layout.html"
    p.write_text(page, encoding="utf-8")
    raw = read(p)
    assert raw.tables == [[[{"text": "规章", "rowspan": 1, "colspan": 1}, {"text": "1", "rowspan": 1, "colspan": 1}]]]
    lines = raw.text.splitlines()
    assert "一、总体情况" in lines and "规章 | 1 |" in lines and "二、主动公开政府信息情况" in lines


def test_html_source_line_breaks_are_not_text_breaks(tmp_path):
    page = ("<html><body><p>本年度主动公开\n    政府信息12条,\n  other words\nhere</p>"
            "<table><tr><td>本年新\n制作数量</td><td>本年新<br>公开数量</td></tr></table></body></html>")
    p = tmp_path / "wrapped.html"
    p.write_text(page, encoding="utf-8")
    raw = read(p)
    assert raw.text.splitlines()[0] == "本年度主动公开政府信息12条, other words here"
    assert [c["text"] for c in raw.tables[0][0]] == ["本年新制作数量", "本年新 公开数量"]


@pytest.mark.parametrize("declared, actual", [("gb2312", "utf-8"), ("utf-8", "gbk"), ("gb2312", "gbk")])
def test_html_wrong_charset_declaration(tmp_path, declared, actual):
    page = f'<html><head><meta charset="{declared}"></head><body><p>{SYNTH}</p></body></html>'
    p = tmp_path / "x.html"
    p.write_bytes(page.encode(actual))
    raw = read(p)
    assert raw.encoding == actual and "政府信息公开工作年度报告" in raw.text


@pytest.mark.parametrize("text, encoding", [
    ("报告", "gbk"), ("總體情況", "big5"), ("報告", "big5"), (SYNTH, "gbk"), (SYNTH_TRAD, "big5"),
])
def test_gbk_or_big5_short_texts(text, encoding):
    assert decode_bytes(text.encode(encoding)) == (text, encoding)
