"""Every notebook runs top to bottom on the bundled corpus (nbclient, kernel = this interpreter)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def test_the_five_notebooks_exist_with_outputs_stripped():
    names = [p.stem for p in NOTEBOOKS]
    assert names == ["01_corpus", "02_tables_and_compliance", "03_keywords", "04_boilerplate", "05_replication"]
    for p in NOTEBOOKS:
        nb = json.loads(p.read_text(encoding="utf-8"))
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        assert "parameters" in code[0].get("metadata", {}).get("tags", []), f"{p.name}: parameters cell first"
        assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), f"{p.name}: strip outputs"
        src = "".join("".join(c["source"]) for c in code)
        assert "import toolkit as tk" in src and "from toolkit." not in src and "tk._" not in src, p.name


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_executes(path):
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    # "python3" is the native kernel: ipykernel started with the interpreter running the tests
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
