"""Each item's 佐证材料 matched to the files the unit sent with its return. Pure: texts and names in, matches out.

How a 佐证材料 cell is read (`split_names`):
- names are separated by 、 , , ; ; and line breaks;
- a space ends a name only right after a file extension (“总结.pdf 计划.docx” is two names, “2017年 总结.pdf” one);
- a list mark in front (“1.”, “(2)”, “③”) and quotes or book-title marks around a name are tolerated, and
  words that name no file (无, 见附件, /, …) are left out.

How a name is matched (`name_keys`, `match_names`): compared after NFKC (full-width letters, digits and brackets
as their ordinary forms), case-folded, without spaces or invisible characters and without any folder in front
(附件/计划.pdf is 计划.pdf); a name without an extension matches a file of that name with any extension, one with
an extension only that extension. A name that is the name of a zip (or e-mail) the files came in matches every
file from it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from fazhi_cli.domain.checks import WARNING, Finding, Value
from fazhi_cli.domain.numbers import is_blank
from fazhi_cli.domain.rubric import UnitTypeRubric

CODE = "evidence_missing"
NOT_RECEIVED = "未收到"
_HARD_SEPARATORS = re.compile(r"[、,,;;\r\n]+")
_EXTENSION = re.compile(r"\.(?=[0-9a-z]*[a-z])[0-9a-z]{1,5}$")  # .pdf, .docx, .7z; not .2 or .工作总结
_SPACED_EXTENSION = re.compile(r"\.(?=[0-9A-Za-z]*[A-Za-z])[0-9A-Za-z]{1,5}\s")
_LIST_MARK = re.compile(r"^(?:\d{1,2}[.、)]|[((]\d{1,2}[))]|[\u2460-\u2473])")
_QUOTES = "《》“”\"'‘’「」『』【】<>"
NO_NAME = frozenset({"无", "暂无", "没有", "略", "见附件", "详见附件", "附件", "另附", "另报", "/", "-", "—", "——",
                     "无佐证材料", "不适用"})


@dataclass(frozen=True)
class Material:
    """A file kept as the unit's material: its name as sent, where it is archived (relative to the workspace) and
    the names of the zips and e-mails it came in."""

    name: str
    path: str
    containers: tuple[str, ...] = ()


@dataclass(frozen=True)
class NamedFile:
    """One name an item's 佐证材料 gives, and the files it matched (none: the file did not arrive)."""

    name: str
    found: tuple[Material, ...] = ()


@dataclass(frozen=True)
class ItemEvidence:
    """An item's 佐证材料 as the unit wrote it, its cell, and each name with the files that match it."""

    ref: str
    text: str
    cell: str | None
    named: tuple[NamedFile, ...] = ()
    required: bool = False  # the rubric marks the item as needing evidence

    @property
    def missing(self) -> list[str]:
        """The names no file matched."""
        return [n.name for n in self.named if not n.found]

    @property
    def files(self) -> list[Material]:
        """Every file matched, each once, in the order named."""
        return list({m.path: m for n in self.named for m in n.found}.values())

    def shown(self) -> str:
        """One line per name for the office: the file's name and archive path, or 未收到."""
        lines = []
        for named in self.named:
            if not named.found:
                lines.append(f"{named.name}:{NOT_RECEIVED}")
            for material in named.found:
                lines.append(f"{material.name}:{material.path}")
        return "\n".join(lines)


def split_names(text: str) -> list[str]:
    """The file names a 佐证材料 text gives, in order, each once (see the module's notes)."""
    names: list[str] = []
    for piece in _HARD_SEPARATORS.split(unicodedata.normalize("NFKC", text or "")):
        for name in _spaced_names(piece):
            cleaned = _cleaned(name)
            if cleaned and not _names_nothing(cleaned) and cleaned not in names:
                names.append(cleaned)
    return names


def _spaced_names(piece: str) -> list[str]:
    """A piece cut after each extension that a space follows."""
    names, start = [], 0
    for found in _SPACED_EXTENSION.finditer(piece + " "):
        names.append(piece[start:found.end()])
        start = found.end()
    names.append(piece[start:])
    return [name.strip() for name in names if name.strip()]


def _names_nothing(name: str) -> bool:
    """无, 见附件 and the like; a list mark left alone when 、 separated it from its name (“1、总结.pdf”)."""
    return name in NO_NAME or name.isdigit() or _LIST_MARK.sub("", name) == ""


def _cleaned(name: str) -> str:
    return name.strip().strip(_QUOTES + " \u3000").strip()


def _base(text: str) -> str:
    """NFKC, case-folded, without spaces, without a folder in front."""
    normal = unicodedata.normalize("NFKC", text).casefold()
    normal = re.split(r"[/\\]", normal)[-1]
    visible = "".join(ch for ch in normal if unicodedata.category(ch) != "Cf")  # zero-width spaces, BOMs, marks
    return re.sub(r"\s+", "", visible).strip(_QUOTES)


def _stem(key: str) -> str | None:
    """The key without its extension, or None when it has none."""
    found = _EXTENSION.search(key)
    return key[:found.start()] if found and found.start() > 0 else None


def name_keys(name: str) -> tuple[frozenset[str], bool]:
    """The keys a named file matches under (itself, and without a list mark), and whether it has an extension."""
    base = _base(name)
    keys = {base}
    unmarked = _LIST_MARK.sub("", base)
    if unmarked:
        keys.add(unmarked)
    return frozenset(keys), _stem(base) is not None


def _matches(name: str, material: Material) -> bool:
    keys, has_extension = name_keys(name)
    own = _base(material.name)
    if own in keys or any(_base(container) in keys for container in material.containers):
        return True
    return not has_extension and _stem(own) in keys


def match_names(text: str, materials: Iterable[Material]) -> tuple[NamedFile, ...]:
    """Each name `text` gives, with the materials that match it."""
    pool = list(materials)
    return tuple(NamedFile(name, tuple(m for m in pool if _matches(name, m))) for name in split_names(text))


def item_evidence(type_rubric: UnitTypeRubric, values: Mapping[tuple[str, str], Value],
                  materials: Iterable[Material], special: Iterable[str] = ()) -> dict[str, ItemEvidence]:
    """Every item's 佐证材料 matched, by ID: items with a 佐证材料 text and items the rubric marks; then the
    `special` rules (特别加分 B1, B2 …) whose 佐证材料 names something."""
    pool = list(materials)
    found: dict[str, ItemEvidence] = {}
    marked = {item.id: item.evidence for item in type_rubric.items}
    for ref in (*marked, *special):
        value = values.get((ref, "evidence"))
        text = "" if value is None or is_blank(value.raw) else str(value.raw).strip()
        if text or marked.get(ref):
            found[ref] = ItemEvidence(ref, text, value.cell if value else None, match_names(text, pool),
                                      marked.get(ref, False))
    return found


def check_evidence(unit: str, type_rubric: UnitTypeRubric, evidence: Mapping[str, ItemEvidence]) -> list[Finding]:
    """`evidence_missing` warnings, in rubric order: an item (or 特别加分 rule) naming a file that did not arrive
    (each name said), or an item the rubric marks as needing evidence that names none."""
    names = {item.id: item.name for item in type_rubric.items}
    findings = []
    for ref, found in evidence.items():
        where = f"{found.cell}:" if found.cell else ""
        label = f"第 {ref} 项" if ref in names else f"特别加分 {ref}"
        if found.missing:
            listed = "、".join(f"「{name}」" for name in found.missing)
            text = (f"{label}的佐证材料列明了{listed},但随自评表报送的文件中没有。"
                    "请补报该文件(与自评表同一封邮件或同一压缩包),或把佐证材料栏改为所附文件的文件名。")
        elif found.required and not found.named:
            text = f"{label}“{names[ref]}”需要佐证材料,但佐证材料栏未列明。请列明文件名,并随自评表一并报送。"
        else:
            continue
        findings.append(Finding(unit, WARNING, CODE, ref, found.cell, f"【{unit}】{where}{text}"))
    return findings
