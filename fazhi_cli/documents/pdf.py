"""PDF copies of the documents with LibreOffice, found at run time (`soffice --headless --convert-to pdf`).

All documents of one command go through the same two soffice runs (starting LibreOffice costs seconds): the first
opens the Word files and saves them as flat OpenDocument text, in which `as_printed` turns off what Word's
format cannot tell LibreOffice to leave out; the second prints those to PDF. Both run in one private profile folder
(concurrent runs otherwise collide on the profile's lock), each with a timeout after which its whole process group
is killed. The PDFs are written into a temporary folder beside the
documents and renamed into place, so a failed run leaves no half-written PDF. The run is given its own fontconfig
configuration (`fonts`): free fonts of the same kinds stand in for the official ones; a kind with no substitute on
this machine is said in the note, and the PDFs are made all the same.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pypdf

from fazhi_cli.documents import fonts
from fazhi_cli.errors import FazhiError

SOFFICE_NAMES = ("soffice", "libreoffice")
BASE_SECONDS = 90  # starting LibreOffice, on a slow machine
SECONDS_PER_FILE = 5
ABSENT = ("未找到 LibreOffice(soffice),只生成了 Word 文档(.docx),没有生成 PDF。"
          "需要 PDF 时请安装 LibreOffice(Debian/Ubuntu:apt-get install libreoffice-writer-nogui)后重新运行。")
SKIPPED = "按要求未生成 PDF(--no-pdf)。"


@dataclass(frozen=True)
class PdfCopies:
    """The PDFs made, or why none were (`note`)."""

    files: list[Path] = field(default_factory=list)
    note: str = ""


def find_soffice() -> str | None:
    """The LibreOffice program on this machine, or None."""
    return next((path for name in SOFFICE_NAMES if (path := shutil.which(name))), None)


def convert(documents: list[Path], soffice: str | None = None, timeout: float | None = None) -> PdfCopies:
    """A PDF beside each document (same name, `.pdf`), or a note saying why there is none. LibreOffice
    missing is a note; LibreOffice failing or running out of time is a `FazhiError` (the documents stay)."""
    soffice = soffice or find_soffice()
    if soffice is None:
        return PdfCopies(note=ABSENT)
    if not documents:
        return PdfCopies()
    folder = documents[0].parent
    timeout = timeout or BASE_SECONDS + SECONDS_PER_FILE * len(documents)
    with tempfile.TemporaryDirectory(prefix="fazhi-soffice-") as profile, \
            tempfile.TemporaryDirectory(prefix=".pdf-", dir=folder) as staging:
        config = fonts.fontconfig_file(Path(profile))
        note = fonts.missing_note(fonts.missing(config))
        environment = {**os.environ, "FONTCONFIG_FILE": str(config)}
        flat = Path(staging) / "flat"
        _run(_command(soffice, profile, "fodt", flat, documents), timeout, environment)
        opened = [flat / (document.stem + ".fodt") for document in documents]
        for text in opened:
            if text.is_file():
                as_printed(text)
        _run(_command(soffice, profile, "pdf:writer_pdf_Export", Path(staging), [t for t in opened if t.is_file()]),
             timeout, environment)
        made = []
        missing = []
        for document in documents:
            produced = Path(staging) / (document.stem + ".pdf")
            if produced.is_file() and produced.stat().st_size > 0:
                target = document.with_suffix(".pdf")
                os.replace(produced, target)
                made.append(target)
            else:
                missing.append(document.name)
    if missing:
        raise FazhiError(f"LibreOffice 未能把 {len(missing)} 个文档转换为 PDF:{'、'.join(missing[:5])}",
                         "Word 文档已生成;请用 Word、WPS 或 LibreOffice 打开检查,或另存为 PDF。")
    return PdfCopies(made, note)


def page_count(pdf_file: Path) -> int:
    """How many pages a PDF has."""
    return len(pypdf.PdfReader(str(pdf_file)).pages)


def _command(soffice: str, profile: str, kind: str, outdir: Path, files: list[Path]) -> list[str]:
    return [soffice, "--headless", "--norestore", "--nolockcheck", f"-env:UserInstallation={Path(profile).as_uri()}",
            "--convert-to", kind, "--outdir", str(outdir), *map(str, files)]


AUTOSPACE = re.compile(rb'style:text-autospace="ideograph-alpha"')
HANGING = re.compile(rb'style:punctuation-wrap="hanging"')


def as_printed(flat_document: Path) -> None:
    """In a flat OpenDocument text file, turn off what LibreOffice's Word import turns on: the extra space between
    Chinese and digits or Latin (GB/T 9704 sets none; the .docx says so with `w:autoSpaceDE`, which the import
    ignores), and hanging punctuation — with it, a 、 or , that falls at the end of a full 28-character line hangs
    beyond the text block, and LibreOffice 7.4 leaves it out of the PDF altogether; without it, the line breaks
    one character earlier and every mark is printed."""
    text = AUTOSPACE.sub(b'style:text-autospace="none"', flat_document.read_bytes())
    flat_document.write_bytes(HANGING.sub(b'style:punctuation-wrap="simple"', text))


def _stop(process: subprocess.Popen) -> None:
    """Stop LibreOffice and every process it started: its process group on Linux and macOS; on Windows (no process
    groups to signal) the process itself."""
    if hasattr(os, "killpg"):
        os.killpg(process.pid, signal.SIGKILL)
    else:  # pragma: no cover - Windows
        process.kill()


def _run(command: list[str], timeout: float, env: dict[str, str] | None = None) -> None:
    with subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          start_new_session=True, env=env) as process:
        try:
            _, error = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _stop(process)
            process.communicate()
            raise FazhiError(f"LibreOffice 转换 PDF 超时({timeout:.0f} 秒),已停止",
                             "Word 文档已生成;可稍后重试,或用 Word、WPS 另存为 PDF。") from None
    if process.returncode != 0:
        detail = error.decode("utf-8", "replace").strip().splitlines()[-1:] if error else []
        raise FazhiError(f"LibreOffice 转换 PDF 失败(退出码 {process.returncode}){':' + detail[0] if detail else ''}",
                         "Word 文档已生成;可用 Word、WPS 或 LibreOffice 打开后另存为 PDF。")
