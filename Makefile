# The two commands of the README: `make run` and `make test`.
# Each creates .venv and installs what it needs; nothing else is assumed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test bench screenshots guide package clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -e .
	touch $@

$(VENV)/.installed-package: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -e '.[package]'
	touch $@ $(VENV)/.installed-run

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -e '.[test]'
	touch $@ $(VENV)/.installed-run

# Opens the window on a private copy of the bundled demo workspace (made once
# in the user-data folder, so the repository's demo is never modified).
run: $(VENV)/.installed-run
	$(BIN)/segur-desktop-gui --demo

test: $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

# The checks that need no test run, before the tests in .ci/run (configured in pyproject.toml): ruff on
# the whole tree, mypy on the Qt-free core, the layers of ARCHITECTURE.md as import-linter contracts.
.PHONY: lint
lint: $(VENV)/.installed-test
	$(BIN)/ruff check segur_desktop tests tools bench
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: $(VENV)/.installed-test
	$(BIN)/python -m bench.pipeline
	$(BIN)/python -m bench.responsiveness

# The README's pictures: every page on the demo, rendered on a virtual X
# screen (apt packages xvfb, libxcb-icccm4, libxcb-keysyms1 on Debian/Ubuntu).
screenshots: $(VENV)/.installed-run
	QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1400x900x24" $(BIN)/python -m tools.screenshots

# The user guide (docs/guide/, French) as HTML to share outside the app: build/guide-html/index.html,
# one page per chapter, with the screenshots. Also checks that the generated chapter is current.
guide: $(VENV)/.installed-run
	$(BIN)/python -m tools.make_guide --check
	$(BIN)/python -m tools.make_guide --html build/guide-html

# The frozen app for this OS: dist/segur-desktop/ (dist/Segur Desktop.app on
# macOS). Check it with: dist/segur-desktop/segur-desktop --self-test
package: $(VENV)/.installed-package
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build packaging/segur-desktop.spec

clean:
	rm -rf $(VENV) build dist bench/out .pytest_cache
