"""The texts a text-analysis step works on: whole documents, or sections filtered by name.

:func:`toolkit.tokenize`, :func:`toolkit.kwic` and :func:`toolkit.facts` all take a documents frame
(``doc_id, text``) or a sections frame (``doc_id, section, text[, start]``) and an optional section
filter; :func:`text_units` turns either into the same arrays, with the offset of each text in its
document's ``text`` so that every result can point back into the document.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from toolkit.errors import ArgumentError


def section_filter(sections) -> tuple[str, ...] | None:
    if sections is None:
        return None
    if isinstance(sections, str):
        return (sections,)
    return tuple(sections)


def text_units(frame: pd.DataFrame, sections=None, *, arg: str = "documents") -> "TextUnits":
    """The texts of ``frame`` (documents or sections), filtered to ``sections``."""
    if not isinstance(frame, pd.DataFrame):
        raise ArgumentError(f"{arg} must be a DataFrame with columns doc_id and text, got {type(frame).__name__}")
    missing = [c for c in ("doc_id", "text") if c not in frame.columns]
    if missing:
        raise ArgumentError(
            f"{arg} lacks column(s) {missing}; give a documents frame (doc_id, text) "
            "or a sections frame (doc_id, section, text)"
        )
    wanted = section_filter(sections)
    if "section" not in frame.columns and wanted is not None:
        from toolkit import sections as split_sections  # lazy: only when a section filter asks for it

        frame = split_sections(frame)
    n = len(frame)
    doc_id = frame["doc_id"].to_numpy(dtype=object)
    texts = frame["text"].to_numpy(dtype=object)
    if "section" in frame.columns:
        section = frame["section"].to_numpy(dtype=object)
        base = frame["start"].fillna(0).to_numpy(dtype=np.int64) if "start" in frame.columns else np.zeros(n, np.int64)
        if wanted is not None:
            keep = np.isin(section, np.asarray(wanted, dtype=object))
            doc_id, texts, section, base = doc_id[keep], texts[keep], section[keep], base[keep]
    else:
        section = np.full(n, None, dtype=object)
        base = np.zeros(n, np.int64)
    text = [t if isinstance(t, str) else "" for t in texts]
    return TextUnits(doc_id, section, text, base)


class TextUnits(NamedTuple):
    """Texts to work on; ``base`` is the offset of each text in its document's ``text``."""

    doc_id: np.ndarray
    section: np.ndarray
    text: list[str]
    base: np.ndarray
