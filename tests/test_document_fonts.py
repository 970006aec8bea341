"""The fonts of the official documents: the Word files name each font for East Asian text (`w:eastAsia`), and the
PDF copies, made through fazhi's own fontconfig configuration, embed free fonts of the same kinds (a 仿宋 and a
宋/标宋) and no fallback font."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from helpers import external_tool, require_free_fonts
from test_scores import department_case, full_marks, returned, township_case

from fazhi_cli.documents import fonts, layout, pdf

REPO = Path(__file__).resolve().parents[1]
NOTICE = "2017年度法治政府建设考核初步结果请示"
FALLBACKS = ("WenQuanYi", "DejaVu", "Liberation", "Droid")


@pytest.fixture
def scored(cli, workspace, tmp_path) -> Path:
    returned(cli, workspace, tmp_path, {"区发改局": department_case(), "区公安分局": full_marks("department"),
                                        "元坝镇": township_case()})
    return workspace


def _run_fonts(xml: str) -> list[str]:
    return re.findall(r"<w:rFonts [^>]*>", xml)


def _parts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name).decode("utf-8") for name in package.namelist()
                if re.fullmatch(r"word/(document|styles|footer\d*|header\d*)\.xml", name)}


def _official(xml: str) -> list[str]:
    """The rFonts naming one of the official fonts."""
    return [f for f in _run_fonts(xml) if any(f'"{name}"' in f for name in fonts.SUBSTITUTES)]


@pytest.mark.parametrize("template", ["notice.docx", "feedback-letter.docx"])
def test_every_official_font_is_named_for_east_asian_text_in_the_templates(template):
    for name, xml in _parts(REPO / "templates" / template).items():
        for element in _official(xml):
            font = re.search(r'w:ascii="([^"]+)"', element).group(1)
            assert f'w:eastAsia="{font}"' in element, (name, element)
    styles = _parts(REPO / "templates" / template)["word/styles.xml"]
    assert re.search(r'<w:rPrDefault><w:rPr><w:rFonts [^>]*w:eastAsia="仿宋_GB2312"', styles)


def test_the_filled_documents_runs_take_their_fonts_from_styles_that_name_east_asian_fonts(cli, scored):
    assert cli("notice", "--no-pdf", cwd=scored).code == 0
    assert cli("feedback-letters", "--no-pdf", cwd=scored).code == 0
    documents = [scored / "reports" / f"{NOTICE}.docx", *(scored / "reports" / "反馈函").glob("*.docx")]
    for document in documents:
        parts = _parts(document)
        for name, xml in parts.items():
            if name == "word/styles.xml":
                continue  # Word's own unused styles (Macro Text's Courier) name no East Asian font: no text uses them
            for element in _run_fonts(xml):  # a run docxtpl wrote with its own fonts names them for Chinese too
                assert "w:eastAsia=" in element or "w:eastAsiaTheme=" in element, (document.name, name, element)
        used = set(re.findall(r'<w:pStyle w:val="([^"]+)"', parts["word/document.xml"]))
        styles = parts["word/styles.xml"]
        for style in used:
            block = re.search(rf'<w:style [^>]*w:styleId="{re.escape(style)}".*?</w:style>', styles, re.S).group(0)
            fonts_named = re.search(r'w:eastAsia="([^"]+)"', block)
            assert fonts_named and fonts_named.group(1) in fonts.SUBSTITUTES, (document.name, style)


def test_the_conversions_fontconfig_keeps_the_systems_and_binds_each_official_font_strongly(tmp_path):
    text = fonts.fontconfig_text([tmp_path / "字体"], "/etc/fonts/fonts.conf")
    assert '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>' in text
    assert f"<dir>{tmp_path / '字体'}</dir>" in text
    for official, (_, names, substitutes) in fonts.SUBSTITUTES.items():
        assert official in names
        for name in names:
            assert (f'<test name="family"><string>{name}</string></test><edit name="family" mode="prepend" '
                    f'binding="strong"><string>{substitutes[0]}</string>') in text
    assert {layout.BODY_FONT, layout.TITLE_FONT, layout.HEADING_FONT, layout.NUMBER_FONT} <= set(fonts.SUBSTITUTES)


def test_fonts_given_by_fazhi_fonts_are_listed_first(tmp_path, monkeypatch):
    given = tmp_path / "fonts"
    given.mkdir()
    monkeypatch.setenv(fonts.FONTS_VARIABLE, str(given))
    assert fonts.font_folders()[0] == given
    config = fonts.fontconfig_file(tmp_path)
    assert f"<dir>{given}</dir>" in config.read_text("utf-8")


def test_a_kind_without_a_substitute_is_named_in_chinese(tmp_path, monkeypatch):
    monkeypatch.setattr(fonts, "available_families", lambda config: {"WenQuanYi Zen Hei", "FandolHei"})
    names = fonts.missing(tmp_path / "fonts.conf")
    assert "仿宋_GB2312(仿宋)" in names and "黑体(黑体)" not in names
    note = fonts.missing_note(names)
    assert "仿宋_GB2312(仿宋)" in note and "make fonts" in note
    assert fonts.missing_note([]) == ""


def _pdffonts(path: Path) -> list[str]:
    listed = subprocess.run([external_tool("pdffonts"), str(path)], check=True, capture_output=True, timeout=60,
                            text=True).stdout
    return [line.split()[0] for line in listed.splitlines()[2:] if line.strip()]


@pytest.mark.libreoffice
def test_the_notices_pdf_embeds_a_fangsong_and_a_song_and_no_fallback_font(cli, scored, tmp_path):
    external_tool("soffice")
    require_free_fonts(tmp_path)
    result = cli("notice", cwd=scored)
    assert result.code == 0, result.err
    assert "缺少这些字体" not in result.out + result.err
    embedded = _pdffonts(scored / "reports" / f"{NOTICE}.pdf")
    names = [name.split("+")[-1] for name in embedded]
    assert any(name.startswith("FandolFang") for name in names), embedded
    assert any(name.startswith(("FandolSong", "NotoSerifCJK")) for name in names), embedded
    assert not [name for name in names if name.startswith(FALLBACKS)], embedded


@pytest.mark.libreoffice
def test_without_the_free_fonts_the_pdf_is_made_and_says_what_was_substituted(scored, tmp_path, monkeypatch):
    soffice = external_tool("soffice")
    monkeypatch.delenv(fonts.FONTS_VARIABLE, raising=False)
    monkeypatch.setattr(fonts, "_prefix_folder", lambda: tmp_path / "none")
    if not fonts.missing(fonts.fontconfig_file(tmp_path)):
        pytest.skip("this machine's own fonts include every substitute")
    from fazhi_cli.documents.official import write_notice
    from fazhi_cli.workspace import Workspace

    made = write_notice(Workspace(scored), make_pdf=False)
    copies = pdf.convert([made.document], soffice)
    assert copies.files and copies.files[0].stat().st_size > 0
    assert "PDF 中缺少这些字体的替代字体" in copies.note and "仿宋_GB2312(仿宋)" in copies.note
