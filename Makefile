# The two commands of the README: `make run` and `make test`.
# Each creates .venv and installs what it needs; nothing else is assumed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -e '.[test]'
	touch $@ $(VENV)/.installed-run

# Until the window exists, `run` validates the bundled demo workspace and
# prints its summary. Exit 1 only means "some demandes are invalid", which
# is what the demo is made to show.
run: $(VENV)/.installed-run
	@$(BIN)/segur-desktop validate --workspace resources/demo; \
	status=$$?; [ $$status -le 1 ]

test: $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

bench: $(VENV)/.installed-test
	$(BIN)/python -m bench.pipeline

clean:
	rm -rf $(VENV) build dist bench/out .pytest_cache
