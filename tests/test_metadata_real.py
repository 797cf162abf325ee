"""Golden test on the real reports: inferred metadata equals manifest.csv (manifest switched off)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import toolkit as tk
from toolkit.metadata import agency_from_title, detect_template, infer_metadata, parse_date

ROOT = Path(__file__).resolve().parents[1]
FIELDS = ["year", "agency", "template", "script", "published"]


@pytest.fixture(scope="module")
def inferred(real_dir):
    return tk.load_corpus(real_dir, manifest=False, progress=False)


@pytest.fixture(scope="module")
def manifest(real_dir):
    return pd.read_csv(real_dir / "manifest.csv", dtype=str, keep_default_na=False)


def test_one_ok_row_per_report_file(inferred, manifest, real_dir):
    assert sorted(inferred["file"]) == sorted(manifest["file"])  # excerpts included, manifest.csv is not a doc
    assert (inferred["status"] == "ok").all(), inferred.loc[inferred["status"] != "ok", ["file", "error"]]
    assert inferred["doc_id"].is_unique
    assert all(Path(p).is_absolute() and Path(p).exists() for p in inferred["path"])


def _value(v) -> str:
    return "" if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NA else str(v)


@pytest.mark.parametrize("field", FIELDS)
def test_inferred_field_matches_manifest(inferred, manifest, field):
    merged = manifest[manifest["complete"] == "yes"].merge(inferred, on="file", suffixes=("_gold", ""))
    wrong = [(r["file"], _value(r[field]), r[f"{field}_gold"]) for _, r in merged.iterrows()
             if r[f"{field}_gold"] and _value(r[field]) != r[f"{field}_gold"]]
    assert not wrong


def test_score_script_exits_zero(real_dir):
    tool = real_dir.parent.parent / "tools" / "score_metadata.py"
    if not tool.exists():
        pytest.skip(f"{tool} not found")
    proc = subprocess.run([sys.executable, str(tool), str(real_dir), str(real_dir / "manifest.csv")],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_levels_and_regions(inferred, manifest):
    by = inferred.set_index("file")
    assert by.loc["huaian_city_2024.pdf", "level"] == "city" and by.loc["huaian_city_2024.pdf", "adcode"] == "320800"
    assert by.loc["seed_liubei_kjj_2020.txt", "region"] == "广西壮族自治区柳州市柳北区"
    assert by.loc["pingtan_czj_2021.txt", "level"] == "department"
    assert by.loc["pingtan_ptx_2012.txt", "level"] == "county"


def test_seed_text_is_simplified(inferred):
    seed = inferred[inferred["file"] == "seed_liubei_kjj_2020.txt"].iloc[0]
    assert seed["script"] == "traditional"          # of the original
    assert tk.normalize(seed["text"]) == seed["text"]
    from toolkit.normalize import detect_script
    assert detect_script(seed["text"]) == "simplified" and "政府信息公开" in seed["text"]


def test_manifest_overrides_and_keeps_inferred(real_dir):
    docs = tk.load_corpus(real_dir, progress=False)   # manifest.csv auto-detected
    page = docs[docs["file"] == "pingtan_syq_2022_page.html"].iloc[0]
    assert page["level"] == "city" and pd.isna(page["inferred_level"])  # from the manifest only
    assert docs["inferred_year"].notna().all() and "complete" in docs.columns
    seed = docs[docs["file"] == "seed_liubei_kjj_2020.txt"].iloc[0]
    assert seed["agency"] == seed["inferred_agency"] == "柳北区科学技术局"


@pytest.mark.parametrize("title, agency", [
    ("平潭综合实验区财政金融局2021年度政府信息公开工作年度报告", "平潭综合实验区财政金融局"),
    ("某某市人民政府办公室关于2020年政府信息公开工作年度报告", "某某市人民政府办公室"),
    ("2022年某某县人民政府政府信息公开工作年度报告", "某某县人民政府"),
    ("二〇二一年某某区教育局政府信息公开工作年度报告", "某某区教育局"),
    ("2024年报告", None),
    (None, None),
])
def test_agency_from_title(title, agency):
    assert agency_from_title(title) == agency


@pytest.mark.parametrize("text, date", [
    ("发布时间: 2022-01-13 08:38", "2022-01-13"),
    ("2021年1月5日", "2021-01-05"),
    ("2021/1/5", "2021-01-05"),
    ("二〇二一年一月二十五日", "2021-01-25"),
    ("2021年13月5日", None),
    ("无日期", None),
])
def test_parse_date(text, date):
    assert parse_date(text) == date


@pytest.mark.parametrize("text, year, template", [
    ("信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |", 2021, "2021"),
    ("信息内容 | 本年新\n制作数量 | 本年新\n公开数量 |", 2020, "2019"),
    ("第二十条第（九）项 政府集中采购 采购总金额", 2019, "2019"),
    ("一、概述\n二、主动公开政府信息情况", 2012, "pre2019"),
    ("一、总体情况", 2022, "unknown"),
    ("一、总体情况", None, "unknown"),
])
def test_detect_template(text, year, template):
    assert detect_template(text, year) == template


def test_year_is_report_year_not_publication_year():
    text = ("标题: 示例局政府信息公开工作年度报告\n发布时间: 2022-01-20 10:00\n"
            "本报告所列数据的统计期限自2021年1月1日起至2021年12月31日止。")
    meta = infer_metadata(tk.normalize(text))
    assert meta["year"] == 2021 and meta["published"] == "2022-01-20"


def test_title_spanning_two_lines_and_signature():
    text = tk.normalize("示例区科学技术局2020年政府信息\n公开工作年度报告\n一、总体情况\n正文。\n"
                        "示例区科学技术局\n2021年1月15日")
    meta = infer_metadata(text)
    assert meta["title"] == "示例区科学技术局2020年政府信息公开工作年度报告"
    assert meta["agency"] == "示例区科学技术局" and meta["level"] == "department"
    assert meta["year"] == 2020 and meta["signed"] == "2021-01-15" and meta["published"] is None


@pytest.mark.parametrize("head, published", [
    ("来源:示例县人民政府 时间:2014-02-25 00:00 正文", "2014-02-25"),
    ("发布日期:2022年1月20日 正文", "2022-01-20"),
    ("本报告统计时间:2021年1月1日至2021年12月31日。", None),   # a period, not a publication date
])
def test_inline_published(head, published):
    assert infer_metadata(tk.normalize("示例县人民政府2021年政府信息公开工作年度报告\n" + head))["published"] == published


def test_inline_signature_in_one_line_crawler_text():
    text = tk.normalize("政府信息公开工作年度报告 一、总体情况 2021年,合成正文。六、其他需要报告的事项 无。"
                        "示例县财政局 2022年1月13日")
    meta = infer_metadata(text)
    assert meta["agency"] == "示例县财政局" and meta["signed"] == "2022-01-13" and meta["year"] == 2021


def test_agency_falls_back_to_the_page_source_line():
    text = tk.normalize("首页 > 政务公开\n来源:示例县卫生健康局 时间:2022-01-10\n政府信息公开工作年度报告\n"
                        "本报告所列数据的统计期限自2021年1月1日起至2021年12月31日止。")
    meta = infer_metadata(text)
    assert meta["agency"] == "示例县卫生健康局" and meta["published"] == "2022-01-10" and meta["year"] == 2021


@pytest.mark.parametrize("agency, level", [
    ("淮安市人民政府", "city"), ("宁国市人民政府", "county"), ("平潭县人民政府", "county"),
    ("柳州市柳北区人民政府", "district"), ("江苏省人民政府", "province"), ("上海市人民政府", "province"),
    ("示例县某某镇人民政府", "township"), ("示例区某某街道办事处", "township"), ("淮安市财政局", "department"),
    ("上海市人民政府办公厅", "department"), ("延边朝鲜族自治州人民政府", "city"),
])
def test_level(agency, level):
    meta = infer_metadata(f"{agency}2021年政府信息公开工作年度报告\n正文")
    assert meta["agency"] == agency and meta["level"] == level
