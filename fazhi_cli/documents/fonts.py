"""The fonts of the PDF copies: free fonts of the same kinds standing in for the official ones, for fazhi's own
LibreOffice run only.

The Word files ask for 仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312 and 宋体 (`layout`); Word and WPS on the
office's Windows machines have them. Elsewhere (Linux, CI, a fresh clone) none is installed and LibreOffice would
set everything in whatever CJK font the machine has. `fontconfig_file` writes a fontconfig configuration into the
conversion's private folder: the system's own configuration, the folders of the fonts fazhi was given
(`font_folders`: `FAZHI_FONTS`, and the virtual environment's `share/fazhi/fonts`, where `make fonts` puts the
Fandol fonts), and a strong substitution of each official family by its free kind (`SUBSTITUTES`: Fandol first,
then Noto CJK and AR PL where the system has them). `pdf.convert` passes it to soffice as `FONTCONFIG_FILE`;
nothing on the system changes, and no root is needed. `missing` names the kinds with no substitute on this
machine, so that the PDF step can say so (a note, not an error).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from xml.sax.saxutils import escape

FONTS_VARIABLE = "FAZHI_FONTS"  # folders (os.pathsep between them) holding font files for the PDFs
SYSTEM_CONFIG = "/etc/fonts/fonts.conf"


def _prefix_folder() -> Path:
    return Path(sys.prefix) / "share" / "fazhi" / "fonts"


# LibreOffice asks for the 小标宋 in its regular weight and keeps to the weight it asked for: FandolSong Bold is
# therefore also listed (when scanned) under a family of its own, in the regular weight, which the 小标宋 asks for
HEAVY_SONG = "fazhi 小标宋 FandolSong Bold"
HEAVY_SONG_FILE = "FandolSong-Bold.otf"
# the official family → (its kind in Chinese, the names that mean it, the free families in order of preference)
SUBSTITUTES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "仿宋_GB2312": ("仿宋", ("仿宋_GB2312", "仿宋", "FangSong", "FangSong_GB2312", "STFangsong"),
                   ("FandolFang",)),
    "方正小标宋简体": ("小标宋", ("方正小标宋简体", "方正小标宋_GBK", "小标宋", "FZXiaoBiaoSong-B05S"),
                  (HEAVY_SONG, "Noto Serif CJK SC", "Source Han Serif SC")),
    "宋体": ("宋体", ("宋体", "SimSun", "NSimSun", "新宋体", "STSong"),
           ("FandolSong", "Noto Serif CJK SC", "Source Han Serif SC", "AR PL UMing CN")),
    "黑体": ("黑体", ("黑体", "SimHei", "STHeiti"), ("FandolHei", "Noto Sans CJK SC", "Source Han Sans SC")),
    "楷体_GB2312": ("楷体", ("楷体_GB2312", "楷体", "KaiTi", "KaiTi_GB2312", "STKaiti"),
                   ("FandolKai", "AR PL UKai CN", "LXGW WenKai")),
}
# the official families set in bold wherever they appear (the 小标宋 is a heavy face; FandolSong's is Bold)
BOLD = ("方正小标宋简体",)


def font_folders() -> list[Path]:
    """The folders of font files fazhi was given: `FAZHI_FONTS`, then the environment's `share/fazhi/fonts`."""
    given = [Path(part) for part in os.environ.get(FONTS_VARIABLE, "").split(os.pathsep) if part]
    return [folder for folder in [*given, _prefix_folder()] if folder.is_dir()]


def _match(name: str, families: tuple[str, ...], bold: bool) -> str:
    edits = "".join(f"<string>{escape(family)}</string>" for family in families)
    weight = ('<edit name="weight" mode="assign" binding="strong"><const>bold</const></edit>' if bold else "")
    return (f'  <match target="pattern"><test name="family"><string>{escape(name)}</string></test>'
            f'<edit name="family" mode="prepend" binding="strong">{edits}</edit>{weight}</match>\n')


def fontconfig_text(folders: list[Path], system: str = SYSTEM_CONFIG) -> str:
    """The configuration: the system's, the font folders, and the substitutions."""
    dirs = "".join(f"  <dir>{escape(str(folder))}</dir>\n" for folder in folders)
    dirs += "".join(f'  <match target="scan"><test name="file"><string>{escape(str(folder / HEAVY_SONG_FILE))}'
                    f'</string></test><edit name="family" mode="assign_replace"><string>{HEAVY_SONG}</string>'
                    '</edit><edit name="weight" mode="assign"><const>regular</const></edit>'
                    '<edit name="style" mode="assign_replace"><string>Regular</string></edit></match>\n'
                    for folder in folders if (folder / HEAVY_SONG_FILE).is_file())
    matches = "".join(_match(name, families, official in BOLD)
                      for official, (_, names, families) in SUBSTITUTES.items() for name in names)
    return ('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
            f'  <include ignore_missing="yes">{escape(system)}</include>\n{dirs}{matches}</fontconfig>\n')


def fontconfig_file(folder: Path) -> Path:
    """Write the configuration into `folder` (the conversion's private one); its path, for `FONTCONFIG_FILE`."""
    system = os.environ.get("FONTCONFIG_FILE") or SYSTEM_CONFIG
    path = folder / "fonts.conf"
    path.write_text(fontconfig_text(font_folders(), system), "utf-8")
    return path


def available_families(config: Path) -> set[str] | None:
    """The font families fontconfig finds under `config`, or None when `fc-list` is not installed."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        listed = subprocess.run([fc_list, ":", "family"], capture_output=True, text=True, timeout=60, check=False,
                                env={**os.environ, "FONTCONFIG_FILE": str(config)}).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return {name.strip() for line in listed.splitlines() for name in line.split(",") if name.strip()}


def missing(config: Path) -> list[str]:
    """The official fonts with no free substitute under `config`, as '仿宋_GB2312(仿宋)'; empty when all have
    one, or when it cannot be told (no fc-list)."""
    families = available_families(config)
    if families is None:
        return []
    return [f"{official}({kind})" for official, (kind, _, substitutes) in SUBSTITUTES.items()
            if not families.intersection(substitutes)]


def missing_note(names: list[str]) -> str:
    """What the PDF step says when some official fonts have no substitute."""
    if not names:
        return ""
    return (f"PDF 中缺少这些字体的替代字体:{'、'.join(names)},已由系统中其他字体代替,版式可能与公文不同"
            "(Word 文档不受影响)。在 fazhi 的源码目录运行 make fonts 可取得免费的 Fandol 字体。")
