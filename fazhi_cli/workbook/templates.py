"""Many units' self-assessment workbooks, fast: one template per shape, each unit's own text stamped in.

Two units' workbooks differ only in a few strings when they have the same *shape*: the same type, the same
tasks with the same roles, and names of the same display width (the writer fits row heights to the text, see
`style.fit_row_height`). The reference writer (`writer.build_workbook`) writes one workbook per shape with
tokens where the unit's name, the time of generation and the identity's seal go; a unit's workbook is that
template's parts with the tokens replaced by the unit's text, escaped as the writer escapes it, and only the
pieces around the tokens deflated again (`zipparts`). A name a token cannot stand for (formula-like, with
spaces at an end, control characters, very short or very long) is written by the reference writer itself.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from fazhi_cli.domain.campaign import Campaign
from fazhi_cli.domain.rubric import Rubric
from fazhi_cli.domain.units import Unit
from fazhi_cli.infra.parallel import map_ordered
from fazhi_cli.workbook import layout, zipparts
from fazhi_cli.workbook.style import FORMULA_LEADS, clean_text, display_width
from fazhi_cli.workbook.writer import build_workbook, fingerprint, identity_values

# Unicode noncharacters, reserved for a program's internal use: never in a rubric, a roster or a campaign.
NAME_OPEN, NAME_CLOSE, NAME_FILL = "\ufdd0", "\ufdd1", "\ufdd2"
TIME_TOKEN, SEAL_TOKEN = "\ufdd3", "\ufdd4"
TOKEN_CHARACTERS = frozenset(NAME_OPEN + NAME_CLOSE + NAME_FILL + TIME_TOKEN + SEAL_TOKEN)
NAME, TIME, SEAL = "name", "time", "seal"
MIN_NAME_WIDTH = 4  # the name token's two ends
MAX_NAME_LENGTH = 1000  # far beyond any unit's name, far below a cell's limit
MAX_TEMPLATES = 256  # templates kept at once (about 130 KB each); a campaign of many shapes rebuilds the oldest


def name_token(width: int) -> str:
    """A stand-in for a unit's name of display width `width` (≥ MIN_NAME_WIDTH), so rows fit it as the name."""
    fill = width - MIN_NAME_WIDTH
    return NAME_OPEN + NAME_FILL * (fill // 2) + "x" * (fill % 2) + NAME_CLOSE


def stamps(name: str) -> bool:
    """Whether a template can carry this name: the writer writes it unchanged, as plain text, in one XML text node."""
    return (
        len(name) <= MAX_NAME_LENGTH
        and display_width(name) >= MIN_NAME_WIDTH
        and clean_text(name) == name
        and name == name.strip()
        and not name.startswith(FORMULA_LEADS)
        and not any(ch < " " for ch in name)
        and not TOKEN_CHARACTERS.intersection(name)
    )


def shape(rubric: Rubric, unit: Unit) -> tuple:
    """What a unit's workbook depends on besides its text: its type, its tasks and roles, its name's width."""
    roles = tuple((index, role) for index, task in enumerate(rubric.tasks) if (role := task.role(unit.name, unit.type)))
    return unit.type, roles, display_width(unit.name)


def _serializer(xml: bytes, token: str) -> Callable[[str], bytes]:
    """How the writer put text into the XML, told by how the token came out: character references or UTF-8."""
    for encode in (_as_references, _as_utf8):
        if encode(token) in xml:
            return encode
    raise ValueError("the template does not hold its token")


def _as_references(text: str) -> bytes:
    return escape(text).encode("ascii", "xmlcharrefreplace")


def _as_utf8(text: str) -> bytes:
    return escape(text).encode("utf-8")


@dataclass(frozen=True)
class _Part:
    """One file of the template: unchanged (one entry), or pieces split at the tokens (`keys[i]` follows
    `raw[i]`)."""

    name: str
    date_time: tuple[int, int, int, int, int, int]
    raw: tuple[bytes, ...]
    deflated: tuple[bytes, ...]
    keys: tuple[str, ...] = ()
    whole: zipparts.Entry | None = None


@dataclass
class Template:
    """A workbook written with tokens for the per-unit text, ready to be stamped with one unit's text."""

    parts: list[_Part]
    encode: Callable[[str], bytes]

    @classmethod
    def from_workbook(cls, content: bytes, tokens: dict[str, str]) -> Template:
        """The template of a workbook file written with `tokens` (key → token text) where the unit's text goes."""
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            files = [(info, archive.read(info)) for info in archive.infolist()]
        encode = _serializer(b"".join(data for _, data in files), tokens[NAME])
        key_of = {encode(token): key for key, token in tokens.items()}
        pattern = re.compile(b"(" + b"|".join(re.escape(token) for token in key_of) + b")")
        parts = []
        for info, data in files:
            split = pattern.split(data)
            raw, found = tuple(split[0::2]), tuple(key_of[token] for token in split[1::2])
            deflated = tuple(zipparts.deflate_piece(piece) for piece in raw)
            whole = None if found else zipparts.entry(info.filename, info.date_time, raw, deflated)
            parts.append(_Part(info.filename, info.date_time, raw, deflated, found, whole))
        return cls(parts, encode)

    def stamp(self, values: dict[str, str]) -> bytes:
        """The workbook file with each token replaced by `values[key]`."""
        text = {key: self.encode(value) for key, value in values.items()}
        deflated_text = {key: zipparts.deflate_piece(value) for key, value in text.items()}
        entries = []
        for part in self.parts:
            if part.whole is not None:
                entries.append(part.whole)
                continue
            raw, deflated = [part.raw[0]], [part.deflated[0]]
            for key, piece, packed in zip(part.keys, part.raw[1:], part.deflated[1:], strict=True):
                raw += (text[key], piece)
                deflated += (deflated_text[key], packed)
            entries.append(zipparts.entry(part.name, part.date_time, raw, deflated))
        return zipparts.zip_bytes(entries)


@dataclass
class WorkbookFactory:
    """The self-assessment workbooks of a campaign's units, as `writer.write_self_assessment` writes them."""

    campaign: Campaign
    rubric: Rubric
    secret: bytes
    _templates: dict[tuple, Template] = field(default_factory=dict, init=False, repr=False)
    _fingerprints: dict[str, str] = field(default_factory=dict, init=False, repr=False)

    def content(self, unit: Unit, generated_at: dt.datetime | None = None) -> bytes:
        """The unit's workbook file, sealed with the secret, generated at `generated_at` (the office's time now)."""
        identity = self._identity(unit, generated_at)
        if not stamps(unit.name):
            return _saved(build_workbook(self.campaign, self.rubric, unit, identity))
        return self._template(unit, identity).stamp(
            {NAME: unit.name, TIME: identity[layout.ID_GENERATED], SEAL: identity[layout.ID_MAC]}
        )

    def prepare(self, units: list[Unit]) -> None:
        """Make the templates of these units' shapes ahead, on every core when there are a handful (each is a
        workbook written by openpyxl); `content` then only stamps."""
        wanted: dict[tuple, Unit] = {}
        for unit in units:
            key = shape(self.rubric, unit)
            if stamps(unit.name) and key not in self._templates:
                wanted.setdefault(key, unit)
        if not wanted or len(self._templates) + len(wanted) > MAX_TEMPLATES:
            return  # made one by one as `content` needs them
        jobs = [(self.campaign, self.rubric, unit, self._identity(unit, None)) for unit in wanted.values()]
        made = map_ordered(_made, jobs, chunksize=1, parallel_from=TEMPLATES_IN_PARALLEL)
        self._templates.update(zip(wanted, made, strict=True))

    def _identity(self, unit: Unit, generated_at: dt.datetime | None) -> dict[str, str]:
        if unit.type not in self._fingerprints:
            self._fingerprints[unit.type] = fingerprint(self.rubric, unit.type)
        return identity_values(self.campaign, self.rubric, unit, self._fingerprints[unit.type], self.secret,
                               generated_at)

    def _template(self, unit: Unit, identity: dict[str, str]) -> Template:
        key = shape(self.rubric, unit)
        if key not in self._templates:
            if len(self._templates) >= MAX_TEMPLATES:
                del self._templates[next(iter(self._templates))]
            self._templates[key] = _made((self.campaign, self.rubric, unit, identity))
        return self._templates[key]


TEMPLATES_IN_PARALLEL = 8  # a template is an openpyxl workbook written (~70 ms): a pool pays from a handful


def _made(job: tuple[Campaign, Rubric, Unit, dict[str, str]]) -> Template:
    """The template of `unit`'s shape, from its identity (its name, time and seal replaced by tokens)."""
    campaign, rubric, unit, identity = job
    tokens = {NAME: name_token(display_width(unit.name)), TIME: TIME_TOKEN, SEAL: SEAL_TOKEN}
    marked = {**identity, layout.ID_UNIT: tokens[NAME], layout.ID_GENERATED: TIME_TOKEN, layout.ID_MAC: SEAL_TOKEN}
    book = build_workbook(campaign, rubric, unit, marked, shown_name=tokens[NAME])
    return Template.from_workbook(_saved(book), tokens)


def _saved(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
