"""Publication deadlines of templates.md §6 and the report-level checks that need ``documents``.

Rules (条例 2019 第四十九条; 2008 第三十一条):

* report year >= 2019: departments (``level == "department"``) by **31 January** of the next year; a
  government's own report (``level`` in province/city/county/district/township) by **31 March**;
* report year <= 2018: **31 March** for every agency;
* unknown level (``other``/missing): 31 March is used (the later deadline, so nobody is called late wrongly),
  and the message says so.

>>> deadline(2021, "department")
datetime.date(2022, 1, 31)
>>> deadline(2021, "county"), deadline(2015, "department")
(datetime.date(2022, 3, 31), datetime.date(2016, 3, 31))
"""
from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from toolkit.templates import expected_version

from ._frame import issue

GOVERNMENT_LEVELS = ("province", "city", "county", "district", "township")


def deadline(year: int, level: str | None) -> dt.date:
    """The last lawful publication date of the report for ``year`` by an agency of ``level``."""
    y = int(year)
    if y >= 2019 and level == "department":
        return dt.date(y + 1, 1, 31)
    return dt.date(y + 1, 3, 31)


def parse_date(value) -> dt.date | None:
    """``YYYY-MM-DD`` (also ``YYYY/MM/DD``, ``YYYY年M月D日``, datetimes) -> date; None when absent or invalid."""
    if value is None or (not isinstance(value, (str, dt.date)) and pd.isna(value)):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, pd.Timestamp):
        return value.date()
    from toolkit.metadata import parse_date as first_date  # the loader's date reader (also 二〇二一年一月十五日)

    text = first_date(str(value))
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def publication(doc: dict) -> list[dict]:
    """``late-publication`` (error), ``unknown-publication-date`` (info), ``published-before-year-end``."""
    year = doc.get("year")
    if year is None or pd.isna(year):
        return []
    year, level = int(year), doc.get("level")
    level = level if isinstance(level, str) else None
    due = deadline(year, level)
    published = parse_date(doc.get("published"))
    did = doc["doc_id"]
    if published is None:
        return [issue(did, "unknown-publication-date", "info", f"The publication date of the {year} report is "
                      f"unknown, so timeliness cannot be judged (deadline {due.isoformat()}); add it to the "
                      "manifest's 'published' column.", expected=due.isoformat())]
    if published > due:
        days = (published - due).days
        who = {"department": "a department (条例第四十九条: 1月31日)"}.get(
            level, "a government's own report (3月31日)" if level in GOVERNMENT_LEVELS else
            "an agency of unknown level (the later 3月31日 deadline was used)")
        if year < 2019:
            who = "any agency before the 2019 revision (2008 条例第三十一条: 3月31日)"
        return [issue(did, "late-publication", "error", f"Published {published.isoformat()}, {days} days after "
                      f"the deadline {due.isoformat()} for {who}.", expected=due.isoformat(),
                      observed=published.isoformat())]
    if published < dt.date(year + 1, 1, 1):
        return [issue(did, "published-before-year-end", "warning", f"Published {published.isoformat()}, before "
                      f"the end of the report year {year}: the year or the date is probably wrong.",
                      expected=f"{year + 1}-01-01 or later", observed=published.isoformat())]
    return []


def template_for_year(doc_id: str, template: str | None, year) -> list[dict]:
    """``superseded-template``: 2019-format labels in a 2021+ report (error), or 2021 labels before 2021."""
    if template not in ("2019", "2021") or year is None or pd.isna(year):
        return []
    want = expected_version(int(year))
    if want is None or want == template:
        return []
    if template == "2019":
        return [issue(doc_id, "superseded-template", "error", f"The {int(year)} report prints the superseded "
                      "2019 format (国办公开办函〔2019〕60号, e.g. 本年新制作数量, 第二十条第（九）项, one （六）其他处理 row); "
                      "reports from 2021 on must use the 2021 format (国办公开办函〔2021〕30号).",
                      expected=want, observed=template)]
    return [issue(doc_id, "superseded-template", "warning", f"The {int(year)} report prints the 2021 format, which "
                  "applies from the 2021 reports on; check the report year.", expected=want, observed=template)]


_EMPTY = re.compile(r"^(?:无|暂无|没有|无\s*[。.]?|/|-|—)?$")


def empty_section_5(doc_id: str, sections: pd.DataFrame) -> list[dict]:
    """``empty-section-5`` (warning): section 五 present but empty or just 无."""
    s5 = sections[sections["section"].astype(str).str.startswith("s5")]
    if s5.empty:
        return []
    body = "".join(str(t) for t in s5["text"] if isinstance(t, str))
    heading = "".join(str(h) for h in s5["heading"] if isinstance(h, str)) if "heading" in s5.columns else ""
    if heading and body.startswith(heading):
        body = body[len(heading):]
    body = re.sub(r"[\s。.，,；;：:、]+", "", body)
    body = re.sub(r"^五、[^无暂没]*?(?:情况|措施)", "", body)  # the heading when the text still carries it
    if _EMPTY.match(body):
        return [issue(doc_id, "empty-section-5", "warning", "Section 五、存在的主要问题及改进情况 is empty or just "
                      f"“{body or '(nothing)'}”; 条例第五十条（四） requires the main problems and the improvements.",
                      observed=body)]
    return []
