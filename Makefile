# Two commands do all set-up on a fresh machine:
#   make study   run the main job on the bundled corpus into results/
#   make test    run the test suite
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: study test bench clean venv

venv: $(STAMP)

$(STAMP): pyproject.toml setup.py toolkit/_segment.c
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	$(PY) -m ipykernel install --sys-prefix --name gid-toolkit --display-name "gid-toolkit (.venv)" >/dev/null
	touch $(STAMP)

study: $(STAMP)
	$(VENV)/bin/toolkit study corpora --out results

test: $(STAMP)
	$(PY) -m pytest -n 2 -q

bench: $(STAMP)
	for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) results .pytest_cache
