"""Many documents from one Word template, fast (the 反馈函, one per unit): the template is opened, cleaned for
Jinja2 and saved once per process, and each document only renders its own parts and zips them beside the rest.

A document holds the same XML as `render.fill` writes for it, part for part: the body, headers, footers and
footnotes go through docxtpl's own steps (`render_xml_part`, `fix_tables`, `fix_docpr_ids`, with Jinja2's
autoescaping: a unit's text is data), the blank columns are dropped and the core properties set as `fill` does,
and each part is serialised as python-docx saves it. Every other part (the styles, the theme, the fonts, the
relationships, the content types) is the template's as python-docx saves it, compressed once: the 800 KB of
styles were most of a letter's time (parsed, serialised and compressed again for every letter).
"""

from __future__ import annotations

import copy
import gc
import io
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.coreprops import CoreProperties
from docx.opc.oxml import serialize_part_xml
from docx.oxml.parser import parse_xml
from docxtpl import DocxTemplate

from fazhi_cli.documents.render import (
    SHARED,
    DocumentEnvironment,
    drop_blank_columns,
    load,
    patched,
    plain,
    template_errors,
)
from fazhi_cli.domain.text import printable
from fazhi_cli.infra.files import atomic_write_all
from fazhi_cli.infra.parallel import start_ordered, workers

# the core properties docxtpl renders as templates (`DocxTemplate.render_properties`)
RENDERED_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
PRESSES_KEPT = 4
PRESS_CHUNK = 32  # documents a worker takes at a time
PRESSED_IN_PARALLEL = 128  # a letter is ~3 ms here: fewer are done sooner in this process than by a pool


class _Part(NamedTuple):
    """A header, footer or footnotes part, cleaned for Jinja2 (`source`), with its name in the package."""

    name: str
    source: str
    part: object
    encoding: str
    xml: bool  # an XML part (parsed and serialised again, as python-docx does), else its bytes as rendered


class Press:
    """One template, opened once, filling any number of documents (`document`), each the bytes of a .docx."""

    def __init__(self, template: Path, environment: DocumentEnvironment | None = None) -> None:
        self.template = template
        self.environment = environment or SHARED
        self._docx = load(template)
        self._docx.docx.core_properties  # noqa: B018 - python-docx makes the part when there is none (as `fill` does)
        self._core = self._docx.docx.part.package.part_related_by(RT.CORE_PROPERTIES)
        self._body = patched(self._docx.get_xml())
        self._shell = self._docx.docx.element
        self._parts = [*self._headers_footers(), *self._footnotes()]
        variable = {self._docx.docx.part.partname.membername, self._core.partname.membername,
                    *(part.name for part in self._parts)}
        self._base = _base_package(self._docx, variable)

    def _headers_footers(self) -> list[_Part]:
        parts = []
        for uri in (DocxTemplate.HEADER_URI, DocxTemplate.FOOTER_URI):
            for _, part in self._docx.get_headers_footers(uri):
                xml = self._docx.get_part_xml(part)
                parts.append(_Part(part.partname.membername, patched(xml), part,
                                   self._docx.get_headers_footers_encoding(xml), xml=True))
        return parts

    def _footnotes(self) -> list[_Part]:
        return [_Part(part.partname.membername, patched(_text(part.blob)), part, "utf-8", xml=False)
                for part in self._docx.docx.part.package.parts if part.content_type == CT.WML_FOOTNOTES]

    def document(self, context: object, title: str) -> bytes:
        """The .docx of `context` (dataclasses welcome) whose title property is `title`, as `render.fill` writes
        it; a customised template that fails is a `FazhiError` naming it."""
        data = plain(context)
        with template_errors(self.template):
            written = {self._docx.docx.part.partname.membername: self._main(data)}
            for part in self._parts:
                written[part.name] = self._rendered(part, data)
            written[self._core.partname.membername] = self._properties(data, title)
        buffer = io.BytesIO(self._base)
        with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as package:
            for name, blob in written.items():
                package.writestr(name, blob)
        return buffer.getvalue()

    def _main(self, data: dict) -> bytes:
        self._docx.docx_ids_index = 1000  # as `render_init` sets it for each document
        body = self._docx.fix_tables(self._docx.render_xml_part(self._body, self._docx.docx.part, data,
                                                                self.environment))
        self._docx.fix_docpr_ids(body)
        drop_blank_columns(body)
        root = copy.deepcopy(self._shell)
        root.replace(root.body, body)
        return serialize_part_xml(root)

    def _rendered(self, part: _Part, data: dict) -> bytes:
        rendered = self._docx.render_xml_part(part.source, part.part, data, self.environment)
        if not part.xml:
            return rendered.encode(part.encoding)
        return serialize_part_xml(parse_xml(rendered.encode(part.encoding)))

    def _properties(self, data: dict, title: str) -> bytes:
        element = copy.deepcopy(self._core.element)
        properties = CoreProperties(element)
        for name in RENDERED_PROPERTIES:
            rendered = self.environment.from_string(getattr(properties, name)).render(data)
            setattr(properties, name, rendered)
        properties.title = printable(title)
        return serialize_part_xml(element)


def _text(blob: bytes | str) -> str:
    return blob.decode("utf-8") if isinstance(blob, bytes) else blob


def _base_package(document: DocxTemplate, variable: set[str]) -> bytes:
    """The template's package as python-docx saves it, less the parts each document writes (`variable`)."""
    saved, base = io.BytesIO(), io.BytesIO()
    document.docx.save(saved)
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(base, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            if entry.filename not in variable:
                target.writestr(entry, source.read(entry))
    return base.getvalue()


@lru_cache(maxsize=PRESSES_KEPT)
def _press(template: Path, stamp: tuple[int, int]) -> Press:
    return Press(template)


def press(template: Path) -> Press:
    """This process's press for `template`, made again when the file changes (a clerk editing their template
    between two runs of a long-lived process)."""
    status = template.stat()
    return _press(template, (status.st_mtime_ns, status.st_size))


class PressJob(NamedTuple):
    """One document to press, as a worker process receives it."""

    template: Path
    context: object
    target: Path
    title: str


def press_job(job: PressJob) -> bytes:
    """The .docx of one job."""
    return press(job.template).document(job.context, job.title)


def press_all(jobs: list[PressJob]) -> list[Path]:
    """Press every job and write the documents (one wait on the disk for them all), on every core when there are
    many; the first is pressed in this process, so that the workers (forked) find its press made and a customised
    template that fails is reported here. The targets, in the order of `jobs`."""
    if not jobs:
        return []
    first = press_job(jobs[0])
    chunk = max(1, min(PRESS_CHUNK, len(jobs) // (4 * workers())))
    gc.freeze()  # the workers forked now never scan (so never copy) this process's objects: the scoreboard's pages
    try:
        pressing = start_ordered(press_job, jobs[1:], chunksize=chunk, parallel_from=PRESSED_IN_PARALLEL)
    finally:
        gc.unfreeze()
    rest = pressing.results()
    atomic_write_all([(job.target, data) for job, data in zip(jobs, [first, *rest], strict=True)])
    return [job.target for job in jobs]
