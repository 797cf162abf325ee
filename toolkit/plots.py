"""Matplotlib figures for term statistics, with a CJK font that works on a fresh machine.

Call :func:`use_cjk_font` once before drawing Chinese labels. It prefers a CJK font
installed on the system and falls back to Noto Sans CJK shipped by the PyPI package
``noto-cjk-sans-otc`` (a dependency of the toolkit), so Chinese never renders as
empty boxes even where the system only has DejaVu.
"""
from __future__ import annotations

import logging
from pathlib import Path

logger = logging.getLogger(__name__)

# Families tried in order among fonts matplotlib already knows (system fonts).
_SYSTEM_CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "STHeiti",
    "Sarasa Gothic SC",
    "Droid Sans Fallback",
    "AR PL UMing CN",
    "AR PL UKai CN",
)
_SHIPPED_FAMILY = "Noto Sans CJK SC"
_PROBE = "政府信息公开年度报告"
_chosen: str | None = None


def _covers(path: str, probe: str = _PROBE) -> bool:
    """True if the font file at ``path`` has a glyph for every character of ``probe``."""
    from matplotlib import ft2font

    try:
        font = ft2font.FT2Font(path)
    except Exception:  # unreadable font file: not a candidate
        return False
    return all(font.get_char_index(ord(ch)) != 0 for ch in probe)


def _shipped_font_path() -> Path | None:
    try:
        import noto_cjk_sans_otc
    except ImportError:
        return None
    path = Path(str(noto_cjk_sans_otc.FONT_PATH))
    return path if path.exists() else None


def use_cjk_font(*, prefer_system: bool = True) -> str:
    """Make matplotlib draw Chinese with a real CJK font and return its family name.

    Looks for a system CJK font first (unless ``prefer_system=False``), otherwise
    registers Noto Sans CJK SC from the ``noto-cjk-sans-otc`` package. Sets
    ``rcParams["font.family"]`` to ``sans-serif`` with the chosen family first, and
    ``axes.unicode_minus=False`` so minus signs do not need a glyph the font lacks.
    Safe to call many times.

    Returns
    -------
    str
        The font family now used for Chinese labels, e.g. ``"Noto Sans CJK SC"``.

    Raises
    ------
    ToolkitError
        If no CJK font can be found or loaded (install ``noto-cjk-sans-otc``).

    Examples
    --------
    >>> from toolkit.plots import use_cjk_font
    >>> use_cjk_font()  # doctest: +SKIP
    'Noto Sans CJK SC'
    """
    global _chosen
    import matplotlib as mpl
    from matplotlib import font_manager as fm

    from toolkit.errors import ToolkitError

    family = None
    if _chosen is not None:
        family = _chosen
    elif prefer_system:
        known = {}
        for entry in fm.fontManager.ttflist:
            known.setdefault(entry.name, entry.fname)
        for name in _SYSTEM_CJK_FAMILIES:
            if name in known and _covers(known[name]):
                family = name
                logger.debug("using system CJK font %s (%s)", name, known[name])
                break
    if family is None:
        path = _shipped_font_path()
        if path is None:
            raise ToolkitError(
                "no CJK font found for matplotlib; install one (e.g. `pip install noto-cjk-sans-otc`, "
                "a dependency of this toolkit) or a system font such as fonts-noto-cjk"
            )
        fm.fontManager.addfont(str(path))  # a .ttc registers every face (SC, TC, JP, ...)
        names = {entry.name for entry in fm.fontManager.ttflist}
        family = _SHIPPED_FAMILY if _SHIPPED_FAMILY in names else fm.FontProperties(fname=str(path)).get_name()
        logger.debug("using shipped CJK font %s (%s)", family, path)
    _chosen = family
    sans = [family, *[f for f in mpl.rcParams["font.sans-serif"] if f != family]]
    mpl.rcParams["font.sans-serif"] = sans
    mpl.rcParams["font.family"] = "sans-serif"
    mpl.rcParams["axes.unicode_minus"] = False
    return family
