"""gid-toolkit: load, structure, check and analyse 政府信息公开工作年度报告 corpora.

Use it as ``import toolkit as tk``. The data path reads top to bottom::

    docs   = tk.load_corpus("corpora/")          # one row per file, nothing lost
    secs   = tk.sections(docs)                   # 一..六 (and pre-2019 layouts)
    cells  = tk.extract_cells(docs)              # tidy table cells, keys of templates.md §10
    facts  = tk.facts(docs)                      # figures stated in the text (pre-2019 statistics)
    issues = tk.check(cells, docs)               # identities and legal rules, one row per finding
    toks   = tk.tokenize(secs)                   # jieba with the domain lexicon
    pairs  = tk.reuse(secs)                      # boilerplate between reports

Names are imported lazily, so ``import toolkit`` stays fast and heavy libraries
(jieba, matplotlib, dask) load only when used.
"""
from __future__ import annotations

import importlib
import sys
import types

__version__ = "0.1.0"

# public name -> module that defines it (one name per concept, no aliases)
_EXPORTS = {
    "ToolkitError": "toolkit.errors",
    "CorpusError": "toolkit.errors",
    "TemplateError": "toolkit.errors",
    "ArgumentError": "toolkit.errors",
    "load_corpus": "toolkit.corpus",
    "download": "toolkit.download",
    "sections": "toolkit.sections",
    "extract_cells": "toolkit.tables",
    "wide": "toolkit.tables",
    "check": "toolkit.checks",
    "facts": "toolkit.facts",
    "tokenize": "toolkit.keywords",
    "count_terms": "toolkit.keywords",
    "keyness": "toolkit.keywords",
    "kwic": "toolkit.keywords",
    "reuse": "toolkit.reuse",
    "shared_passages": "toolkit.reuse",
    "template_share": "toolkit.reuse",
    "reuse_clusters": "toolkit.reuse",
    "similarity_matrix": "toolkit.reuse",
    "copy_families": "toolkit.families",
    "compliance": "toolkit.compliance",
    "study": "toolkit.study",
}
_SUBMODULES = {"plots", "synth", "templates", "normalize"}  # normalize: a callable module, tk.normalize(text)

__all__ = sorted([*_EXPORTS, *_SUBMODULES, "__version__"])


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        module = importlib.import_module(f"toolkit.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'toolkit' has no attribute {name!r}")


def __dir__():
    return __all__


class _Package(types.ModuleType):
    """Keeps ``toolkit.<name>`` the public function when a submodule has the same name (``toolkit.sections``,
    ``toolkit.compliance``, ``toolkit.study``, ``toolkit.reuse``, ``toolkit.facts``): importing that submodule would otherwise
    replace the function by the module on the package."""

    def __setattr__(self, name, value):
        if name in _EXPORTS and isinstance(value, types.ModuleType) and value.__name__ == f"{__name__}.{name}":
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
