"""The demo campaign: the whole year-end run on the sample data, in a folder of its own.

`units` plays the units (`fill_demo_returns`): deterministic (seeded) but varied facts and scores, a few typical
mistakes, one broken file, one resubmission, an e-mail with a GB2312-encoded attachment name, a zip from a
township office with GBK names, and one unit's form filled in and sent by another unit (held, then rejected by the
clerk with the reason). `office` plays the clerk's own hand (settlements, review sheets, the ledger). `run` plays
the rest, the product's own commands, in order (`run_demo`), and `rectify` the 整改 after the 通报 (the units'
整改清单 filled in, the clerk's 销号).
"""

from fazhi_cli.demo.office import CASE_FAULT
from fazhi_cli.demo.run import APPROVAL_DOC, APPROVED_BY, APPROVED_ON, STEPS, DemoRectification, DemoRun, run_demo
from fazhi_cli.demo.units import (
    ABOVE_CEILING,
    BROKEN,
    DEMO_PDF,
    FORMULA_NOTE,
    NO_NOTE,
    NOT_RETURNING,
    RESUBMITS,
    SCRIPT_NOTE,
    SEED,
    TEXT_SCORE,
    demo_answers,
)

__all__ = [
    "ABOVE_CEILING", "APPROVAL_DOC", "APPROVED_BY", "APPROVED_ON", "BROKEN", "CASE_FAULT", "DEMO_PDF", "FORMULA_NOTE",
    "NOT_RETURNING", "NO_NOTE", "RESUBMITS", "SCRIPT_NOTE", "SEED", "STEPS", "TEXT_SCORE", "DemoRectification",
    "DemoRun", "demo_answers", "run_demo",
]
