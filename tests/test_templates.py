"""The template specifications are data; their keys are those of the gold files (templates.md §10)."""
import pandas as pd
import pytest

from toolkit import templates
from toolkit.errors import TemplateError


def test_sizes_match_the_printed_formats():
    t19, t21 = templates.get("2019"), templates.get("2021")
    assert len(t19.table("t3").blocks[0].rows) == 23 and len(t21.table("t3").blocks[0].rows) == 25
    assert len(t19.table("t3").cells()) == 7 * 23 and len(t21.table("t3").cells()) == 7 * 25
    assert len(t19.table("t4").cells()) == len(t21.table("t4").cells()) == 15
    assert [b.key for b in t19.table("t2").blocks][-1] == "art20_9"
    assert "art20_9" not in [b.key for b in t21.table("t2").blocks]


def test_2021_is_a_diff_of_2019():
    t19, t21 = templates.get("2019"), templates.get("2021")
    assert t21.table("t4") is t19.table("t4")
    r19 = t19.table("t3").blocks[0].row_keys
    r21 = t21.table("t3").blocks[0].row_keys
    assert [r for r in r19 if r != "r_other"] == [r for r in r21 if not r.startswith("r_other_")]


def test_equations_cover_every_identity():
    eqs = templates.get("2021").equations()
    by = pd.Series([e.identity for e in eqs]).value_counts().to_dict()
    assert by == {"I1": 7, "I2": 7, "I3": 25, "I4": 3}
    i2 = next(e for e in eqs if e.identity == "I2" and e.left == (("r_total", "total"),))
    assert len(i2.right) == 2 + 8 + 3 + 5 + 3


def test_unknown_version_names_the_allowed_ones():
    with pytest.raises(TemplateError, match="2019"):
        templates.get("2018")


def test_expected_version_follows_the_report_year():
    assert [templates.expected_version(y) for y in (2018, 2019, 2020, 2021, 2024)] == [None, "2019", "2019", "2021", "2021"]


def test_keys_equal_the_gold_keys(gold_dir):
    for f in sorted(gold_dir.glob("*.csv")):
        g = pd.read_csv(f, dtype=str)
        assert set(zip(g.table, g.row, g.col)) == set(templates.keys(g.template.iloc[0])), f.name
