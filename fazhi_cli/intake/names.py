"""Names that come from outside (file, attachment and zip entry names): shown as text, never used as paths.

`display_name` is the one way such a name is shown: its last component, passed through `printable`.
`skipped_name` says which names are passed over silently wherever they are found (folders and archives).
"""

from __future__ import annotations

import re

from fazhi_cli.domain.text import printable

_SKIPPED_NAMES = frozenset({"thumbs.db", "desktop.ini"})


def path_parts(member_path: str) -> list[str]:
    """The components of an entry name (either slash), without empty, '.' and '..' components."""
    return [part for part in re.split(r"[/\\]", member_path) if part not in ("", ".", "..")]


def base_name(name: str) -> str:
    """The last component of a name that may carry a path with either slash."""
    parts = path_parts(name)
    return parts[-1] if parts else name


def display_name(name: str) -> str:
    """A name safe to show: its base name, without control characters or bidi overrides, never empty."""
    return printable(base_name(name)).strip() or "未命名文件"


def skipped_name(name: str) -> bool:
    """Office lock files, hidden dot files and Windows folder metadata are skipped silently."""
    return name.startswith(("~$", ".")) or name.lower() in _SKIPPED_NAMES
