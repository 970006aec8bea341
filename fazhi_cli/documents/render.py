"""Filling a Word template with docxtpl: the shipped templates, overridable from the workspace's templates/.

Jinja2 runs with autoescaping on (`autoescape=True`), so a unit's name holding `<`, `&` or quotes is
written as text and one holding `{{ x }}` appears as it is (a value is never rendered again), and with
`StrictUndefined`, so a misspelt name in a customised template is an error rather than a blank. After
rendering, a table column whose heading came out blank is dropped (the ranked tables show 等次 and 折算分
only when the campaign sets grades and weights).
"""

from __future__ import annotations

import dataclasses
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined, Template, TemplateError
from lxml.etree import XMLSyntaxError

from fazhi_cli.domain.text import printable
from fazhi_cli.domain.typography import official_punctuation
from fazhi_cli.errors import FazhiError
from fazhi_cli.infra.files import atomic_write
from fazhi_cli.reports.render import TEMPLATE_HINT, shipped_templates


def template_path(name: str, override: Path | None) -> Path:
    """The workspace's own `templates/<name>` when there is one, else the shipped template."""
    if override is not None and (override / name).is_file():
        return override / name
    return shipped_templates() / name


def plain(value: object) -> object:
    """A document's data as docxtpl's Jinja2 sees it: dataclasses as dicts, text without control characters
    (which XML cannot hold) and with a 公文's punctuation (`official_punctuation`)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, str):
        return official_punctuation(printable(value))
    return value


def _is_shipped(template: Path) -> bool:
    return template.resolve().is_relative_to(shipped_templates().resolve())


class DocumentEnvironment(Environment):
    """docxtpl's Jinja2 environment, compiling each distinct part source once: every document filled from
    one template has the same patched XML, so the second and later documents reuse the compiled template
    (compiling is a third of docxtpl's time per document; the output is the same)."""

    def __init__(self) -> None:
        super().__init__(undefined=StrictUndefined, autoescape=True)
        self._compiled: dict[str, Template] = {}

    def remembered(self) -> int:
        """How many compiled part sources this environment holds."""
        return len(self._compiled)

    def from_string(self, source, globals=None, template_class=None):  # noqa: A002 - Jinja2's signature
        """The compiled template of `source`, compiled the first time it is seen."""
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        compiled = self._compiled.get(source)
        if compiled is None:
            if len(self._compiled) >= REMEMBERED_SOURCES:
                self._compiled.clear()  # a long-lived process filling many different templates
            compiled = self._compiled[source] = super().from_string(source)
        return compiled


REMEMBERED_SOURCES = 64
SHARED = DocumentEnvironment()  # keyed by the source itself, so an edited template is simply another source


@lru_cache(maxsize=REMEMBERED_SOURCES)
def patched(source: str) -> str:
    """A part's XML cleaned for Jinja2 by docxtpl (`DocxTemplate.patch_xml`), once per distinct source."""
    return DocxTemplate.patch_xml(None, source)  # patch_xml only rewrites the text: it uses nothing of self


class _Template(DocxTemplate):
    """A DocxTemplate that cleans each part's XML for Jinja2 once per distinct part (as `DocumentEnvironment`
    compiles it once)."""

    def patch_xml(self, src_xml):
        """docxtpl's patch_xml, remembered."""
        return patched(src_xml)


def load(template: Path) -> DocxTemplate:
    """The template opened by docxtpl; one that is not a .docx is a `FazhiError` naming it."""
    document = _Template(str(template))
    try:
        document.init_docx()
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, XMLSyntaxError):
        raise FazhiError(f"公文模板 {template} 不是可以打开的 Word 文档(.docx)",
                         "请用 Word 或 WPS 另存为 .docx 后重试;删除它则改用内置模板。") from None
    return document


@contextmanager
def template_errors(template: Path) -> Iterator[None]:
    """A customised template failing to render becomes a `FazhiError` naming it; a shipped one failing is a bug."""
    try:
        yield
    except (TemplateError, TypeError, AttributeError, KeyError, ValueError) as exc:
        if _is_shipped(template):
            raise
        raise FazhiError(f"公文模板 {template} 出错:{exc}", TEMPLATE_HINT) from None


def fill(template: Path, context: object, target: Path, title: str,
         environment: DocumentEnvironment | None = None) -> None:
    """Render `template` with `context` (dataclasses welcome) and write the document to `target` atomically;
    `title` becomes the document's title property. Documents share one `environment` (by default this
    process's), which compiles each template once. A customised template that fails is a `FazhiError`
    naming it; a shipped template failing is a bug."""
    document = load(template)
    environment = environment or SHARED
    with template_errors(template):
        document.render(plain(context), jinja_env=environment, autoescape=True)
    drop_blank_columns(document.docx.element.body)
    document.docx.core_properties.title = printable(title)
    atomic_write(target, lambda part: document.save(str(part)))


def drop_blank_columns(body) -> None:
    """Remove every table column of the document's `body` (its w:body element) whose heading cell is blank,
    giving its width to the widest column."""
    for table in body.iter(qn("w:tbl")):
        rows = table.findall(qn("w:tr"))
        grid = table.find(qn("w:tblGrid"))
        if not rows or grid is None:
            continue
        heading = rows[0].findall(qn("w:tc"))
        blank = [i for i, cell in enumerate(heading) if not "".join(cell.itertext()).strip()]
        if not blank or len(blank) == len(heading):
            continue
        columns = grid.findall(qn("w:gridCol"))
        freed = sum(int(columns[i].get(qn("w:w"), "0")) for i in blank if i < len(columns))
        for row in rows:
            cells = row.findall(qn("w:tc"))
            for i in sorted(blank, reverse=True):
                if i < len(cells):
                    row.remove(cells[i])
        for i in sorted(blank, reverse=True):
            if i < len(columns):
                grid.remove(columns[i])
        _widen(table, grid, freed)


def _widen(table, grid, extra: int) -> None:
    columns = grid.findall(qn("w:gridCol"))
    if not columns or not extra:
        return
    widths = [int(c.get(qn("w:w"), "0")) for c in columns]
    widest = widths.index(max(widths))
    columns[widest].set(qn("w:w"), str(widths[widest] + extra))
    for row in table.findall(qn("w:tr")):
        cells = row.findall(qn("w:tc"))
        if widest < len(cells):
            width = cells[widest].find(f"{qn('w:tcPr')}/{qn('w:tcW')}")
            if width is not None:
                width.set(qn("w:w"), str(widths[widest] + extra))
