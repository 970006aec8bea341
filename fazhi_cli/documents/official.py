"""`fazhi notice` and `fazhi feedback-letters`: the official documents as Word files, and their PDFs.

The words come from `domain.notice_text` (composed from the results model), the layout from the Word
templates (`notice.docx`, `feedback-letter.docx`, shipped or the workspace's own); this module picks the
template, the number and the date, writes the files under reports/ and asks LibreOffice for PDFs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from fazhi_cli.approval import results_in_force
from fazhi_cli.documents import pdf
from fazhi_cli.documents.press import PressJob, press_all
from fazhi_cli.documents.render import fill, template_path
from fazhi_cli.domain.approval import ResultsState
from fazhi_cli.domain.notice_text import Letter, Notice, compose_letter, compose_notice
from fazhi_cli.domain.units import roster_spelling
from fazhi_cli.errors import UsageError
from fazhi_cli.history.compare import comparisons
from fazhi_cli.infra.clock import office_now
from fazhi_cli.infra.files import user_write_errors
from fazhi_cli.scoring import Scoreboard
from fazhi_cli.workspace import Workspace, letter_file_name, notice_file_name

NOTICE_TEMPLATE = "notice.docx"
LETTER_TEMPLATE = "feedback-letter.docx"
LETTERS_FOLDER = "反馈函"
LETTER_BATCH = 512  # letters composed, then filled (on every core), at a time


@dataclass(frozen=True)
class NoticeFile:
    """What `fazhi notice` wrote: the document, its PDF (None without LibreOffice) and the words."""

    document: Path
    pdf: Path | None
    pdf_note: str
    notice: Notice
    state: ResultsState


@dataclass(frozen=True)
class LetterFiles:
    """What `fazhi feedback-letters` wrote: one document per returned unit, their PDFs, and the units
    that returned nothing (no letter)."""

    folder: Path
    documents: list[Path]
    pdfs: list[Path]
    pdf_note: str
    state: ResultsState
    not_returned: list[str] = field(default_factory=list)


# what wrote a document with a 版记 (the 通报's NoticeFile, the 整改情况通报's): a dataclass with its `document`, `pdf`
# and `notice`, the words, which have `record_on_next_page`
Made = TypeVar("Made")


def document_date(state: ResultsState) -> dt.date:
    """The 成文日期: the approval's date for approved results, else today on the office's clock."""
    return state.day if state.approved and state.day else office_now().date()


def notice_number(board: Scoreboard, doc_no: str | None) -> str:
    """The notice's own 发文字号: the one given, else fazhi.toml's `[documents] doc_no`. (The approval's number is
    the 区政府's document; the notice cites it in its text, it is not the notice's number.)"""
    return (doc_no or "").strip() or board.campaign.documents.doc_no


def _pdfs(documents: list[Path], make_pdf: bool) -> pdf.PdfCopies:
    return pdf.convert(documents) if make_pdf else pdf.PdfCopies(note=pdf.SKIPPED)


def write_notice(workspace: Workspace, doc_no: str | None = None, make_pdf: bool = True,
                 board: Scoreboard | None = None) -> NoticeFile:
    """The 通报 (approved) or the 请示 of the 初步结果 (preliminary) into reports/, with its PDF, from the results in
    force (`board`, by default the approved snapshot once approved, else the live results)."""
    board = board or results_in_force(workspace)
    state = board.state
    notice = compose_notice(board.model, board.rubric, board.campaign, state, notice_number(board, doc_no),
                            document_date(state), comparisons(workspace, board))
    target = workspace.reports / notice_file_name(board.campaign.year, state.approved)
    with user_write_errors(workspace.reports):
        workspace.reports.mkdir(parents=True, exist_ok=True)
    template = template_path(NOTICE_TEMPLATE, workspace.templates_override)
    fill(template, notice, target, notice.title)
    copies = _pdfs([target], make_pdf)
    made = NoticeFile(target, copies.files[0] if copies.files else None, copies.note, notice, state)
    return record_on_even_page(made, template)


def record_on_even_page(made: Made, template: Path) -> Made:
    """The notice again with its 版记 moved to the next page when its PDF ends on an odd page: the 版记 is at the foot
    of the last page, and the last page of a 公文 printed on both sides is an even one (GB/T 9704 7.4). Without a PDF
    (no LibreOffice) the page count is unknown and the document stays as it is."""
    if made.pdf is None or pdf.page_count(made.pdf) % 2 == 0:
        return made
    notice = replace(made.notice, record_on_next_page=True)
    fill(template, notice, made.document, notice.title)
    copies = pdf.convert([made.document])
    return replace(made, notice=notice, pdf=copies.files[0] if copies.files else None)


def write_letters(workspace: Workspace, units: Sequence[str] = (), ranks: bool = False,
                  make_pdf: bool = True, board: Scoreboard | None = None) -> LetterFiles:
    """One 反馈函 per returned unit (or the `units` named) into reports/反馈函/, with their PDFs, from the results in
    force (`board`, as for `write_notice`). The rank is shown for approved results (unless fazhi.toml hides ranks
    in feedback) or when `ranks` asks for it."""
    board = board or results_in_force(workspace)
    state = board.state
    roster = [unit.name for unit in board.units]
    spelled = {name: roster_spelling(name, roster) for name in units}
    unknown = [name for name, found in spelled.items() if found is None]
    if unknown:
        raise UsageError(f"名单中没有这些单位:{'、'.join(unknown)}",
                         "请检查单位名称(与名单一致),或不加 --unit 为全部单位生成。")
    chosen = [name for name in roster if not units or name in spelled.values()]
    show_rank = ranks or (state.approved and board.campaign.show_rank_in_feedback)
    folder = workspace.reports / LETTERS_FOLDER
    with user_write_errors(folder):
        folder.mkdir(parents=True, exist_ok=True)
    template = template_path(LETTER_TEMPLATE, workspace.templates_override)
    date = document_date(state)
    returned = [name for name in chosen if name in board.model.units]
    not_returned = [name for name in chosen if name not in board.model.units]
    written: list[Path] = []
    compared = comparisons(workspace, board)
    for start in range(0, len(returned), LETTER_BATCH):  # composed a batch at a time: memory stays bounded
        jobs = []
        for name in returned[start:start + LETTER_BATCH]:
            letter: Letter = compose_letter(board.model.units[name], board.campaign, state, show_rank, date, compared,
                                            board.rubric)
            jobs.append(PressJob(template, letter, folder / letter_file_name(board.campaign.year, name), letter.title))
        written += press_all(jobs)
    copies = _pdfs(written, make_pdf)
    return LetterFiles(folder, written, copies.files, copies.note, state, not_returned)


def write_documents(workspace: Workspace, make_pdf: bool = True,
                    board: Scoreboard | None = None) -> tuple[NoticeFile, LetterFiles]:
    """The notice and every unit's letter, with their PDFs made by ONE LibreOffice run (its start-up, a few
    seconds, is then paid once rather than twice)."""
    board = board or results_in_force(workspace)
    notice = write_notice(workspace, make_pdf=False, board=board)
    letters = write_letters(workspace, make_pdf=False, board=board)
    copies = _pdfs([notice.document, *letters.documents], make_pdf)
    made = {path.with_suffix(".docx"): path for path in copies.files}
    notice = record_on_even_page(replace(notice, pdf=made.get(notice.document), pdf_note=copies.note),
                                 template_path(NOTICE_TEMPLATE, workspace.templates_override))
    letters = replace(letters, pdfs=[made[d] for d in letters.documents if d in made], pdf_note=copies.note)
    return notice, letters
