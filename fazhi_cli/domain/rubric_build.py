"""Building a rubric from plain data: `build_rubric` turns it (as read from a YAML file or the rubric workbook)
into the frozen dataclasses of `rubric_model` and collects every inconsistency it finds, so a broken rubric file
is explained in one go rather than one error at a time. Each problem names its place in Chinese (区级部门细则
第 4.1 项 …); data read from a workbook carries the cell of each value under the key `AT`
(`{"max": "“区级部门”表 F12", "": <the row's first cell>}`), and the problem then starts with that cell.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from fazhi_cli.domain.kinds import COUNT, FLAG, KINDS
from fazhi_cli.domain.placeholders import placeholder_list, unknown_placeholders
from fazhi_cli.domain.rubric_model import (
    LEDGER_ITEM_RECORDS,
    LEDGER_LABELS,
    LEDGER_RULE_KINDS,
    UNIT_TYPE_LABELS,
    UNIT_TYPES,
    Item,
    Rubric,
    Rule,
    Section,
    SpecialRules,
    TargetItem,
    Task,
    UnitTypeRubric,
)

AT = "_at"  # the key under which data read from a workbook carries each value's cell


class RubricProblems(Exception):
    """Raised by `build_rubric` with every problem found; each problem names its place and the mismatch."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


# What each key of the plain data is called in messages (and in the rubric workbook's columns).
FIELD_LABELS = {
    "id": "编号", "numeral": "序号", "name": "名称", "max": "分值", "content": "评分标准", "standard": "扣分条款",
    "kind": "类型", "text": "扣分情形", "points": "扣分", "per": "扣分", "quota": "每月要求", "ledger": "台账",
    "label": "名称", "attachment": "附件", "total": "总分", "version": "版本", "title": "标题", "source": "来源",
    "year": "年度", "standard_bonus": "特别加分标准", "standard_penalty": "特别扣分标准", "number": "序号",
    "section": "类别编号", "section_title": "任务类别", "responsible_text": "责任单位(原文)", "lead": "牵头单位",
    "partners": "参与单位", "responsible": "责任单位", "item": "考核项目", "evidence": "需佐证",
}
SECTION_LABELS = {"name": "考核事项"}
ITEM_LABELS = {"name": "考核内容"}
TASK_LABELS = {"title": "任务", "text": "任务内容"}
TARGET_LABELS = {"content": "目标内容"}


def type_place(unit_type: str) -> str:
    """How messages name one unit type's rubric: 区级部门细则."""
    return f"{UNIT_TYPE_LABELS.get(unit_type, unit_type)}细则"


def _cell(data: Any, key: str | None) -> str:
    """The workbook cell a value came from (or its row's first cell), as a message prefix; "" for YAML data."""
    at = data.get(AT) if isinstance(data, dict) else None
    if not isinstance(at, dict):
        return ""
    cell = (at.get(key) if key else None) or at.get("")
    return f"{cell} " if cell else ""


class _Collector:
    """Collects problems while building, so every inconsistency is reported at once."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.id_cells: dict[tuple[str, str], list[str]] = {}

    def add(self, where: str, problem: str, data: Any = None, key: str | None = None) -> None:
        self.problems.append(f"{_cell(data, key)}{where}:{problem}")

    def text(self, data: dict, key: str, where: str, required: bool = True, labels: dict | None = None) -> str:
        label = (labels or {}).get(key) or FIELD_LABELS.get(key, key)
        value = data.get(key)
        if value is None or (required and not str(value).strip()):
            if required:
                self.add(where, f"缺少“{label}”", data, key)
            return ""
        text = str(value).strip()
        for name in unknown_placeholders(text):
            self.add(where, f"“{label}”中的占位符“{{{name}}}”不认识(可用的占位符:{placeholder_list()})", data, key)
        return text

    def decimal(self, data: dict, key: str, where: str, positive: bool = True, label: str = "") -> Decimal:
        label = label or FIELD_LABELS.get(key, key)
        raw = data.get(key)
        try:
            value = Decimal(str(raw).strip())
            if not value.is_finite():
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            shown = "(空)" if raw is None or not str(raw).strip() else f"“{raw}”"
            self.add(where, f"“{label}”应为数字,实为{shown}", data, key)
            return Decimal(0)
        if positive and value <= 0:
            self.add(where, f"“{label}”应为正数,实为 {value}", data, key)
        return value

    def integer(self, data: dict, key: str, where: str) -> int:
        raw = data.get(key)
        try:
            value = Decimal(str(raw).strip())
            if value != value.to_integral_value():
                raise InvalidOperation
            return int(value)
        except (InvalidOperation, ValueError):
            self.add(where, f"“{FIELD_LABELS.get(key, key)}”应为整数,实为“{raw}”", data, key)
            return 0

    def mapping_list(self, data: dict, key: str, where: str) -> list[dict]:
        value = data.get(key, [])
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.add(where, "应为条目的列表", data)
            return []
        return value

    def names(self, data: dict, key: str, where: str) -> tuple[str, ...]:
        value = data.get(key) or []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.add(where, f"“{FIELD_LABELS.get(key, key)}”应为单位名称的列表", data, key)
            return ()
        return tuple(dict.fromkeys(str(name).strip() for name in value if str(name).strip()))

    def saw_id(self, unit_type: str, ident: str, data: dict) -> None:
        self.id_cells.setdefault((unit_type, ident), []).append(_cell(data, "id").strip())


def build_rubric(data: Any) -> Rubric:
    """Build and check a rubric from plain data; raise `RubricProblems` listing every inconsistency.

    Checks: required fields present, points positive, rule kinds known, IDs unique, items sum to their
    section's maximum and sections to the type's total, placeholders known.
    """
    c = _Collector()
    if not isinstance(data, dict):
        raise RubricProblems(["文件内容不是一个评分细则(应为键值结构)"])
    types_data = data.get("unit_types")
    types: dict[str, UnitTypeRubric] = {}
    if not isinstance(types_data, dict):
        c.add("评分细则", "缺少区级部门和乡镇(街道)两类评分细则")
    else:
        for unit_type in UNIT_TYPES:
            if unit_type not in types_data or not isinstance(types_data[unit_type], dict):
                c.add("评分细则", f"缺少{type_place(unit_type)}")
                continue
            types[unit_type] = _build_type(c, unit_type, types_data[unit_type])
        for unknown in set(types_data) - set(UNIT_TYPES):
            c.add("评分细则", f"未知的单位类型“{unknown}”(只能是 department 区级部门 或 township 乡镇(街道))")
    special = _build_special(c, data.get("special") or {})
    _check_unique_ids(c, types, special)
    rubric = Rubric(
        id=c.text(data, "id", "评分细则", labels={"id": "细则编号"}),
        version=c.text(data, "version", "评分细则"),
        title=c.text(data, "title", "评分细则"),
        source=c.text(data, "source", "评分细则", required=False),
        year=_year(c, data),
        total=c.decimal(data, "total", "评分细则") if "total" in data else Decimal(100),
        types=types,
        special=special,
        tasks=tuple(_build_task(c, t) for t in c.mapping_list(data, "tasks", "工作任务")),
        targets=_build_targets(c, data.get("targets") or {}),
    )
    if c.problems:
        raise RubricProblems(c.problems)
    return rubric


def _year(c: _Collector, data: dict) -> int:
    try:
        return int(str(data.get("year")).strip())
    except (TypeError, ValueError):
        c.add("评分细则", f"“年度”应为年份,实为“{data.get('year')}”", data, "year")
        return 0


def _build_type(c: _Collector, unit_type: str, data: dict) -> UnitTypeRubric:
    where = type_place(unit_type)
    total = c.decimal(data, "total", where)
    sections = tuple(_build_section(c, unit_type, s) for s in c.mapping_list(data, "sections", where))
    if not sections:
        c.add(where, "没有任何考核事项", data)
    section_sum = sum((s.max for s in sections), Decimal(0))
    if sections and section_sum != total:
        c.add(where, f"各考核事项分值之和为 {section_sum},与总分 {total} 不符", data, "total")
    return UnitTypeRubric(
        type=unit_type,
        label=c.text(data, "label", where),
        attachment=c.text(data, "attachment", where, required=False),
        total=total,
        sections=sections,
    )


def _build_section(c: _Collector, unit_type: str, data: dict) -> Section:
    section_id = c.text(data, "id", f"{type_place(unit_type)} 考核事项")
    where = f"{type_place(unit_type)} 考核事项 {section_id}"
    c.saw_id(unit_type, section_id, data)
    maximum = c.decimal(data, "max", where)
    items = tuple(_build_item(c, unit_type, i) for i in c.mapping_list(data, "items", where))
    if not items:
        c.add(where, "没有任何考核内容", data)
    item_sum = sum((i.max for i in items), Decimal(0))
    if items and item_sum != maximum:
        listing = " + ".join(f"{i.id}({i.max})" for i in items)
        c.add(where, f"各项分值之和 {listing} = {item_sum},与该事项分值 {maximum} 不符", data, "max")
    return Section(
        id=section_id,
        numeral=c.text(data, "numeral", where, required=False),
        name=c.text(data, "name", where, labels=SECTION_LABELS),
        max=maximum,
        items=items,
    )


def _build_item(c: _Collector, unit_type: str, data: dict) -> Item:
    item_id = c.text(data, "id", f"{type_place(unit_type)} 考核内容")
    where = f"{type_place(unit_type)} 第 {item_id} 项"
    c.saw_id(unit_type, item_id, data)
    rules = tuple(_build_rule(c, where, r, unit_type) for r in c.mapping_list(data, "rules", where))
    ledger = c.text(data, "ledger", where, required=False)
    if ledger and ledger not in LEDGER_ITEM_RECORDS:
        c.add(where, f"台账“{_ledger_name(ledger)}”不能用在考核内容上(考核内容上只能是"
                     f"{'、'.join(LEDGER_LABELS[r] for r in LEDGER_ITEM_RECORDS)};"
                     f"{'、'.join(LEDGER_LABELS[r] for r in LEDGER_RULE_KINDS)}应写在对应的扣分规则上)", data, "ledger")
        ledger = ""
    return Item(
        id=item_id,
        name=c.text(data, "name", where, labels=ITEM_LABELS),
        max=c.decimal(data, "max", where),
        content=c.text(data, "content", where),
        standard=c.text(data, "standard", where, required=False),
        rules=rules,
        ledger=ledger,
        evidence=_yes_no(c, data, "evidence", where),
    )


YES = frozenset({"true", "yes", "y", "1", "是", "需", "需要", "√", "✓"})
NO = frozenset({"", "false", "no", "n", "0", "否", "不需", "不需要", "none"})


def _yes_no(c: _Collector, data: dict, key: str, where: str) -> bool:
    """An optional yes/no key (YAML true/false, or 是/否 as the workbook has it); absent is no."""
    raw = data.get(key)
    if raw is None or isinstance(raw, bool):
        return bool(raw)
    text = str(raw).strip().casefold()
    if text in YES or text in NO:
        return text in YES
    c.add(where, f"“{FIELD_LABELS.get(key, key)}”应为“是”或留空,实为“{raw}”", data, key)
    return False


def _ledger_name(record: str) -> str:
    return LEDGER_LABELS.get(record, record)


def _build_rule(c: _Collector, parent: str, data: dict, unit_type: str = "") -> Rule:
    rule_id = c.text(data, "id", f"{parent} 扣分规则")
    where = f"{parent} 规则 {rule_id}"
    if unit_type:
        c.saw_id(unit_type, rule_id, data)
    kind = c.text(data, "kind", where)
    text = c.text(data, "text", where)
    if kind not in KINDS:
        if kind:
            known = "、".join(f"{k.label}({k.name})" for k in KINDS.values())
            c.add(where, f"未知的规则类型“{kind}”(只能是 {known})", data, "kind")
        return Rule(rule_id, kind, text)
    label = "加分" if parent == "特别加分" else ""
    fields = KINDS[kind].read_fields(
        lambda key: c.decimal(data, key, where, label=label), lambda problem: c.add(where, problem, data)
    )
    return Rule(rule_id, kind, text, **fields, ledger=_rule_ledger(c, where, kind, data))


def _rule_ledger(c: _Collector, where: str, kind: str, data: dict) -> str:
    """A rule's optional `ledger` key: a known office record whose kind matches the rule's."""
    ledger = c.text(data, "ledger", where, required=False)
    if not ledger:
        return ""
    if ledger in LEDGER_ITEM_RECORDS:
        c.add(where, f"台账“{_ledger_name(ledger)}”只能写在考核内容上,不能写在扣分规则上", data, "ledger")
        return ""
    if ledger not in LEDGER_RULE_KINDS:
        known = "、".join(f"{label}({record})" for record, label in LEDGER_LABELS.items())
        c.add(where, f"未知的台账“{ledger}”(只能是 {known})", data, "ledger")
        return ""
    if LEDGER_RULE_KINDS[ledger] != kind:
        wanted, actual = KINDS[LEDGER_RULE_KINDS[ledger]].label, KINDS[kind].label
        c.add(where, f"台账“{_ledger_name(ledger)}”只能用于“{wanted}”类型的规则,本规则为“{actual}”", data, "ledger")
        return ""
    return ledger


def _build_special(c: _Collector, data: dict) -> SpecialRules:
    bonus_data = c.mapping_list(data, "bonus", "特别加分")
    penalty_data = c.mapping_list(data, "penalty", "特别扣分")
    bonus = tuple(_build_rule(c, "特别加分", r) for r in bonus_data)
    penalty = tuple(_build_rule(c, "特别扣分", r) for r in penalty_data)
    for rule, rule_data in zip((*bonus, *penalty), (*bonus_data, *penalty_data), strict=True):
        if rule.ledger:
            c.add(f"特别加分和扣分 {rule.id}", "台账不能用于特别加分和扣分", rule_data, "ledger")
    for rule, rule_data in zip(bonus, bonus_data, strict=True):
        if KINDS.get(rule.kind) is not FLAG and rule.kind in KINDS:
            c.add(f"特别加分 {rule.id}", f"加分规则应为“{FLAG.label}”类型", rule_data, "kind")
    for rule, rule_data in zip(penalty, penalty_data, strict=True):
        if KINDS.get(rule.kind) is not COUNT and rule.kind in KINDS:
            c.add(f"特别扣分 {rule.id}", f"扣分规则应为“{COUNT.label}”类型", rule_data, "kind")
    return SpecialRules(
        standard_bonus=c.text(data, "standard_bonus", "特别加分和扣分", required=False),
        standard_penalty=c.text(data, "standard_penalty", "特别加分和扣分", required=False),
        bonus=bonus,
        penalty=penalty,
    )


def _check_unique_ids(c: _Collector, types: dict[str, UnitTypeRubric], special: SpecialRules) -> None:
    special_ids = [r.id for r in special.rules]
    for unit_type, type_rubric in types.items():
        ids = [s.id for s in type_rubric.sections]
        for item in type_rubric.items:
            ids.append(item.id)
            ids.extend(r.id for r in item.rules)
            ids.extend(m for r in item.rules if r.kind in KINDS for m in r.month_ids())  # unknown: reported
        ids.extend(special_ids)
        seen: set[str] = set()
        for ident in ids:
            if ident in seen and ident:
                cells = [cell for cell in c.id_cells.get((unit_type, ident), []) if cell]
                prefix = f"{'、'.join(cells)} " if len(cells) > 1 else ""
                c.problems.append(f"{prefix}{type_place(unit_type)}:编号“{ident}”重复")
            seen.add(ident)
        records = [r.ledger for item in type_rubric.items for r in item.rules if r.ledger]
        records += [item.ledger for item in type_rubric.items if item.ledger]
        for record in sorted({r for r in records if records.count(r) > 1}):
            c.add(type_place(unit_type), f"台账“{_ledger_name(record)}”用在了多处(每种单位类型只能有一处)")


def _build_task(c: _Collector, data: dict) -> Task:
    number = c.integer(data, "number", f"工作任务 {data.get('number', '?')}") if "number" in data else 0
    where = f"工作任务 {number or data.get('number', '?')}"
    if "number" not in data:
        c.add(where, "缺少“序号”", data, "number")
    if "lead" in data or "partners" in data:
        lead = c.names(data, "lead", where)
        partners = tuple(n for n in c.names(data, "partners", where) if n not in lead)
        responsible = lead + partners
    else:  # the older form: one list of responsible units, none marked as leading
        lead, responsible = (), c.names(data, "responsible", where)
    if not responsible:
        c.add(where, "缺少牵头单位或参与单位", data, "lead" if "lead" in data else "responsible")
    return Task(
        number=number,
        section=c.text(data, "section", where, required=False),
        section_title=c.text(data, "section_title", where, required=False),
        title=c.text(data, "title", where, labels=TASK_LABELS),
        text=c.text(data, "text", where, labels=TASK_LABELS),
        responsible_text=c.text(data, "responsible_text", where, required=False),
        responsible=responsible,
        lead=lead,
    )


def _build_targets(c: _Collector, data: Any) -> dict[str, tuple[TargetItem, ...]]:
    if not isinstance(data, dict):
        c.add("目标责任书", "应按单位类型列出目标责任书条目")
        return {}
    targets: dict[str, tuple[TargetItem, ...]] = {}
    for unit_type in data:
        if unit_type not in UNIT_TYPES:
            c.add("目标责任书", f"未知的单位类型“{unit_type}”")
            continue
        label = f"{UNIT_TYPE_LABELS[unit_type]}目标责任书"
        built = []
        for row in c.mapping_list(data, unit_type, label):
            where = f"{label} 第 {row.get('number', '?')} 条"
            built.append(
                TargetItem(
                    number=c.integer(row, "number", where),
                    item=c.text(row, "item", where),
                    content=c.text(row, "content", where, labels=TARGET_LABELS),
                )
            )
        targets[unit_type] = tuple(built)
    return targets

