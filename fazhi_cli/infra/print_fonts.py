"""Which font this machine's LibreOffice prints a workbook's Calibri with, asked of fontconfig (`fc-match`).

The forms' column widths are counted in Calibri's digits. Excel and WPS have Calibri; LibreOffice on Linux has it only
through Carlito, a font of the same widths. Without either, fontconfig stands in a wider font (DejaVu Sans): every
column prints wider, the sheet fitted to the page width shrinks to about 60 % and its pages are left part empty.
"""

from __future__ import annotations

import shutil
import subprocess

WORKBOOK_FONT = "Calibri"
SAME_WIDTHS = ("Calibri", "Carlito")  # Carlito is metric-compatible with Calibri


def calibri_stand_in() -> str | None:
    """The family LibreOffice would print Calibri with when it is neither Calibri nor Carlito; None when it is one
    of them, or when the machine has no LibreOffice or no fontconfig to ask."""
    matcher = shutil.which("fc-match")
    if matcher is None or (shutil.which("soffice") is None and shutil.which("libreoffice") is None):
        return None
    try:
        found = subprocess.run([matcher, "-f", "%{family[0]}", WORKBOOK_FONT], capture_output=True, text=True,
                               timeout=10, check=False).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return None if not found or found in SAME_WIDTHS else found


def print_font_warning() -> str | None:
    """What `fazhi generate` says when this machine would print the forms with a wider stand-in for Calibri."""
    stand_in = calibri_stand_in()
    if stand_in is None:
        return None
    return (f"本机的 LibreOffice 没有 Calibri 字体(也没有与之等宽的 Carlito),打印自评表时会用“{stand_in}”代替:"
            "各列变宽,按页宽缩印后字偏小、每页内容偏少(单位用 Excel 或 WPS 打开不受影响)。"
            "请安装 Carlito 字体(Debian/Ubuntu:sudo apt-get install fonts-crosextra-carlito)后再打印。")
