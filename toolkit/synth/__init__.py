"""Synthetic corpora (clearly labelled synthetic), generated from our own phrase banks with a seed.

Submodules: ``tables`` (consistent statistical tables and their layouts), ``narrative``
(narrative sections with planted copied passages), ``corpus`` (:func:`make_corpus`, the synthetic city
of the bundled corpus with its ground truth) and ``writers`` (txt / HTML / PDF / DOCX files).

>>> import toolkit as tk
>>> tk.synth.make_corpus("/tmp/hc", seed=1, n_departments=3, n_districts=1, overwrite=True)  # doctest: +SKIP
"""
from __future__ import annotations


def make_corpus(out_dir, **kwargs):
    """Generate the synthetic corpus with its ground truth (see :func:`toolkit.synth.corpus.make_corpus`)."""
    from toolkit.synth.corpus import make_corpus as _make

    return _make(out_dir, **kwargs)


make_corpus.__doc__ = make_corpus.__doc__  # full parameters: toolkit.synth.corpus.make_corpus

__all__ = ["make_corpus"]
