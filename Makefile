# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test test-slow test-all install db demo lint bench constraints clean

$(STAMP): setup.py pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools wheel
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	$(BIN)/python -m wfm.i18n compile
	touch $(STAMP)

# The print font (Noto Sans SC, for Chinese in PDFs), fetched with npm; never committed (wfm/printing/fonts.py).
PRINT_FONT := wfm/printing/fontfiles/NotoSansSC-Regular.ttf

$(PRINT_FONT): wfm/printing/fonts.py | $(STAMP)
	$(BIN)/python -m wfm.printing.fonts

install: $(STAMP) $(PRINT_FONT)

db: install
	$(BIN)/wfm db upgrade

demo: db
	$(BIN)/wfm demo --if-empty

run: demo
	@echo "Serving on http://$(HOST):$(PORT)"
	$(BIN)/wfm run --host $(HOST) --port $(PORT)

# The everyday suite: every test but the slow ones (browser, fuzzing, long solves, real worker processes).
test: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy scheduling training
	$(BIN)/pytest -m "not slow" $(PYTEST_ARGS)

# The slow ones, then the API pipeline once more with every job sent through RQ on a real redis-server.
test-slow: install
	$(BIN)/pytest -m slow $(PYTEST_ARGS)
	WFM_TEST_REDIS=1 $(BIN)/pytest -q tests/web/test_api_planning.py $(PYTEST_ARGS)

test-all: test test-slow

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy scheduling training

bench: install
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

# After a green `make test-all` with newer packages: pin them as the versions last known green.
constraints: install
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^wfm' > constraints.txt

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
