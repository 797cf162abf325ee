"""Every example in the toolkit's docstrings runs and prints what it shows."""
from __future__ import annotations

import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import toolkit

ROOT = Path(__file__).resolve().parents[1]
MODULES = sorted(m.name for m in pkgutil.walk_packages(toolkit.__path__, "toolkit.") if not m.name.endswith("__main__"))


@pytest.mark.parametrize("name", ["toolkit", *MODULES])
def test_docstring_examples(name, monkeypatch):
    monkeypatch.chdir(ROOT)  # examples use paths such as corpora/seed_liubei_kjj_2020.txt
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, report=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} docstring examples of {name} fail (run python -m doctest -v)"
