"""Compare the *contents* of two `reports/` folders (e.g. of two `fazhi demo` runs): the visible text of
every HTML page and every cell value of every sheet of every Excel workbook — not their bytes.

    python bench/compare_reports.py /tmp/results-before /tmp/results-after

Either argument may be a demo folder (its `reports/` is used) or a `reports/` folder itself. The
"由 fazhi 生成于 …" line of each page carries the time of the run and is left out. Exit status 0 when
both read the same, 1 when they differ.
"""

from __future__ import annotations

import difflib
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import openpyxl

GENERATED = re.compile(r"^由 fazhi 生成于 .*。$")
SKIP_TAGS = {"style", "script", "head"}
BLOCK_TAGS = {"p", "div", "tr", "li", "h1", "h2", "h3", "h4", "table", "figure", "blockquote", "br", "ul", "title",
              "svg", "text"}


class _Text(HTMLParser):
    """The text a reader sees, one block per line; table cells separated by ' | '; SVG labels included."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skipping = 0

    def _flush(self) -> None:
        line = " ".join("".join(self.current).split())
        if line:
            self.lines.append(line)
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag in SKIP_TAGS:
            self.skipping += 1
        elif tag in BLOCK_TAGS:
            self._flush()
        elif tag in ("td", "th"):
            self.current.append(" | ")

    def handle_endtag(self, tag):
        if tag in SKIP_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in BLOCK_TAGS:
            self._flush()

    def handle_data(self, data):
        if not self.skipping:
            self.current.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def html_lines(path: Path) -> list[str]:
    """The visible text of one page (the generation time left out)."""
    parser = _Text()
    parser.feed(path.read_text("utf-8"))
    parser.close()
    return [line for line in parser.lines if not GENERATED.match(line)]


def workbook_lines(path: Path) -> list[str]:
    """Every non-empty cell as `sheet!A1 = repr(value)`, sheet by sheet, in sheet order."""
    book = openpyxl.load_workbook(path, read_only=True)
    lines = [f"sheets: {book.sheetnames}"]
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None and hasattr(cell, "coordinate"):
                    lines.append(f"{sheet.title}!{cell.coordinate} = {cell.value!r}")
    book.close()
    return lines


def contents(folder: Path) -> dict[str, list[str]]:
    """Relative path → content lines, for every .html and .xlsx file under the reports folder."""
    reports = folder / "reports" if (folder / "reports").is_dir() else folder
    found = {}
    for path in sorted(reports.rglob("*")):
        name = path.relative_to(reports).as_posix()
        if path.suffix == ".html":
            found[name] = html_lines(path)
        elif path.suffix == ".xlsx":
            found[name] = workbook_lines(path)
    return found


def compare(before: Path, after: Path) -> list[str]:
    """Every difference, as unified diffs per file and lines for files only on one side."""
    old, new = contents(before), contents(after)
    out = []
    for name in sorted(set(old) | set(new)):
        if name not in new:
            out.append(f"only in {before}: {name}")
        elif name not in old:
            out.append(f"only in {after}: {name}")
        elif old[name] != new[name]:
            out.extend(difflib.unified_diff(old[name], new[name], f"before/{name}", f"after/{name}", lineterm="", n=0))
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    before, after = (Path(a) for a in argv)
    differences = compare(before, after)
    files = len(set(contents(before)) | set(contents(after)))
    for line in differences:
        sys.stdout.write(line + "\n")
    sys.stdout.write(f"{files} files compared; {'no differences' if not differences else 'differences above'}\n")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
