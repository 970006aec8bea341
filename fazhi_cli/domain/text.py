"""Text that came from outside, made safe to show: no control characters, no bidi tricks, no bad file names."""

from __future__ import annotations

import re
import unicodedata

# C0 and C1 controls, DEL, and the bidirectional overrides/isolates that can reorder what a reader sees.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_SURROGATES = re.compile("[\ud800-\udfff]")
_WINDOWS_FORBIDDEN = re.compile(r'[<>:"/\\|?*]')
WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)), *(f"LPT{n}" for n in range(1, 10))}
)


def printable(text: object) -> str:
    """The text without control characters, bidi overrides or lone surrogates (tabs and newlines become spaces)."""
    value = str(text).replace("\t", " ").replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    return _SURROGATES.sub("\ufffd", _UNPRINTABLE.sub("", value))


def has_unprintable(text: str) -> bool:
    """True when the text holds a control character, a bidi override or a lone surrogate."""
    return bool(_UNPRINTABLE.search(text) or _SURROGATES.search(text))


def file_name_problem(name: str) -> str | None:
    """Why `name` cannot be part of a file name on Windows (in Chinese), or None when it can."""
    if has_unprintable(name):
        return "含有控制字符"
    found = _WINDOWS_FORBIDDEN.search(name)
    if found:
        return f"含有文件名中不允许的字符“{found.group()}”"
    if name != name.strip() or name.endswith("."):
        return "以空格或句点开头或结尾"
    stem = name.split(".", 1)[0].strip().upper()
    if stem in WINDOWS_RESERVED:
        return f"“{stem}”是 Windows 保留的设备名"
    return None


def safe_file_component(name: str) -> str:
    """A piece of a file name that is safe on every system: forbidden characters replaced by “_”."""
    cleaned = _WINDOWS_FORBIDDEN.sub("_", printable(unicodedata.normalize("NFC", name))).strip(" .")
    if cleaned.split(".", 1)[0].upper() in WINDOWS_RESERVED:
        cleaned = "_" + cleaned
    return cleaned[:100] or "_"
