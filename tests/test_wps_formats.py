"""Returns saved as .xls, .et (WPS) or .ods (issue 22, "What units send"): told by their bytes, read through
python-calamine to the same values as the .xlsx, the identity check included; an encrypted or unreadable one is
refused with a message saying how to save it, and never stops the batch.

The files are real: a unit's workbook filled by the test helpers and saved as .xls and .ods by LibreOffice
headless (skipped with the reason when LibreOffice is absent, required in CI by FAZHI_REQUIRE_EXTERNAL=1).
"""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest
import python_calamine
from helpers import external_tool
from test_hostile import edit_identity
from test_ingest import assert_refused_and_kept, clean_answers, file_row, fill, wide_terminal
from workbook_helpers import libreoffice_convert

from fazhi_cli.domain.limits import Limits
from fazhi_cli.intake import sniff, workbook_problem
from fazhi_cli.workbook import layout
from fazhi_cli.workbook.formats import read_return_data
from fazhi_cli.workbook.reader import RefusedWorkbook

XLSX_UNIT, XLS_UNIT, ET_UNIT, ODS_UNIT = "区发改局", "区司法局", "元坝镇", "丁家乡"
UNITS = (XLSX_UNIT, XLS_UNIT, ET_UNIT, ODS_UNIT)
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
__all__ = ["wide_terminal"]  # the autouse fixture: each refusal on one line of the report


@pytest.fixture
def ws(cli, workspace) -> Path:
    """A 2017 workspace with the blank workbooks of four units in outbox/."""
    result = cli("generate", *(arg for unit in UNITS for arg in ("--unit", unit)), "-w", workspace)
    assert result.code == 0, result.err
    return workspace


@pytest.fixture
def soffice() -> str:
    return external_tool("soffice")


def filled(ws: Path, folder: Path, unit: str) -> Path:
    return fill(ws, folder / f"{unit}自评表.xlsx", unit, clean_answers(unit))


def saved_as(soffice: str, source: Path, to: str, scratch: Path) -> Path:
    """The workbook opened and saved as `to` ("xls" or "ods") by LibreOffice headless."""
    return libreoffice_convert(soffice, source, scratch / to, scratch / "profile", to=to)


def unit_totals(cli, workspace: Path) -> dict[str, object]:
    """Each unit's scores as `fazhi score --json` gives them."""
    result = cli("score", "--json", "-w", workspace)
    assert result.code == 0, result.err
    return {unit["unit"]: unit for unit in result.json()["units"]}


@pytest.mark.libreoffice
def test_a_folder_of_xlsx_xls_et_and_ods_credits_each_unit_once_with_the_totals_of_its_xlsx(
        cli, ws, tmp_path, soffice):
    originals = {unit: filled(ws, tmp_path / "xlsx", unit) for unit in UNITS}
    reference = tmp_path / "reference"
    shutil.copytree(ws, reference)
    assert cli("ingest", tmp_path / "xlsx", "-w", reference).code == 0

    mixed = tmp_path / "mixed"
    mixed.mkdir()
    shutil.copyfile(originals[XLSX_UNIT], mixed / originals[XLSX_UNIT].name)
    xls = saved_as(soffice, originals[XLS_UNIT], "xls", tmp_path)
    shutil.copyfile(xls, mixed / f"{XLS_UNIT}自评表.xls")
    shutil.copyfile(saved_as(soffice, originals[ET_UNIT], "xls", tmp_path), mixed / f"{ET_UNIT}自评表.et")
    ods = saved_as(soffice, originals[ODS_UNIT], "ods", tmp_path)
    shutil.copyfile(ods, mixed / f"{ODS_UNIT}自评表.ods")
    kinds = {path.name: sniff(path.read_bytes(), path.name) for path in mixed.iterdir()}
    assert sorted(kinds.values()) == ["ods", "xls", "xls", "xlsx"]
    assert xls.read_bytes().startswith(OLE_MAGIC) and ods.read_bytes().startswith(b"PK")

    result = cli("ingest", mixed, "-w", ws)
    assert result.code == 0, result.out + result.err
    rows = {path.name: file_row(ws, path.name) for path in mixed.iterdir()}
    taken = {name: (row["outcome"], row["unit"]) for name, row in rows.items()}
    assert taken == {f"{unit}自评表.{suffix}": ("taken", unit)
                     for unit, suffix in zip(UNITS, ("xlsx", "xls", "et", "ods"), strict=True)}
    expected, got = unit_totals(cli, reference), unit_totals(cli, ws)
    assert set(got) >= set(UNITS)
    for unit in UNITS:
        assert got[unit] == expected[unit], unit


@pytest.mark.libreoffice
def test_the_seal_survives_libreoffices_save_as_and_reads_the_same_values(ws, tmp_path, soffice):
    source = filled(ws, tmp_path, XLS_UNIT)
    as_xlsx = read_return_data(source.read_bytes())
    for to in ("xls", "ods"):
        other = read_return_data(saved_as(soffice, source, to, tmp_path).read_bytes())
        assert other.identity == as_xlsx.identity  # the very hidden sheet is listed and read, seal included
        assert other.fingerprint() == as_xlsx.identity[layout.ID_FINGERPRINT]
        assert other.rows == as_xlsx.rows and other.tasks == as_xlsx.tasks and other.form == as_xlsx.form
        assert other.structure_problems == [] and other.duplicates == []


@pytest.mark.libreoffice
def test_calamine_lists_hidden_sheets(ws, tmp_path, soffice):
    """The identity sheet is very hidden in the .xlsx; LibreOffice keeps it hidden, and calamine lists it."""
    source = filled(ws, tmp_path, XLS_UNIT)
    for to in ("xls", "ods"):
        book = python_calamine.CalamineWorkbook.from_path(str(saved_as(soffice, source, to, tmp_path)))
        visible = {sheet.name: sheet.visible for sheet in book.sheets_metadata}
        assert visible[layout.SHEET_IDENTITY] != python_calamine.SheetVisibleEnum.Visible
        assert layout.SHEET_SCORES in visible


@pytest.mark.libreoffice
def test_a_tampered_identity_in_an_xls_is_held_as_for_an_xlsx(cli, ws, tmp_path, soffice):
    own = filled(ws, tmp_path, XLS_UNIT)
    forged = edit_identity(own, tmp_path / "改过.xlsx", {layout.ID_GENERATED: "2017-12-04T10:00:00+08:00"})
    as_xls = tmp_path / "改过的.xls"
    shutil.copyfile(saved_as(soffice, forged, "xls", tmp_path), as_xls)
    assert cli("ingest", forged, as_xls, "-w", ws).code in (0, 1)
    xlsx_row, xls_row = file_row(ws, forged.name), file_row(ws, as_xls.name)
    assert (xls_row["outcome"], xls_row["code"], xls_row["unit"]) == ("held", "identity_unverified", XLS_UNIT)
    assert (xlsx_row["outcome"], xlsx_row["code"]) == (xls_row["outcome"], xls_row["code"])


@pytest.mark.libreoffice
def test_an_unreadable_or_encrypted_xls_or_ods_is_refused_with_how_to_save_it_and_the_batch_goes_on(
        cli, ws, tmp_path, soffice):
    good = filled(ws, tmp_path / "good", XLSX_UNIT)
    xls = saved_as(soffice, filled(ws, tmp_path, XLS_UNIT), "xls", tmp_path).read_bytes()
    bad = tmp_path / "bad"
    bad.mkdir()
    truncated = bad / "区司法局自评表.xls"
    truncated.write_bytes(xls[: len(xls) // 3])
    garbage = bad / "元坝镇自评表.et"
    garbage.write_bytes(OLE_MAGIC + bytes(2000))
    encrypted_ods = bad / "丁家乡自评表.ods"
    encrypted_ods.write_bytes(_ods(b"\x8f\x00 encrypted bytes",
                                   b'<manifest:manifest><manifest:file-entry manifest:full-path="content.xml">'
                                   b"<manifest:encryption-data/></manifest:file-entry></manifest:manifest>"))
    result = cli("ingest", bad, good, "-w", ws)
    assert result.code == 1
    assert file_row(ws, good.name)["outcome"] == "taken"
    assert_refused_and_kept(ws, result, truncated, "xls", "unreadable_spreadsheet", "另存为")
    assert_refused_and_kept(ws, result, garbage, "xls", "unreadable_spreadsheet", "另存为")
    assert_refused_and_kept(ws, result, encrypted_ods, "ods", "encrypted", "取消密码")
    assert "Traceback" not in result.out + result.err


def test_an_xls_calamine_finds_password_protected_is_refused_as_encrypted(monkeypatch):
    def protected(_source):
        raise python_calamine.PasswordError("workbook is encrypted")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", protected)
    with pytest.raises(RefusedWorkbook) as refused:
        read_return_data(OLE_MAGIC + bytes(600))
    assert refused.value.code == "encrypted"


def test_an_ods_is_held_to_the_limits_before_it_is_parsed():
    row = b"<table:table-row table:number-rows-repeated=\"1000\"><table:table-cell office:value-type=\"float\" " \
          b"table:number-columns-repeated=\"300\"><text:p>1</text:p></table:table-cell></table:table-row>"
    many_cells = _ods(b"<office:document-content><table:table table:name=\"x\">" + row + b"</table:table>"
                      b"</office:document-content>")
    assert workbook_problem(many_cells, "a.ods").code == "over_limit"
    sheets = b"".join(b'<table:table table:name="s%d"></table:table>' % i for i in range(40))
    assert "工作表数" in workbook_problem(_ods(b"<office:document-content>" + sheets + b"</office:document-content>"),
                                       "a.ods").message
    dtd = _ods(b'<!DOCTYPE x [<!ENTITY a "b">]><office:document-content/>')
    assert workbook_problem(dtd, "a.ods").code == "unsafe_dtd"
    assert workbook_problem(_ods(b"<office:document-content/>" + b" " * 2048), "a.ods",
                            Limits(xml_part_bytes=1024)).code == "part_too_large"


def _ods(content: bytes, manifest: bytes = b"<manifest:manifest/>") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
