# fazhi — `make demo` and `make test` do all the set-up on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test fuzz lint bench install mutants clean templates

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# setuptools builds in build/ and keeps what it built before: a module moved or deleted since would still ship.
# Every install starts from an empty build/ so the installed package is exactly the tree.
FRESH_BUILD := rm -rf build

# A regular (non-editable) install: proves the rubric data and templates ship inside the package. Then a launcher
# `fazhi` in ~/.local/bin (on the PATH of most Linux systems), so that `fazhi` runs from any folder.
LAUNCHER_DIR ?= $(HOME)/.local/bin
install: $(BIN)/python
	$(FRESH_BUILD)
	$(BIN)/python -m pip install --quiet .
	mkdir -p "$(LAUNCHER_DIR)"
	ln -sf "$(abspath $(BIN))/fazhi" "$(LAUNCHER_DIR)/fazhi"
	@echo "已安装:$(LAUNCHER_DIR)/fazhi(指向 $(abspath $(BIN))/fazhi)"
	@case ":$$PATH:" in *":$(LAUNCHER_DIR):"*) ;; \
	  *) echo "注意:$(LAUNCHER_DIR) 不在 PATH 中。请运行 echo 'export PATH=\"$(LAUNCHER_DIR):\$$PATH\"' >> ~/.bashrc 后重新打开终端,或用 source $(VENV)/bin/activate";; esac

demo: install
	$(BIN)/fazhi demo

# pytest is run by its script (not `python -m pytest`) so the tests import the installed package.
test: $(BIN)/python
	$(FRESH_BUILD)
	$(BIN)/python -m pip install --quiet ".[test]"
	$(BIN)/pytest

# The long fuzz run of ingest (hypothesis); `make test` runs a bounded number of the same cases.
FUZZ_EXAMPLES ?= 2000
fuzz: $(BIN)/python
	$(FRESH_BUILD)
	$(BIN)/python -m pip install --quiet ".[test]"
	FAZHI_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest tests/test_fuzz.py -q

# Mutation testing of fazhi_cli/domain/ with mutmut ([tool.mutmut] in pyproject.toml; docs/mutants.md). Slow:
# not part of `make test`. MUTANTS_JOBS bounds the parallel children (the machines are shared).
MUTANTS_JOBS ?= 2
mutants: $(BIN)/python
	$(FRESH_BUILD)
	$(BIN)/python -m pip install --quiet ".[test,mutants]"
	rm -rf mutants
	$(BIN)/mutmut run --max-children $(MUTANTS_JOBS); $(BIN)/mutmut results

# The Word templates of the official documents (templates/notice.docx, feedback-letter.docx), rebuilt from
# fazhi_cli/documents/layout.py (the GB/T 9704 page). Commit the result; tests/test_documents.py checks it.
templates: install
	$(BIN)/python -c "from pathlib import Path; from fazhi_cli.documents.layout import build_templates; \
	print(*build_templates(Path('templates')), sep='\n')"

lint: $(BIN)/python
	$(FRESH_BUILD)
	$(BIN)/python -m pip install --quiet ".[test]"
	$(BIN)/ruff check fazhi_cli tests sample_data $(wildcard bench)

# The stage benchmark of issue 14 (bench/run.py --help): BENCH_UNITS=10000 for the large run; writes bench/results.json.
BENCH_UNITS ?= 1000
bench: install
	$(FRESH_BUILD)
	$(BIN)/python -m pip install --quiet ".[bench]"
	$(BIN)/python bench/run.py --units $(BENCH_UNITS)

clean:
	rm -rf $(VENV) build *.egg-info fazhi-demo mutants
