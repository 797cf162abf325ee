"""Metadata inference from a report's own text: title, agency, region, level, year, dates, template.

Everything is inferred from content, the way a reader would: crawler header lines
(``标题:``, ``发布时间:``, ``来源:``, ``原文链接:``), HTML ``<meta>`` hints, the title lines at
the top, the statistics period sentence, the page header (``发布日期``), the closing
signature and date, and the table labels.

* ``year`` is the REPORT year (title, else ``统计期限…至2021年12月31日``, else the first
  year of 一、总体情况/概述), not the publication year.
* ``published`` comes only from a stated publication date (header line, ``<meta PubDate>``,
  ``发布时间/发布日期/时间:`` near the top); ``signed`` is the date under the closing
  signature (it may be wrong in the document itself).
* ``template`` is label-based: 2021 labels (本年制发件数, 本年废止件数, 现行有效件数,
  本年收费金额, 逾期未按收费通知要求缴纳费用) versus 2019 labels (本年新制作数量,
  本年新公开数量, 对外公开总数量, 第二十条第（九）项, 采购总金额); with no standard table and a
  year before 2019 it is ``pre2019``, else ``unknown``.
* ``region``/``province``/``city``/``county``/``adcode`` come from ``cpca`` applied to the
  agency (then the title, then the opening lines), with ``toolkit/data/regions_aliases.csv``
  for zones cpca does not know (平潭综合实验区).
* ``level``: province/city/county/district/township for governments (from the unit in
  the name and whether cpca's code is county-level), ``department`` for a 局/委/办/厅…,
  ``other`` otherwise.

Examples
--------
>>> m = infer_metadata("标题: 平潭县人民政府2011年政府信息公开工作年度报告\\n发布时间: 2012-04-18 00:00\\n正文")
>>> m["agency"], m["year"], m["published"], m["level"]
('平潭县人民政府', 2011, '2012-04-18', 'county')
"""
from __future__ import annotations

import csv
import functools
import logging
import re
from collections import Counter
from importlib import resources

from .numerals import chinese_int

__all__ = ["infer_metadata", "detect_template", "parse_date", "region_of"]

log = logging.getLogger(__name__)

_YEAR = r"((?:19|20)\d{2}|[〇零○一二三四五六七八九]{4})"
_HEADER_LINE = re.compile(r"^(标题|题名|名称|发布时间|发布日期|发文日期|成文日期|日期|时间|发布机构|发文机关|"
                          r"来源|信息来源|文号|索引号|栏目|原文链接|链接|URL|url|网址)\s*:\s*(.*)$")
_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)\s*日?")
_CN_DATE = re.compile(r"([〇零○一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*"
                      r"([一二三四五六七八九十]{1,3})\s*日")
_INLINE_PUBLISHED = re.compile(r"(?:发布时间|发布日期|发文日期|发布于|更新时间|(?<![\u4e00-\u9fff])(?:时间|日期))\s*:\s*"
                               r"((?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2})")
_INLINE_SOURCE = re.compile(r"(?<![\u4e00-\u9fff])(?:来源|信息来源|发布机构)\s*:\s*([\u4e00-\u9fff（）]{3,40}?"
                            r"(?:人民政府|政府|管委会|管理委员会|办公室|办公厅|委员会|局|委|厅|中心|院|署))")
_TITLE_END = re.compile(r"(?:年度?报告|工作报告|年报)(?:\s*[（(][^）)]{0,12}[）)])?")
_SPACE_IN_CJK = re.compile(r"(?<=[\u4e00-\u9fff\d]) +(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff]) +(?=\d)")
_TITLE_YEAR = re.compile(r"^(?P<pre>.*?)(?:关于)?" + _YEAR + r"\s*年度?(?P<post>.*)$")
_AGENCY_TAIL = re.compile(r"(?:政府信息公开|政务公开|信息公开|政府信息).*$")
_ORG_SUFFIX = re.compile(r"(?:人民政府|政府|管委会|管理委员会|行政公署|办事处|办公室|办公厅|委员会|局|委|厅|"
                         r"中心|院|所|署|处|站|队|馆|部|会|公司|集团|实验区|新区|开发区)$")
_SIGNATURE = re.compile(r"^[\u4e00-\u9fff（）]{3,40}(?:人民政府|政府|管委会|管理委员会|行政公署|办事处|办公室|"
                        r"办公厅|委员会|局|委|厅|中心|院|署)$")
_PERIOD = re.compile(r"统计[^。\n]{0,30}?(?:19|20)\d{2}\s*年\s*1\s*月\s*1\s*日[^。\n]{0,12}?"
                     r"((?:19|20)\d{2})\s*年\s*12\s*月\s*31\s*日")
_FIRST_SECTION = re.compile(r"一、\s*(?:总体情况|概述|概况|基本情况|基本工作情况)")
_BODY_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_PLACE = re.compile(r"[\u4e00-\u9fff]{1,8}?(?:自治区|省|市|自治州|州|盟|县|旗|区)")



_LATIN_ZERO = str.maketrans({"O": "〇", "Ｏ": "〇"})  # 二O二一: a letter O typed for 〇


def _cn_number(s: str) -> int | None:
    return chinese_int(s.translate(_LATIN_ZERO))


def _year(s: str) -> int | None:
    y = int(s) if s.isdigit() else _cn_number(s)
    return y if y and 1990 <= y <= 2100 else None


def parse_date(text: str) -> str | None:
    """First date in ``text`` as ``YYYY-MM-DD`` (arabic or Chinese numerals), else None.

    >>> parse_date("发布时间: 2022-01-13 08:38"), parse_date("二〇二一年一月十五日")
    ('2022-01-13', '2021-01-15')
    """
    for rx in (_DATE, _CN_DATE):
        for m in rx.finditer(text):
            y, mo, d = (_year(m.group(1)), _cn_number(m.group(2)) if not m.group(2).isdigit() else int(m.group(2)),
                        _cn_number(m.group(3)) if not m.group(3).isdigit() else int(m.group(3)))
            if y and mo and d and 1 <= mo <= 12 and 1 <= d <= 31:
                return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def _header(lines: list[str]) -> tuple[dict, int]:
    """Crawler header ``key: value`` lines at the top; returns (fields, index of the body)."""
    fields: dict = {}
    body = 0
    for i, line in enumerate(lines[:25]):
        m = _HEADER_LINE.match(line)
        if m:  # "来源:某局 时间:2014-02-25": each field ends where the next label starts
            value = re.split(r"\s+(?=[\u4e00-\u9fff]{2,4}\s*:)", m.group(2).strip())[0]
            fields.setdefault(m.group(1), value)
            for key, val in re.findall(r"\s([\u4e00-\u9fff]{2,4})\s*:\s*(\S+(?: \d{1,2}:\d{2}(?::\d{2})?)?)",
                                       m.group(2)):
                fields.setdefault(key, val)
            body = i + 1
        elif line.startswith("=====") or ("链接" in line and "详见" in line):
            body = i + 1
        elif fields and line:
            break
    return fields, body


def _clean_title(t: str) -> str:
    t = re.sub(r"^(?:【[^】]{0,12}】|\[[^\]]{0,12}\])\s*", "", t.strip())  # 【年度报告】 column tags before the title
    return _SPACE_IN_CJK.sub("", t).strip(" :,。")


def _title_from_lines(lines: list[str]) -> str | None:
    block = []
    for line in lines[:10]:
        if not line or line.startswith("[page"):
            continue
        m = _TITLE_END.search(line)
        if m:
            cand = "".join(block) + line[:m.end()]
            if len(cand) <= 60 and not re.search(r"[《。,;]|根据|本报告", cand):
                return _clean_title(cand)
        if len(line) > 40 or "。" in line or ":" in line:
            block = []
            if len(line) > 40:
                break
            continue
        block.append(line)
        if len(block) > 3:
            break
    return None


def _title_from_hint(hint: str | None) -> str | None:
    if not hint:
        return None
    parts = [p.strip() for p in re.split(r"\s*[_|｜—–-]{1,2}\s*", hint) if p.strip()]
    best = next((p for p in parts if "报告" in p), parts[0] if parts else None)
    return _clean_title(best) if best else None


def agency_from_title(title: str | None) -> str | None:
    """Agency named in a report title.

    >>> agency_from_title("平潭综合实验区财政金融局2021年度政府信息公开工作年度报告")
    '平潭综合实验区财政金融局'
    >>> agency_from_title("2021年平潭县人民政府政府信息公开工作年度报告")
    '平潭县人民政府'
    """
    if not title:
        return None
    m = _TITLE_YEAR.match(title)
    if m:
        cand = re.sub(r"(?:关于|的)$", "", m.group("pre").strip(" “”\"'《"))
        if len(cand) < 2:
            cand = _AGENCY_TAIL.sub("", m.group("post")).strip(" “”\"'")
    else:
        cand = _AGENCY_TAIL.sub("", title).strip()
    if len(cand) < 2 or "报告" in cand or not re.search(r"[\u4e00-\u9fff]{2}", cand):
        return None
    return cand if _ORG_SUFFIX.search(cand) or region_of(cand) else None


_INLINE_SIGNATURE = re.compile(
    r"(?:^|[。;!\s])([\u4e00-\u9fff（）]{3,40}?(?:人民政府|政府|管委会|管理委员会|行政公署|办事处|办公室|办公厅|"
    r"委员会|局|委|厅|中心|院|署))\s*((?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|"
    r"[〇零○一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)\s*$")


def _signature(lines: list[str]) -> tuple[str | None, str | None]:
    """Agency and date under the closing signature (own lines, or inline at the very end)."""
    agency = signed = None
    for line in lines[-12:]:
        line = line.strip()
        if _SIGNATURE.match(line):
            agency = line
        d = parse_date(line) if len(line) <= 20 else None
        if d:
            signed = d
    if agency is None and lines:
        m = _INLINE_SIGNATURE.search(lines[-1].strip()[-80:])
        if m:
            agency, signed = m.group(1), parse_date(m.group(2))
    return agency, signed


@functools.lru_cache(maxsize=1)
def _aliases() -> list[dict]:
    with resources.files("toolkit").joinpath("data/regions_aliases.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@functools.lru_cache(maxsize=4096)
def region_of(name: str) -> dict | None:
    """Province/city/county/adcode of a place or agency name (cpca, plus the alias table).

    >>> region_of("淮安市人民政府")["adcode"]
    '320800'
    """
    for a in _aliases():
        if a["alias"] in name:
            return {k: (a[k] or None) for k in ("province", "city", "county", "adcode", "region")} | {
                "alias_level": a["level"] or None}
    try:
        import cpca
        row = cpca.transform([name]).iloc[0]
    except Exception as e:  # pragma: no cover - cpca data problems must not stop a load
        log.warning("cpca failed on %r: %s", name, e)
        return None
    prov, city, county, code = (row.get("省"), row.get("市"), row.get("区"), row.get("adcode"))
    clean = [v if isinstance(v, str) and len(v) >= 2 and v != "市辖区" else None for v in (prov, city, county)]
    if not clean[0] or not isinstance(code, str):
        return None
    deepest = next(v for v in reversed(clean) if v)
    stem = re.sub(r"(?:维吾尔|壮族|回族)?(?:自治区|自治州|自治县|省|市|区|县|盟|旗|地区)$", "", deepest)
    if len(stem) < 2 or stem not in name:
        return None  # cpca guessed from a lone suffix character ("县") or a look-alike
    if clean[1] == clean[0]:
        clean[1] = None
    return {"province": clean[0], "city": clean[1], "county": clean[2], "adcode": code,
            "region": "".join(v for v in clean if v), "alias_level": None}


def _level(agency: str | None, region: dict | None) -> str | None:
    if not agency:
        return None
    if region and region.get("alias_level") and any(a["alias"] == agency for a in _aliases()):
        return region["alias_level"]
    if re.search(r"(?:乡|镇|街道)(?:人民政府|政府|办事处|街道办事处)?$", agency):
        return "township"
    gov = re.sub(r"(?:人民政府|政府|行政公署)$", "", agency)
    is_gov = gov != agency or (region is not None and region.get("region") and agency in region["region"])
    if not is_gov:
        if region and region.get("alias_level") and agency in (region.get("region") or ""):
            return region["alias_level"]
        if _ORG_SUFFIX.search(agency) or re.search(r"(?:局|委|办|厅)", agency[-3:]):
            return "department"
        return "other"
    code = (region or {}).get("adcode") or ""
    county_code = len(code) == 6 and code[4:] != "00"
    if re.search(r"(?:省|自治区)$", gov) or re.fullmatch(r"(?:北京|天津|上海|重庆)市?", gov):
        return "province"
    if gov.endswith(("县", "旗", "自治县", "自治旗", "特区", "林区")):
        return "county"
    if gov.endswith("区"):
        if re.search(r"(?:开发区|实验区|园区|示范区|合作区|保税区|高新区)$", gov) and not county_code:
            return "other"
        return "district" if county_code or not code else "other"
    if gov.endswith("市"):
        return "county" if county_code else "city"
    if gov.endswith(("州", "盟", "地区")):
        return "city"
    return "other"


def detect_template(text: str, year: int | None = None) -> str:
    """``"2021"``, ``"2019"``, ``"pre2019"`` or ``"unknown"`` from the table labels.

    The labels are read by the table parser's detection (:func:`toolkit.tables.detect.detect_template`);
    a report without the national tables is ``pre2019`` when its year is before 2019, else ``unknown``.

    >>> detect_template("信息内容 | 本年制发件数 | 本年废止件数 |"), detect_template("概述", 2012)
    ('2021', 'pre2019')
    """
    from toolkit.tables.detect import detect_template as from_labels

    version = from_labels(text, year=year)
    if version is not None:
        return version
    return "pre2019" if year is not None and year < 2019 else "unknown"


def _report_year(title: str | None, body: str) -> int | None:
    if title:
        m = _TITLE_YEAR.match(title)
        if m:
            y = _year(m.group(2))
            if y:
                return y
    m = _PERIOD.search(body[:5000])
    if m:
        return int(m.group(1))
    m = _FIRST_SECTION.search(body)
    if m:
        m2 = _BODY_YEAR.search(body, m.end(), m.end() + 80)
        if m2:
            return int(m2.group(1))
    years = Counter(int(y) for y in _BODY_YEAR.findall(body[:3000]))
    return years.most_common(1)[0][0] if years else None


def infer_metadata(text: str, hints: dict | None = None) -> dict:
    """Infer the metadata fields of one NORMALIZED report text.

    Parameters
    ----------
    text : str
        ``normalize()``-d text of the whole file.
    hints : dict, optional
        Reader hints: ``title``, ``h1``, ``published``, ``source``, ``source_agency``.

    Returns
    -------
    dict
        ``title, agency, region, province, city, county, adcode, level, year, published,
        signed, template, source``.
    """
    hints = hints or {}
    lines = text.split("\n")
    header, body_at = _header(lines)
    body_lines = lines[body_at:]
    body = "\n".join(body_lines)
    title = (_clean_title(header["标题"]) if header.get("标题") else None) \
        or _title_from_hint(hints.get("title")) or _title_from_hint(hints.get("h1")) \
        or _title_from_lines(body_lines)
    sig_agency, signed = _signature(body_lines)
    inline_source = _INLINE_SOURCE.search(text[:2000])
    agency = (agency_from_title(title) or sig_agency or hints.get("source_agency")
              or header.get("来源") or header.get("信息来源") or (inline_source.group(1) if inline_source else None)
              or None)
    published = None
    for key in ("发布时间", "发布日期", "发文日期", "日期", "时间"):
        if header.get(key):
            published = parse_date(header[key])
            if published:
                break
    if not published and hints.get("published"):
        published = parse_date(hints["published"])
    if not published:
        m = _INLINE_PUBLISHED.search(text[:2000])
        published = parse_date(m.group(1)) if m else None
    year = _report_year(title, body)
    region = None
    places = _PLACE.findall(body[:300])  # short place names: cached lookups, not the whole text
    for source in (agency, title, *places[:3]):
        if source:
            region = region_of(source)
            if region:
                break
    return {
        "title": title,
        "agency": agency,
        "region": (region or {}).get("region"),
        "province": (region or {}).get("province"),
        "city": (region or {}).get("city"),
        "county": (region or {}).get("county"),
        "adcode": (region or {}).get("adcode"),
        "level": _level(agency, region),
        "year": year,
        "published": published,
        "signed": signed,
        "template": detect_template(body, year),
        "source": header.get("原文链接") or header.get("链接") or header.get("URL") or header.get("url")
        or header.get("网址") or hints.get("source"),
    }
