"""The results and what is made of them: the office's sheets (`fazhi review-sheet`, `fazhi ledger`), `fazhi score`,
and the outputs (`fazhi report`, `fazhi notice`, `fazhi feedback-letters`)."""

from __future__ import annotations

from pathlib import Path

from fazhi_cli.approval import results_in_force
from fazhi_cli.documents import LetterFiles, NoticeFile, write_letters, write_notice
from fazhi_cli.errors import UsageError
from fazhi_cli.history.compare import score_json_compared
from fazhi_cli.ledger import write_ledger
from fazhi_cli.reports import ReportFiles, write_reports
from fazhi_cli.reports.item_table import ItemTable, item_rows, write_rows_csv
from fazhi_cli.review import write_component_sheet, write_review_sheets
from fazhi_cli.scoring import Scoreboard
from fazhi_cli.workspace import Workspace


def review_sheets(workspace: Path | None = None, team: str | None = None, units: list[str] | None = None) -> list[Path]:
    """Write the office's review sheets (复核打分表, one per unit type) into review/ (`fazhi review-sheet`),
    holding the lock; returns the files written. Filled in, they go back through `ingest`. With `team`, a review
    team's (考核组) sheets, for the `units` assigned to it (all assessed units when none; a name not on the roster
    or not assessed is a `UsageError`).

    Example::

        sheets = api.review_sheets(Path("2017考核"))
        api.ingest(sheets, Path("2017考核"))   # after the office has filled them in
        api.review_sheets(Path("2017考核"), team="第一考核组", units=["区发改局", "元坝镇"])
    """
    found = Workspace.find(workspace)
    with found.lock():
        return write_review_sheets(found, team=team, names=units)


def component_sheet(name: str, workspace: Path | None = None) -> Path:
    """Write the office's component sheet (评分构成表) of one score component set in fazhi.toml into review/
    (`fazhi component-sheet NAME`), holding the lock; returns the file. Filled in (a survey firm's table may be
    pasted in), it goes back through `ingest` (named directly); an unknown component is a `UsageError`.

    Example::

        path = api.component_sheet("第三方评估", Path("2017考核"))
        api.ingest([path], Path("2017考核"))   # after the office has filled it in
    """
    found = Workspace.find(workspace)
    with found.lock():
        return write_component_sheet(found, name)


def ledger(workspace: Path | None = None) -> Path:
    """Write the office's ledger workbook (法制办台账) into ledger/ (`fazhi ledger`), holding the lock; returns
    the file written. It shows the office's records as they stand (the 工作总结 received with the returns
    pre-filled); filled in, it goes back through `ingest` (named directly), any number of times.

    Example::

        path = api.ledger(Path("2017考核"))
        api.ingest([path], Path("2017考核"))   # after the office has filled it in
    """
    found = Workspace.find(workspace)
    with found.lock():
        return write_ledger(found)


def score(workspace: Path | None = None) -> Scoreboard:
    """Totals and rankings of every unit, by unit type (`fazhi score`): the live 初步结果, or once approved the
    审定结果 rebuilt from the approval's snapshot (`board.state` says which; a snapshot edited by hand is a
    `SnapshotInvalid`, exit 2).

    Example::

        board = api.score(Path("2017考核"))
        board.state.label, [(r.rank, r.unit, r.total) for r in board.of_type("department")]
    """
    return results_in_force(Workspace.find(workspace))


def score_compared_json(board: Scoreboard, workspace: Path | None = None) -> dict:
    """What `fazhi score --json` prints: `score_json` with each unit's `previous` (last kept year's total, rank,
    grade, or null) and `repeated` (items lost in both years); a kept year not verifying is exit 2.

    Example::

        api.score_compared_json(api.score(Path("2018考核")), Path("2018考核"))["units"][0]["previous"]
    """
    return score_json_compared(Workspace.find(workspace), board)


def report(workspace: Path | None = None, ranks: bool = False) -> ReportFiles:
    """Write the summary workbook, the district page and each unit's feedback page into reports/
    (`fazhi report`), holding the lock. Every output says which results it shows (初步结果(未经审定), or 审定结果
    with the approver and date); feedback pages show ranks once approved, before that only with `ranks`.

    Example::

        files = api.report(Path("2017考核"), ranks=True)
        files.summary_workbook, len(files.feedback_pages)
    """
    found = Workspace.find(workspace)
    with found.lock():
        return write_reports(found, ranks)


def notice(workspace: Path | None = None, doc_no: str | None = None, pdf: bool = True) -> NoticeFile:
    """Write the notice of the results into reports/ (`fazhi notice`), holding the lock: the 请示 of the
    初步结果 to the 区政府 while the results are preliminary, the 通报 once approved; laid out to GB/T 9704 from
    the Word template `notice.docx` (the workspace's templates/ may hold its own), with a PDF copy when
    LibreOffice is installed (`pdf=False`: none). `doc_no` is the notice's 发文字号 (default: fazhi.toml's
    `[documents] doc_no`; the approval's own number is cited in the text).

    Example::

        made = api.notice(Path("2017考核"), doc_no="昭府法办〔2018〕3号")
        made.document, made.pdf, made.pdf_note, made.state.label
    """
    found = Workspace.find(workspace)
    with found.lock():
        return write_notice(found, doc_no, pdf)


def feedback_letters(workspace: Path | None = None, units: list[str] | None = None, ranks: bool = False,
                     pdf: bool = True) -> LetterFiles:
    """Write one 反馈函 per returned unit (or the `units` named) into reports/反馈函/ (`fazhi feedback-letters`),
    holding the lock, with PDF copies when LibreOffice is installed. The unit's rank is shown once the
    results are approved (and fazhi.toml shows ranks in feedback), or when `ranks` asks for it.

    Example::

        made = api.feedback_letters(Path("2017考核"), units=["区发改局"])
        made.documents, made.pdfs, made.not_returned
    """
    found = Workspace.find(workspace)
    with found.lock():
        return write_letters(found, units or (), ranks, pdf)


def export(workspace: Path | None = None, csv_file: Path | None = None) -> ItemTable:
    """The long table of the results in force (`fazhi export`): one row per returned unit and item, then its 特别加分
    and 特别扣分 rows, with the self score, the office's value, what counts, the reasons and the evidence; with
    `csv_file`, also written there as CSV for Excel (UTF-8 with a BOM, texts never formulas). `export_json` gives
    the rows as `--json` prints them.

    Example::

        table = api.export(Path("2017考核"), Path("逐项得分.csv"))
        api.export_json(table)[0]["counted"]
    """
    table = item_rows(results_in_force(Workspace.find(workspace)))
    if csv_file is not None:
        if csv_file.is_dir():
            raise UsageError(f"{csv_file} 是文件夹", "请在 --csv 后写要生成的文件名,例如 --csv 逐项得分.csv。")
        if not csv_file.parent.is_dir():
            raise UsageError(f"找不到文件夹 {csv_file.parent}", "请先建立该文件夹,或换一个保存位置。")
        write_rows_csv(table, csv_file)
    return table
