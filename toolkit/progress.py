"""Progress bars for corpus-level loops: one rule for every step of the toolkit.

``progress=None`` (the default of every public function) shows a bar only when stderr is a
terminal; ``True``/``False`` force it on or off. A hidden bar is a disabled tqdm, so loops call
``update()`` the same way either way.
"""
from __future__ import annotations

import sys


def shown(progress: bool | None) -> bool:
    """Whether a bar is shown for ``progress`` (None: only when stderr is a terminal)."""
    return sys.stderr.isatty() if progress is None else bool(progress)


def bar(iterable=None, *, progress: bool | None, desc: str, total: int | None = None, unit: str = "it"):
    """A tqdm bar over ``iterable`` (or a manual one with ``total``), disabled unless :func:`shown`."""
    from tqdm.auto import tqdm

    return tqdm(iterable, total=total, desc=desc, unit=unit, disable=not shown(progress))
