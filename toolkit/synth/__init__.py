"""Synthetic corpora (clearly labelled synthetic), generated from our own phrase banks with a seed.

Submodules: ``tables`` (consistent statistical tables and their layouts), ``narrative``
(narrative sections with planted copied passages), ``corpus`` (:func:`make_corpus`, the synthetic city
of the bundled corpus with its ground truth) and ``writers`` (txt / HTML / PDF / DOCX files).

>>> import toolkit as tk
>>> tk.synth.make_corpus("/tmp/hc", seed=1, n_departments=3, n_districts=1, overwrite=True)  # doctest: +SKIP
"""
from __future__ import annotations

from toolkit.synth.corpus import combine_manifests, make_corpus

__all__ = ["make_corpus", "combine_manifests"]
