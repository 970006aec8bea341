"""`fazhi config show|set`: the campaign's settings read from fazhi.toml and changed without a text editor.

fazhi.toml is rewritten with tomlkit, which keeps its comments and layout; a setting the file only mentions in a
comment (`# township = "…"` under `# [weights]`) is written in that place. The new text is checked as a whole
(`parse_campaign`, the same reading every command does) before it replaces the file, atomically; the caller holds
the workspace lock. Which settings there are, their Chinese names and how a typed value is read come from the pure
table `fazhi_cli.domain.settings`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import tomlkit
from tomlkit.exceptions import ParseError

from fazhi_cli.domain.settings import (
    COMPONENTS_TABLE,
    IN_WORKBOOKS,
    SETTINGS,
    Setting,
    SettingProblem,
    component_rows,
    current_values,
    find_setting,
    setting_value,
    shown,
)
from fazhi_cli.domain.typography import document_number
from fazhi_cli.errors import UsageError, WorkspaceError
from fazhi_cli.infra.files import atomic_write, user_write_errors
from fazhi_cli.workspace.paths import Workspace
from fazhi_cli.workspace.settings_file.parse import parse_campaign, quote_bare_keys, read_settings_text, syntax_error


@dataclass(frozen=True)
class SettingRow:
    """One line of `fazhi config show`: the fazhi.toml key, the Chinese name, the value as shown, the meaning."""

    key: str
    label: str
    value: str
    means: str


def config_json(rows: list[SettingRow]) -> dict[str, object]:
    """What `fazhi config show --json` prints: `{"settings": [{"key", "label", "value", "means"}]}`."""
    return {"settings": [{"key": r.key, "label": r.label, "value": r.value, "means": r.means} for r in rows]}


@dataclass(frozen=True)
class SettingChange:
    """What `fazhi config set` changed: the setting, its value before and after (as shown), and what to mind."""

    key: str
    label: str
    before: str
    after: str
    notes: tuple[str, ...] = ()


def show_settings(workspace: Workspace) -> list[SettingRow]:
    """Every setting of the campaign with its Chinese name, value and meaning."""
    campaign = workspace.campaign()
    values = current_values(campaign)
    return [SettingRow(s.key, s.label, shown(values[s.key]), s.means) for s in (*SETTINGS, *component_rows(campaign))]


def set_setting(workspace: Workspace, key: str, typed: str) -> SettingChange:
    """Change one setting in fazhi.toml (its key in Chinese or English, the value typed any usual way).

    UsageError for an unknown key, a value that does not fit, or a file that would not read afterwards.
    The caller holds the workspace lock.
    """
    try:
        setting = find_setting(key)
        value = setting_value(setting, typed)
    except SettingProblem as problem:
        raise UsageError(str(problem), "用 fazhi config show 可列出全部设置及其写法。") from None
    value, normalised = _as_documents_write_it(setting, value)
    path = workspace.config_path
    text = quote_bare_keys(read_settings_text(path).removeprefix("\ufeff"))
    before = _before(workspace, setting)
    document = _document(path, _written_in_place(text, setting), setting)
    table = document.get(setting.table)
    if table is None:
        table = tomlkit.table()
        document[setting.table] = table
    if setting.table == COMPONENTS_TABLE:
        _set_component(table, setting, value)
    else:
        table[setting.name] = value
    new_text = tomlkit.dumps(document)
    campaign = _checked(new_text, path, setting)
    with user_write_errors(path):
        atomic_write(path, lambda part: part.write_text(new_text, encoding="utf-8"))
    after = shown(current_values(campaign).get(setting.key))
    notes = (*normalised, *_notes(workspace, setting, before, after))
    return SettingChange(setting.key, setting.label, before, after, notes)


def _set_component(table, setting: Setting, value: object) -> None:
    """A component's weight set in `[components]`: one for every type (`"第三方评估" = "10"`), or one type's
    (`"第三方评估" = { department = "10", township = "5" }`, the other types keeping the weight they had); None
    takes the component (or that type's weight) out."""
    parts = setting.key.split(".")
    name = parts[1]
    if len(parts) == 2:
        if value is None:
            table.pop(name, None)
        else:
            table[name] = value
        return
    unit_type = parts[2]
    current = table.get(name)
    weights = {str(k): str(v) for k, v in current.items()} if hasattr(current, "items") else (
        {} if current is None else dict.fromkeys(("department", "township"), str(current)))
    if value is None:
        weights.pop(unit_type, None)
    else:
        weights[unit_type] = str(value)
    if not weights:
        table.pop(name, None)
        return
    inline = tomlkit.inline_table()
    inline.update(weights)
    table[name] = inline


def _checked(new_text: str, path: Path, setting: Setting):
    """The campaign the new text gives; a component weight refused (weights over 100) as a usage error that
    says the file was not changed."""
    try:
        return parse_campaign(new_text, path)
    except WorkspaceError as problem:
        if setting.table != COMPONENTS_TABLE:
            raise
        why = problem.message.split("有误:", 1)[-1]
        raise UsageError(f"未修改 {setting.label}:{why}", problem.hint) from None


def _as_documents_write_it(setting: Setting, value: object) -> tuple[object, tuple[str, ...]]:
    """A 发文字号 as GB/T 9704 writes it (〔2026〕8号: no stray space, 六角括号), with a note when it was typed
    otherwise; any other value as typed."""
    if setting.key != "documents.doc_no" or not isinstance(value, str):
        return value, ()
    written = document_number(value.strip())
    if written == value:
        return value, ()
    return written, (f"发文字号已按公文格式写作“{written}”(输入的是“{value}”)。",)


def _before(workspace: Workspace, setting: Setting) -> str:
    """The value as it stands, or “(无法读取)” when fazhi.toml does not read now (the change may mend it)."""
    try:
        return shown(current_values(workspace.campaign()).get(setting.key))
    except UsageError:
        return "(无法读取)"


def _document(path: Path, text: str, setting: Setting) -> tomlkit.TOMLDocument:
    """fazhi.toml parsed by tomlkit; a broken line of the very setting being set (deadline = 2026年12月5日) is
    replaced, any other breakage explained as when the settings are read."""
    try:
        return tomlkit.parse(text)
    except ParseError as error:
        lines = text.splitlines()
        if 0 < error.line <= len(lines) and lines[error.line - 1].partition("=")[0].strip() == setting.name:
            lines[error.line - 1] = f'{setting.name} = ""'
            return _document(path, "\n".join(lines) + "\n", setting)
        try:
            tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:  # Python's own reader names the problem the usual way
            raise syntax_error(path, text, str(exc)) from None
        raise syntax_error(path, text, f"line {error.line}") from None


def _written_in_place(text: str, setting: Setting) -> str:
    """The text with a setting that is only mentioned in a comment (`# township = "…"` under `# [weights]`) made
    a real line there, so that the new value lands where the clerk reads about it."""
    lines = text.splitlines()
    header = next((n for n, line in enumerate(lines) if _header(line) == setting.table), None)
    if header is None:
        header = next((n for n, line in enumerate(lines) if _header(line.lstrip("# ")) == setting.table), None)
        if header is None or setting.table == "campaign":
            return text
        lines[header] = f"[{setting.table}]"
    if setting.table == COMPONENTS_TABLE:  # a component is its own key: tomlkit writes it in the table
        return "\n".join(lines) + "\n"
    end = next((n for n in range(header + 1, len(lines)) if _header(lines[n])), len(lines))
    written = re.compile(rf"\s*{re.escape(setting.name)}\s*=")
    if any(written.match(line) for line in lines[header + 1:end]):
        return "\n".join(lines) + "\n"
    commented = re.compile(rf"\s*#\s*{re.escape(setting.name)}\s*=")
    for n in range(header + 1, end):
        if commented.match(lines[n]):
            lines[n] = f'{setting.name} = ""  # {setting.label}'
            break
    return "\n".join(lines) + "\n"


def _header(line: str) -> str | None:
    found = re.fullmatch(r"\s*\[\s*([A-Za-z_]+)\s*\]\s*(#.*)?", line)
    return found.group(1) if found else None


def _notes(workspace: Workspace, setting: Setting, before: str, after: str) -> tuple[str, ...]:
    """What the clerk should know after a change: workbooks already generated still carry the old value."""
    notes = []
    generated = workspace.outbox.is_dir() and any(workspace.outbox.glob("*.xlsx"))
    if setting.key == "title" and before != after:
        notes.append("考核名称是自评表所带考核身份的一部分:已下发的自评表收回时将被视为另一次考核而退回,"
                     "请用 fazhi generate --force 重新生成并重新下发。")
    elif setting.key in IN_WORKBOOKS and generated and before != after:
        notes.append("outbox/ 中已生成的自评表仍是原来的内容;如需更新,请用 fazhi generate --force 重新生成。")
    elif setting.key == "documents.name_top_grade_only" and after == "是" and not workspace.campaign().grades:
        notes.append("fazhi.toml 中尚未设置等次([[grades]]),此项暂不起作用:通报仍按总分分布写。")
    return tuple(notes)
