"""Text that came from outside, made safe to show: no control characters, no bidi tricks, no bad file names."""

from __future__ import annotations

import re
import unicodedata

# C0 and C1 controls, DEL, and the bidirectional overrides/isolates that can reorder what a reader sees.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_SURROGATES = re.compile("[\ud800-\udfff]")
_WINDOWS_FORBIDDEN = re.compile(r'[<>:"/\\|?*]')
# Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt): characters drawn as nothing at all (zero-width
# spaces and joiners, bidi marks, variation selectors, tags, Hangul fillers …). With the format characters (category
# Cf) they are what `invisible_characters` finds; C0/C1 controls are not among them (those are `has_unprintable`'s).
_IGNORABLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f"
    "\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0000-\U000e0fff]"
)
_INVISIBLE_LABELS = (  # (first, last code point, what the clerk is told it is)
    (0x200B, 0x200B, "零宽空格"), (0x200C, 0x200C, "零宽不连字"), (0x200D, 0x200D, "零宽连字"),
    (0x200E, 0x200E, "从左至右标记"), (0x200F, 0x200F, "从右至左标记"), (0x061C, 0x061C, "文字方向标记"),
    (0x202A, 0x202E, "文字方向控制符"), (0x2066, 0x2069, "文字方向控制符"), (0x2060, 0x2060, "字连接符"),
    (0xFEFF, 0xFEFF, "零宽不换行空格"), (0x00AD, 0x00AD, "软连字符"), (0xFE00, 0xFE0F, "变体选择符"),
    (0xE0100, 0xE01EF, "变体选择符"), (0x180B, 0x180D, "变体选择符"), (0x180F, 0x180F, "变体选择符"),
    (0xE0000, 0xE007F, "标签字符"), (0x115F, 0x1160, "朝鲜文填充符"), (0x3164, 0x3164, "朝鲜文填充符"),
    (0xFFA0, 0xFFA0, "朝鲜文填充符"),
)
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


def is_invisible(char: str) -> bool:
    """True for a character that is drawn as nothing: a format character (Unicode category Cf: zero-width space and
    joiners, bidi marks, the byte-order mark, tags …) or a default-ignorable one (variation selectors, Hangul fillers,
    the combining grapheme joiner …). Spaces are visible (as space) and are not among them."""
    return bool(_IGNORABLE.match(char)) or unicodedata.category(char) == "Cf"


def invisible_characters(text: str) -> list[str]:
    """The invisible characters in `text` (`is_invisible`), each once, in the order they come."""
    return list(dict.fromkeys(char for char in text if is_invisible(char)))


def without_invisible(text: str) -> str:
    """The text with every invisible character removed: what a reader sees."""
    return "".join(char for char in text if not is_invisible(char))


def revealed(text: str) -> str:
    """The text with each invisible character shown as its code point in brackets (`区【U+200B】发改局`), so that a
    message can say where it is; other unprintable characters removed as by `printable`."""
    return printable("".join(f"【{code_point(c)}】" if is_invisible(c) else c for c in text))


def code_point(char: str) -> str:
    """`U+200B` for a character."""
    return f"U+{ord(char):04X}"


def invisible_label(char: str) -> str:
    """What an invisible character is, in Chinese (零宽空格, 变体选择符 …; 格式字符 for the rarer ones)."""
    number = ord(char)
    return next((label for first, last, label in _INVISIBLE_LABELS if first <= number <= last), "格式字符")
