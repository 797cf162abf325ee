"""Plots: Chinese labels render with a real CJK font, no missing-glyph warnings."""
from __future__ import annotations

import logging
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import toolkit as tk  # noqa: E402
from toolkit import plots  # noqa: E402

LABELS = "政府信息公开 依申请公开 三安全一稳定 過程性信息"  # includes traditional characters


def _render(fig, path, caplog):
    with warnings.catch_warnings(record=True) as caught, caplog.at_level(logging.WARNING):
        warnings.simplefilter("always")
        fig.savefig(path, dpi=60)
    plt.close(fig)
    glyph = [str(w.message) for w in caught if "glyph" in str(w.message).lower() or "font" in str(w.message).lower()]
    logged = [r.getMessage() for r in caplog.records if "glyph" in r.getMessage().lower() or "font" in r.getMessage().lower()]
    assert not glyph and not logged, (glyph, logged)
    assert path.stat().st_size > 1000


def test_use_cjk_font_returns_a_family_with_chinese_glyphs():
    from matplotlib import font_manager

    family = plots.use_cjk_font()
    assert isinstance(family, str) and family
    path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    assert plots._covers(path, "政府信息公开年度报告")
    assert matplotlib.rcParams["font.sans-serif"][0] == family


def test_shipped_font_works_without_system_fonts(monkeypatch):
    monkeypatch.setattr(plots, "_chosen", None)
    assert plots.use_cjk_font(prefer_system=False) == "Noto Sans CJK SC"


def test_chinese_figure_renders_without_missing_glyph_warnings(tmp_path, caplog):
    plots.use_cjk_font()
    fig, ax = plt.subplots()
    ax.bar(LABELS.split(), [3, -1, 2, 1])
    ax.set_title("年度报告 关键词")
    _render(fig, tmp_path / "bars.png", caplog)


def test_toolkit_plots_render(tmp_path, caplog):
    docs = pd.DataFrame({
        "doc_id": ["a", "b", "c"],
        "year": [2019, 2020, 2021],
        "text": ["依申请公开政府信息。政策解读。行政复议。" * 3, "政策解读，政务新媒体，依申请公开。" * 4, "政务新媒体与政府开放日。" * 5],
    })
    toks = tk.tokenize(docs)
    by_year = tk.count_terms(toks, by="year", documents=docs)
    key = tk.keyness(by_year, target=2021, min_freq=1)
    figs = {
        "top": plots.top_terms(tk.count_terms(toks), n=5),
        "top_by": plots.top_terms(by_year, by="year", n=3, title="各年高频词"),
        "key": plots.keyness_bars(key, n=3, alpha=None, labels=("2021年", "其他年份")),
        "trend": plots.term_trends(by_year, ["政策解读", "政务新媒体", "依申请公开"]),
    }
    for name, fig in figs.items():
        assert isinstance(fig, matplotlib.figure.Figure)
        _render(fig, tmp_path / f"{name}.png", caplog)


def test_missing_columns_raise():
    with pytest.raises(tk.ArgumentError, match="log_ratio"):
        plots.keyness_bars(pd.DataFrame({"term": ["x"], "keyness": [1.0], "p_adj": [0.1]}))


def test_the_glyph_check_can_fail(tmp_path, caplog):
    """Negative control: with DejaVu only, the same check sees the missing glyphs."""
    with matplotlib.rc_context({"font.family": "DejaVu Sans", "font.sans-serif": ["DejaVu Sans"]}):
        fig, ax = plt.subplots()
        ax.set_title("政府信息")
        with pytest.raises(AssertionError, match="missing"):
            _render(fig, tmp_path / "boxes.png", caplog)
