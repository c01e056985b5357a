# Set-up is two commands on a fresh machine: `make demo`, then `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench lint clean sample-data readme

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

DEMO_AS_OF := 2026-11-22

demo: $(STAMP)
	$(BIN)/loadwatch report sample_data/runner --as-of $(DEMO_AS_OF) --cache-dir .demo-cache
	$(BIN)/loadwatch report sample_data/runner --as-of $(DEMO_AS_OF) --cache-dir .demo-cache \
		--format html --out demo-out/report.html --chart demo-out/load.png
	@echo "HTML report: demo-out/report.html   chart: demo-out/load.png"

# Two workers (one a core of the 2-core machines the README speaks of), each file on one worker
# so that a module's shared fixtures are built once; every test has its own tmp_path, cache,
# state and config (tests/conftest.py), so the workers never meet.
test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadfile

bench: $(STAMP)
	$(BIN)/python bench/common.py
	$(BIN)/python bench/bench_import.py
	$(BIN)/python bench/bench_squad.py
	$(BIN)/python bench/bench_history.py
	$(BIN)/python bench/bench_review.py
	$(BIN)/python bench/bench_startup.py

lint: $(STAMP)
	$(BIN)/ruff check loadwatch tests bench tools

# The README's --help transcripts, made again from the program (tests/test_readme.py checks them).
readme: $(STAMP)
	$(BIN)/python tools/readme_help.py

sample-data: $(STAMP)
	$(BIN)/python tools/make_sample_data.py sample_data

clean:
	rm -rf $(VENV) .demo-cache .pytest_cache
