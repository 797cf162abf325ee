"""Each normalization step with a table of (input, expected), then the composed pipeline."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.normalize import (
    detect_script,
    normalize,
    normalize_unicode,
    normalize_whitespace,
    strip_page_furniture,
    strip_pinyin,
    to_simplified,
    unify_punctuation,
)


@pytest.mark.parametrize("raw, expected", [
    ("⼀、总体情况", "一、总体情况"),            # Kangxi radical U+2F00
    ("⼆⼗条", "二十条"),
    ("⼈⺠⾄上", "人民至上"),                  # ⺠ is in the radicals SUPPLEMENT (U+2EA0)
    ("⻅效", "见效"),                          # U+2EC5
    ("⻔户⽹站", "门户网站"),
    ("⺟亲", "母亲"),                          # U+2E9F (NFKC maps this one)
    ("１２３４５", "12345"),                   # full-width digits
    ("ＡＢＣ", "ABC"),
    ("a\u200bb\ufeffc", "abc"),               # zero-width / BOM inside text
    ("第①项", "第①项"),                        # circled numbers are kept (NFKC would make '1')
    ("等等……", "等等……"),
    ("a\r\nb\rc", "a\nb\nc"),
    ("\u3000缩进", " 缩进"),
])
def test_normalize_unicode(raw, expected):
    assert normalize_unicode(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("報(bào)告", "報告"),
    ("報（bào）告", "報告"),
    ("文(wen)章(zhang)", "文章"),
    ("绿(lǜ)色", "绿色"),
    ("门户网站(www.pingtan.gov.cn)公布", "门户网站(www.pingtan.gov.cn)公布"),
    ("报告(2021)", "报告(2021)"),
    ("附件(a)", "附件(a)"),                     # one plain letter: an enumeration
    ("简称(GID)", "简称(GID)"),
    ("公开(abc)", "公开(abc)"),                 # not a syllable
    ("(bao)告", "(bao)告"),                     # not after a Chinese character
    ("PDF(link)", "PDF(link)"),
])
def test_strip_pinyin(raw, expected):
    assert strip_pinyin(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("規範性文件", "规范性文件"),                 # never 档案
    ("行政規範性文件", "行政规范性文件"),
    ("總體情況", "总体情况"),
    ("政府信息公開工作年度報告", "政府信息公开工作年度报告"),
    ("第二十條第(一)項", "第二十条第(一)项"),
    ("本年新製作數量", "本年新制作数量"),
    ("覆蓋", "覆盖"),                            # 覆 is also a simplified character
    ("著力推進", "著力推进"),                     # 著 stays
    ("瞭解情況 憑藉 瞭望", "了解情况 凭借 瞭望"),
    ("规范性文件", "规范性文件"),                 # simplified text is unchanged
    ("規範性檔案", "规范性文件"),                 # tw vocabulary swapped in by mirrors
    ("其他主動公開檔案", "其他主动公开文件"),
    ("档案馆", "档案馆"),                         # real archives stay archives
    ("ASCII only", "ASCII only"),
])
def test_to_simplified(raw, expected):
    assert to_simplified(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("(一)予以公开", "（一）予以公开"),
    ("（一）予以公开", "（一）予以公开"),
    ('危及"三安全一稳定"', "危及“三安全一稳定”"),
    ("危及“三安全一稳定”", "危及“三安全一稳定”"),
    ("「公开」『内部』", "“公开”‘内部’"),
    ('5" 尺寸', '5" 尺寸'),                      # an unpaired quote is left alone
    ("国办公开办函〔2021〕30号", "国办公开办函〔2021〕30号"),
    ("单位:万元", "单位:万元"),
])
def test_unify_punctuation(raw, expected):
    assert unify_punctuation(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("a\n- 4 -\nb", "a\nb"),
    ("a\n—4—\nb", "a\nb"),
    ("a\n-12-\nb", "a\nb"),
    ("a\n第 4 页 共 9 页\nb", "a\nb"),
    ("a\n第4页/共9页\nb", "a\nb"),
    ("a\n共9页 第4页\nb", "a\nb"),
    ("a\n第 4 页\nb", "a\nb"),
    ("a\nPage 3 of 9\nb", "a\nb"),
    ("- 4 -\nb", "b"),
    ("a\n- 4 -", "a\n"),
    ("规章 - 4 - 件", "规章 - 4 - 件"),            # not a line of its own
    ("1.属于国家秘密 0", "1.属于国家秘密 0"),
    ("第4页的内容", "第4页的内容"),
    ("-8", "-8"),                                   # a signed delta, not furniture
])
def test_strip_page_furniture(raw, expected):
    assert strip_page_furniture(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("a  b", "a b"),
    ("a\t\tb", "a b"),
    ("  a  \n  b  ", "a\nb"),
    ("a\n\n\n\nb", "a\n\nb"),
    ("a\r\nb", "a\nb"),
    ("规章 | 0 | 0 | 0 |", "规章 | 0 | 0 | 0 |"),
    ("", ""),
])
def test_normalize_whitespace(raw, expected):
    assert normalize_whitespace(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("（一）規範性文件  報(bào)告\r\n- 4 -\r\n⼀、總體情況", "（一）规范性文件 报告\n一、总体情况"),
    ("第二十條第(一)項", "第二十条第（一）项"),
    ("本年收费金额(单位：万元)", "本年收费金额（单位:万元）"),
    ("2.其他法律行政法規禁止公開", "2.其他法律行政法规禁止公开"),
    ("\ufeff标题", "标题"),
])
def test_normalize(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize("text, script", [
    ("政府信息公開工作年度報告", "traditional"),
    ("政府信息公开工作年度报告", "simplified"),
    ("2021 | 0 |", "simplified"),
    ("", "simplified"),
])
def test_detect_script(text, script):
    assert detect_script(text) == script


def test_normalize_rejects_non_str():
    with pytest.raises(TypeError, match="str"):
        normalize(None)  # type: ignore[arg-type]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("報告规范性文件（）()\"“” \n\t\r-4第页共ａ１⼀⺠bàoa.|")), max_size=60))
def test_normalize_is_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once


def test_seed_becomes_simplified(seed_path):
    raw = seed_path.read_text(encoding="utf-8")
    assert detect_script(raw) == "traditional"
    text = normalize(raw)
    assert detect_script(text) == "simplified"
    assert "总体情况" in text and "總體" not in text


def test_excerpt_radicals(real_dir):
    raw = (real_dir / "excerpts" / "suqian_city_2023_from_cmp.txt").read_text(encoding="utf-8")
    assert "\u2f00" in raw  # the file uses Kangxi radicals
    text = normalize(raw)
    assert not any(0x2E80 <= ord(c) <= 0x2FDF for c in text)
    assert "一、总体情况" in text


def test_tk_normalize_is_callable_and_the_module():
    import toolkit as tk

    assert tk.normalize("報(bào)告") == "报告"
    assert tk.normalize.strip_pinyin("報(bào)告") == "報告"
    assert tk.normalize.normalize("⼀") == "一"
