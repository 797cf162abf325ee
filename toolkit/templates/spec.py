"""Building blocks for the template specifications (tables, rows, columns, identities as data).

A template version is a :class:`Template`: its tables (``t2``, ``t3``, ``t4``), each made of one or more
:class:`Block` (the sub-blocks of table 2, captioned 第二十条第（X）项; one block for tables 3 and 4), each with
ordered :class:`Row` and :class:`Column` objects. Keys are those of ``templates.md`` §10. Labels are the
verbatim template labels (simplified Chinese, full-width brackets); ``anchors`` are the short keyword lists a
parser can match after normalization, in order of preference.

Identities are generated from the data as linear equations over cells (:class:`Equation`), so the checks, the
property tests and the parser's recovery of fused cells all use one definition.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

Numeric = Literal["int", "signed", "float"]


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    anchors: tuple[str, ...] = ()
    unit: str = "件"
    numeric: Numeric = "int"
    parent: str | None = None  # e.g. 法人或其他组织 for its five sub-columns


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    anchors: tuple[str, ...] = ()
    parent: str | None = None  # level-2 label, e.g. （三）不予公开 for r_deny_*
    group: str | None = None  # e.g. "results" for the rows that sum to r_total


@dataclass(frozen=True)
class Block:
    key: str
    caption: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]

    @property
    def col_keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)

    @property
    def row_keys(self) -> tuple[str, ...]:
        return tuple(r.key for r in self.rows)


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    blocks: tuple[Block, ...]

    def cells(self) -> list[tuple[str, str]]:
        """All (row, col) keys of the table, in printed order."""
        return [(r.key, c.key) for b in self.blocks for r in b.rows for c in b.columns]

    def block_of(self, row: str) -> Block:
        for b in self.blocks:
            if row in b.row_keys:
                return b
        raise KeyError(f"table {self.key} has no row {row!r}")


@dataclass(frozen=True)
class Equation:
    """``sum(left) == sum(right)`` over cells (table, row, col)."""

    identity: str  # I1..I4
    table: str
    left: tuple[tuple[str, str], ...]
    right: tuple[tuple[str, str], ...]
    note: str = ""

    @property
    def cells(self) -> tuple[tuple[str, str], ...]:
        return self.left + self.right


@dataclass(frozen=True)
class Template:
    version: str
    title: str
    tables: dict[str, Table] = field(default_factory=dict)
    markers: tuple[str, ...] = ()  # labels that only this version prints (template detection)

    def table(self, key: str) -> Table:
        try:
            return self.tables[key]
        except KeyError:
            from toolkit.errors import TemplateError

            raise TemplateError(f"template {self.version} has no table {key!r}; tables are {list(self.tables)}") from None

    def cells(self) -> list[tuple[str, str, str]]:
        """All (table, row, col) keys of the template."""
        return [(t.key, r, c) for t in self.tables.values() for r, c in t.cells()]

    # ---- identities -------------------------------------------------------------------------
    def equations(self) -> list[Equation]:
        """The printed and implied identities I1-I4 of templates.md §5 as equations over cells."""
        eqs: list[Equation] = []
        t3 = self.tables.get("t3")
        if t3 is not None:
            (b3,) = t3.blocks
            cols = b3.col_keys
            applicant = tuple(c for c in cols if c != "total")
            results = tuple(r.key for r in b3.rows if r.group == "results")
            for c in cols:
                eqs.append(Equation("I1", "t3", (("new_received", c), ("carried_over_from_prev", c)),
                                    (("r_total", c), ("carried_to_next", c)),
                                    "一 + 二 = 三（七）总计 + 四 (printed in the table)"))
            for c in cols:
                eqs.append(Equation("I2", "t3", (("r_total", c),), tuple((r, c) for r in results),
                                    "（七）总计 = sum of the result rows"))
            for r in b3.row_keys:
                eqs.append(Equation("I3", "t3", ((r, "total"),), tuple((r, c) for c in applicant),
                                    "总计 column = sum of the applicant columns"))
        t4 = self.tables.get("t4")
        if t4 is not None:
            for prefix in ("rev", "lit_direct", "lit_after_rev"):
                parts = tuple(("cases", f"{prefix}_{k}") for k in ("upheld", "corrected", "other", "pending"))
                eqs.append(Equation("I4", "t4", (("cases", f"{prefix}_total"),), parts,
                                    f"{prefix} 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结"))
        return eqs


def derive(base: Template, *, version: str, title: str, tables: dict[str, Table] | None = None,
           markers: tuple[str, ...] = ()) -> Template:
    """A new template version as an explicit diff of ``base``: the tables given replace the base's."""
    new_tables = dict(base.tables)
    new_tables.update(tables or {})
    return replace(base, version=version, title=title, tables=new_tables, markers=markers)


def replace_rows(block: Block, old: str, new: tuple[Row, ...]) -> Block:
    """``block`` with row ``old`` replaced by the rows ``new`` at the same place."""
    if old not in block.row_keys:
        raise KeyError(f"block {block.key} has no row {old!r}")
    rows: list[Row] = []
    for r in block.rows:
        rows.extend(new if r.key == old else (r,))
    return replace(block, rows=tuple(rows))
