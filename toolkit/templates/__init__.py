"""Template specifications as data: one module per version (``t2019``, ``t2021``).

>>> from toolkit import templates
>>> t = templates.get("2021")
>>> len(t.table("t3").blocks[0].rows)
25
>>> [e.identity for e in t.equations()][:1]
['I1']

A new version is an explicit diff of the previous one (see :func:`toolkit.templates.spec.derive`).
Besides the two table formats, reports carry a ``template`` of ``pre2019`` (before the national format;
no fixed tables) or ``unknown``.
"""
from __future__ import annotations

from . import t2019, t2021
from .spec import Block, Column, Equation, Row, Table, Template

VERSIONS: dict[str, Template] = {"2019": t2019.TEMPLATE, "2021": t2021.TEMPLATE}
TEMPLATE_VALUES = ("2019", "2021", "pre2019", "unknown")


def get(version: str | int) -> Template:
    """The :class:`Template` of ``version`` (``"2019"`` or ``"2021"``)."""
    from toolkit.errors import TemplateError

    key = str(version)
    if key not in VERSIONS:
        raise TemplateError(f"template={version!r} has no table specification; use one of {sorted(VERSIONS)}")
    return VERSIONS[key]


def expected_version(report_year: int | None) -> str | None:
    """The format a report of ``report_year`` must use: 2019 for 2019-2020, 2021 from 2021, None before 2019."""
    if report_year is None:
        return None
    y = int(report_year)
    if y >= 2021:
        return "2021"
    if y >= 2019:
        return "2019"
    return None


def keys(version: str | int) -> list[tuple[str, str, str]]:
    """All (table, row, col) keys of a version, in printed order."""
    return get(version).cells()


__all__ = ["Block", "Column", "Equation", "Row", "Table", "Template", "VERSIONS", "TEMPLATE_VALUES",
           "expected_version", "get", "keys"]
