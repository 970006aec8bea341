"""The refusal table: every code's Chinese template is checked once here, so that the other tests can assert
codes and positions instead of prose; and every code the product uses is in the table (and every code in
the table is used).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from fazhi_cli import intake
from fazhi_cli.domain.refusals import CODES, TEMPLATES, Refusal, refusal, template_fields

PACKAGE = Path(__file__).resolve().parent.parent / "fazhi_cli"
SAMPLE_NAME = "区发改局自评表.xlsx"
# Fields that hold the file itself; the others get a visible marker, so that each shows in the message.
FILE_FIELDS = {"name": SAMPLE_NAME, "path": f"/收件/{SAMPLE_NAME}"}


def rendered(code: str) -> Refusal:
    fields = {field: FILE_FIELDS.get(field, f"‹{field}›") for field in template_fields(code)}
    return refusal(code, **fields)


@pytest.mark.parametrize("code", sorted(CODES))
def test_each_template_names_the_file_says_what_to_do_and_fills_every_field(code):
    result = rendered(code)
    assert result.code == code and str(result) == result.message
    assert SAMPLE_NAME in result.message, "names the file"
    if "name" in template_fields(code):
        assert result.message.startswith(f"「{SAMPLE_NAME}」"), "the file first, in 「」"
    assert "请" in result.message, "says what to do"
    assert result.message.endswith("。")
    assert not re.search(r"[{}]", result.message), "no unfilled {field}"
    for field in template_fields(code) - set(FILE_FIELDS):
        assert f"‹{field}›" in result.message
    assert code == code.lower() and re.fullmatch(r"[a-z]+(_[a-z]+)*", code)


def test_refusal_refuses_an_unknown_code_and_a_missing_or_unexpected_field():
    assert refusal("empty", name="a.xlsx") == Refusal(
        "empty", "「a.xlsx」是空文件(0 字节),可能保存或传输失败。请重新保存后报送。"
    )
    with pytest.raises(ValueError, match="unknown refusal code"):
        refusal("no_such_code", name="a.xlsx")
    with pytest.raises(ValueError, match="fields"):
        refusal("too_large", name="a.xlsx", size="21")
    with pytest.raises(ValueError, match="fields"):
        refusal("empty", name="a.xlsx", limit="x")


def used_codes() -> dict[str, list[str]]:
    """Every code literal in the package, with where: `refusal("code", …)` and `refuse(…, code="code")` (a
    `refuse` call otherwise takes its code from a Refusal: `code=refused.code`)."""
    found: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            where = f"{path.relative_to(PACKAGE)}:{node.lineno}"
            if name == "refusal" and node.args:
                literal = node.args[0]
                if isinstance(literal, ast.Constant):
                    found.setdefault(literal.value, []).append(where)
                else:  # only refusal_for_kind looks its code up (in intake._KIND_REFUSALS, checked below)
                    assert where.startswith("intake"), where
            if name == "refuse":
                for keyword in node.keywords:
                    if keyword.arg != "code":
                        continue
                    if isinstance(keyword.value, ast.Constant):
                        found.setdefault(keyword.value.value, []).append(where)
                    else:  # the code comes with its message from a Refusal
                        assert isinstance(keyword.value, ast.Attribute) and keyword.value.attr == "code", where
    return found


def test_every_code_used_is_in_the_table_and_every_code_in_the_table_is_used():
    used = used_codes()
    kind_codes = set(intake._KIND_REFUSALS.values())  # refusal_for_kind looks its codes up by kind
    assert {code: where for code, where in used.items() if code not in CODES} == {}
    assert kind_codes <= CODES
    assert CODES - set(used) - kind_codes == set()
    assert set(TEMPLATES) == CODES


def test_every_kind_that_is_no_workbook_has_its_own_code():
    codes = {kind: refusal_.code for kind in intake.KINDS if (refusal_ := intake.refusal_for_kind(kind, "a.x"))}
    assert codes == {
        "encrypted": "encrypted", "legacy": "legacy_format", "html": "web_page",
        "text": "text_file", "archive_other": "other_archive", "empty": "empty", "unknown": "not_a_workbook",
    }  # fmt: skip
    assert intake.refusal_for_kind("unknown", "邮件.MSG").code == "outlook_msg"
    assert intake.refusal_for_kind("unknown", "winmail.dat").code == "outlook_winmail"
