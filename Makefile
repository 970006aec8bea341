# fazhi — `make demo` and `make test` do all the set-up on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test fuzz lint bench install mutants clean templates fonts

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

demo: install fonts
	$(BIN)/fazhi demo

# pytest is run by its script (not `python -m pytest`) so the tests import the installed package.
test: $(BIN)/python fonts
	$(FRESH_BUILD)
	@echo "正在安装 fazhi 和测试依赖(首次约 1–3 分钟)…"
	$(BIN)/python -m pip install --quiet ".[test]"
	@echo "正在运行全部测试(2 核电脑约 12–15 分钟;每个测试文件一行,行末为已完成的百分比)…"
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
# fazhi_cli/documents/layout.py and letter_layout.py (the GB/T 9704 page). Commit the result;
# tests/test_documents.py checks it.
templates: install
	$(BIN)/python -c "from pathlib import Path; from fazhi_cli.documents.templates import build_templates; \
	print(*build_templates(Path('templates')), sep='\n')"

# The free fonts the PDF copies use for 仿宋_GB2312, 小标宋, 宋体, 黑体 and 楷体_GB2312 (fazhi_cli/documents/fonts.py):
# the Fandol fonts (GPL with the font exception), taken from Debian's texlive-lang-chinese by `apt-get download`
# (no root, nothing installed: only the five .otf files and the licence are kept) into the environment's
# share/fazhi/fonts, where fazhi's own LibreOffice run finds them. Without them the PDFs are made all the same and
# say which fonts were substituted. The folder is made anew, so that fontconfig rescans it.
FONTS_DIR := $(VENV)/share/fazhi/fonts
FANDOL := FandolFang-Regular FandolSong-Regular FandolSong-Bold FandolHei-Regular FandolKai-Regular
FANDOL_PACKAGE := texlive-lang-chinese
fonts: $(BIN)/python
	@if [ -f "$(FONTS_DIR)/FandolKai-Regular.otf" ]; then echo "字体已在 $(FONTS_DIR)"; else \
	  tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	  if (cd "$$tmp" && apt-get download -qq $(FANDOL_PACKAGE) >/dev/null 2>&1) && \
	     dpkg-deb -x "$$tmp"/$(FANDOL_PACKAGE)_*.deb "$$tmp/x"; then \
	    rm -rf "$(FONTS_DIR)" && mkdir -p "$(FONTS_DIR)" && \
	    for f in $(FANDOL); do cp "$$tmp"/x/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/$$f.otf \
	      "$(FONTS_DIR)/" || exit 1; done && \
	    cp "$$tmp"/x/usr/share/doc/texlive-doc/fonts/fandol/COPYING.gz "$$tmp"/x/usr/share/doc/texlive-doc/fonts/fandol/README \
	      "$(FONTS_DIR)/" && echo "已取得 Fandol 字体:$(FONTS_DIR)"; \
	  else echo "未能取得 Fandol 字体(apt-get download $(FANDOL_PACKAGE) 失败;可先以 root 运行 apt-get update)。" \
	    "PDF 仍会生成,仿宋等字体由系统字体代替。"; fi; fi

lint: $(BIN)/python
	$(FRESH_BUILD)
	$(BIN)/python -m pip install --quiet ".[test]"
	$(BIN)/ruff check fazhi_cli tests sample_data $(wildcard bench)

# The stage benchmark of issues 14 and 26 (bench/run.py --help: the goals against the floor): BENCH_UNITS=10000 for the large run; writes bench/results.json.
BENCH_UNITS ?= 1000
bench: install
	$(FRESH_BUILD)
	$(BIN)/python -m pip install --quiet ".[bench]"
	$(BIN)/python bench/run.py --units $(BENCH_UNITS)

clean:
	rm -rf $(VENV) build *.egg-info fazhi-demo mutants
