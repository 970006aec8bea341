"""The shipped Word templates, rebuilt from the layout code (`make templates`; commit the result)."""

from __future__ import annotations

from pathlib import Path

from fazhi_cli.documents.layout import build_notice_template, build_rectify_notice_template
from fazhi_cli.documents.letter_layout import build_letter_template

SHIPPED = {"notice": "notice.docx", "letter": "feedback-letter.docx", "rectify_notice": "rectify-notice.docx"}


def build_templates(folder: Path) -> list[Path]:
    """Write every template into `folder`; returns the files."""
    written = []
    for name, build in (("notice", build_notice_template), ("letter", build_letter_template),
                        ("rectify_notice", build_rectify_notice_template)):
        target = folder / SHIPPED[name]
        build().save(str(target))
        written.append(target)
    return written
