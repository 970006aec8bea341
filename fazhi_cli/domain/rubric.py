"""The rubric model: unit types, sections, items, deduction rules, special bonus/penalty, tasks, targets.

`build_rubric` turns plain data (as read from a YAML file) into frozen dataclasses and collects every
inconsistency it finds, so a broken rubric file is explained in one go rather than one error at a time.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from fazhi_cli.domain.kinds import ALL_MONTHS, COUNT, FLAG, KINDS, kind_of

UNIT_TYPES = ("department", "township")
UNIT_TYPE_LABELS = {"department": "区级部门", "township": "乡镇(街道)"}
RULE_KINDS = tuple(KINDS)
DEPARTMENT_GROUP = "区级相关部门"
# The records the office keeps itself (台账), named by a rule's or an item's optional `ledger` key, with the rule
# kind each one can stand for: the monthly 法治政府建设信息 (a monthly count), the 行政执法指导案例 and the
# 工作总结 (flags: 未报送). `filings` (规范性文件备案) is on an item: reference for the office, no rule.
LEDGER_RULE_KINDS = {"info": "monthly", "cases": "flag", "summary": "flag"}
LEDGER_ITEM_RECORDS = ("filings",)
TOWNSHIP_GROUP = "各乡镇(街道)"


@dataclass(frozen=True)
class Rule:
    """A deduction rule with facts; what its `kind` means is in `domain.kinds` (`kind_of(rule)`)."""

    id: str
    kind: str
    text: str
    points: Decimal = Decimal(0)
    per: Decimal = Decimal(0)
    quota: int = 0
    ledger: str = ""  # the office's record (LEDGER_RULE_KINDS) whose entries give this rule's facts, or ""
    months: tuple[int, ...] = ALL_MONTHS  # a monthly rule: the months assessed (the campaign's, `with_months`)

    def fact_ids(self) -> list[str]:
        """The IDs of the facts a unit reports for this rule: its own ID, or twelve for a monthly rule."""
        return kind_of(self).fact_ids(self)

    def counted_fact_ids(self) -> list[str]:
        """The facts that count: all of `fact_ids`, except a monthly rule's months not assessed."""
        return kind_of(self).counted_fact_ids(self)

    def month_ids(self) -> list[str]:
        """The fact IDs other than the rule's own: a monthly rule's `3.2a.01` … `3.2a.12`; empty for a rule
        answered on its own row."""
        return [fact_id for fact_id in self.fact_ids() if fact_id != self.id]


@dataclass(frozen=True)
class Item:
    """A scored item (e.g. 4.1 规范行政执法行为, 15 points) with its text and deduction rules."""

    id: str
    name: str
    max: Decimal
    content: str
    standard: str
    rules: tuple[Rule, ...] = ()
    ledger: str = ""  # the office's reference record on this item (LEDGER_ITEM_RECORDS), or ""


@dataclass(frozen=True)
class Section:
    """A group of items (e.g. 四、提升行政执法水平, 25 points)."""

    id: str
    numeral: str
    name: str
    max: Decimal
    items: tuple[Item, ...]


@dataclass(frozen=True)
class UnitTypeRubric:
    """The rubric for one unit type (attachment 3 for departments, 4 for townships)."""

    type: str
    label: str
    attachment: str
    total: Decimal
    sections: tuple[Section, ...]

    @property
    def items(self) -> list[Item]:
        """All items of every section, in order."""
        return [item for section in self.sections for item in section.items]

    def item(self, item_id: str) -> Item:
        """The item with this ID (KeyError if there is none)."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def ledger_rules(self, record: str) -> list[tuple[Item, Rule]]:
        """The rules (with their item) whose facts the office's `record` gives."""
        return [(item, rule) for item in self.items for rule in item.rules if rule.ledger == record]

    def ledger_items(self, record: str) -> list[Item]:
        """The items on which the office's reference `record` is shown."""
        return [item for item in self.items if item.ledger == record]

    def ledger_records(self) -> set[str]:
        """Every office record this unit type's rubric names."""
        return {rule.ledger for item in self.items for rule in item.rules if rule.ledger} | {
            item.ledger for item in self.items if item.ledger}


@dataclass(frozen=True)
class SpecialRules:
    """特别加分和扣分, common to both unit types."""

    standard_bonus: str
    standard_penalty: str
    bonus: tuple[Rule, ...]
    penalty: tuple[Rule, ...]

    @property
    def rules(self) -> tuple[Rule, ...]:
        """Bonus rules, then penalty rules."""
        return self.bonus + self.penalty

    @property
    def max_bonus(self) -> Decimal:
        """The largest bonus one unit can get (bonuses do not add up)."""
        return max((r.points for r in self.bonus), default=Decimal(0))


@dataclass(frozen=True)
class Task:
    """A work-arrangement task with the units responsible for it."""

    number: int
    section: str
    section_title: str
    title: str
    text: str
    responsible_text: str
    responsible: tuple[str, ...]

    def applies_to(self, unit_name: str, unit_type: str) -> bool:
        """Whether a unit is responsible: named directly, or through 区级相关部门 / 各乡镇(街道)."""
        if unit_name in self.responsible:
            return True
        if unit_type == "department" and DEPARTMENT_GROUP in self.responsible:
            return True
        return unit_type == "township" and TOWNSHIP_GROUP in self.responsible


@dataclass(frozen=True)
class TargetItem:
    """A row of the target-responsibility statement (目标责任书)."""

    number: int
    item: str
    content: str


@dataclass(frozen=True)
class Rubric:
    """A whole assessment rubric: both unit types, special rules, tasks and targets."""

    id: str
    version: str
    title: str
    source: str
    year: int
    total: Decimal
    types: dict[str, UnitTypeRubric]
    special: SpecialRules
    tasks: tuple[Task, ...] = ()
    targets: dict[str, tuple[TargetItem, ...]] = field(default_factory=dict)

    def for_type(self, unit_type: str) -> UnitTypeRubric:
        """The rubric of one unit type."""
        return self.types[unit_type]

    def tasks_for(self, unit_name: str, unit_type: str) -> list[Task]:
        """The tasks this unit is responsible for."""
        return [t for t in self.tasks if t.applies_to(unit_name, unit_type)]

    def max_total(self, unit_type: str) -> Decimal:
        """The highest total a unit of this type can reach (items plus the largest bonus)."""
        return self.types[unit_type].total + self.special.max_bonus

    def with_months(self, months: tuple[int, ...]) -> Rubric:
        """This rubric with its monthly rules assessing `months` only (the campaign's `assessed_months`)."""
        def item(i: Item) -> Item:  # only a monthly rule reads `months`
            return replace(i, rules=tuple(replace(r, months=tuple(months)) for r in i.rules))

        types = {
            name: replace(t, sections=tuple(replace(s, items=tuple(item(i) for i in s.items)) for s in t.sections))
            for name, t in self.types.items()
        }
        return replace(self, types=types)


class RubricProblems(Exception):
    """Raised by `build_rubric` with every problem found; each problem names the ID and the mismatch."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class _Collector:
    """Collects problems while building, so every inconsistency is reported at once."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def add(self, problem: str) -> None:
        self.problems.append(problem)

    def text(self, data: dict, key: str, where: str, required: bool = True) -> str:
        value = data.get(key)
        if value is None:
            if required:
                self.add(f"{where}: 缺少“{key}”")
            return ""
        return str(value).strip()

    def decimal(self, data: dict, key: str, where: str, positive: bool = True) -> Decimal:
        raw = data.get(key)
        try:
            value = Decimal(str(raw).strip())
            if not value.is_finite():
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            self.add(f"{where}: “{key}”应为数字,实为“{raw}”")
            return Decimal(0)
        if positive and value <= 0:
            self.add(f"{where}: “{key}”应为正数,实为 {value}")
        return value

    def mapping_list(self, data: dict, key: str, where: str) -> list[dict]:
        value = data.get(key, [])
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.add(f"{where}: “{key}”应为列表")
            return []
        return value


def build_rubric(data: Any) -> Rubric:
    """Build and check a rubric from plain data; raise `RubricProblems` listing every inconsistency.

    Checks: required fields present, points positive, rule kinds known, IDs unique, items sum to their
    section's maximum and sections to the type's total.
    """
    c = _Collector()
    if not isinstance(data, dict):
        raise RubricProblems(["文件内容不是一个评分细则(应为键值结构)"])
    types_data = data.get("unit_types")
    types: dict[str, UnitTypeRubric] = {}
    if not isinstance(types_data, dict):
        c.add("缺少“unit_types”(区级部门和乡镇(街道)两类评分细则)")
    else:
        for unit_type in UNIT_TYPES:
            if unit_type not in types_data or not isinstance(types_data[unit_type], dict):
                c.add(f"unit_types: 缺少单位类型“{unit_type}”")
                continue
            types[unit_type] = _build_type(c, unit_type, types_data[unit_type])
        for unknown in set(types_data) - set(UNIT_TYPES):
            c.add(f"unit_types: 未知的单位类型“{unknown}”(只能是 department 或 township)")
    special = _build_special(c, data.get("special") or {})
    _check_unique_ids(c, types, special)
    rubric = Rubric(
        id=c.text(data, "id", "评分细则"),
        version=c.text(data, "version", "评分细则"),
        title=c.text(data, "title", "评分细则"),
        source=c.text(data, "source", "评分细则", required=False),
        year=_year(c, data),
        total=c.decimal(data, "total", "评分细则") if "total" in data else Decimal(100),
        types=types,
        special=special,
        tasks=tuple(_build_task(c, t) for t in c.mapping_list(data, "tasks", "tasks")),
        targets=_build_targets(c, data.get("targets") or {}),
    )
    if c.problems:
        raise RubricProblems(c.problems)
    return rubric


def _year(c: _Collector, data: dict) -> int:
    try:
        return int(data.get("year"))
    except (TypeError, ValueError):
        c.add(f"评分细则: “year”应为年份,实为“{data.get('year')}”")
        return 0


def _build_type(c: _Collector, unit_type: str, data: dict) -> UnitTypeRubric:
    where = f"unit_types.{unit_type}"
    total = c.decimal(data, "total", where)
    sections = tuple(_build_section(c, unit_type, s) for s in c.mapping_list(data, "sections", where))
    if not sections:
        c.add(f"{where}: 没有任何考核事项(sections)")
    section_sum = sum((s.max for s in sections), Decimal(0))
    if sections and section_sum != total:
        c.add(f"{where}: 各考核事项分值之和为 {section_sum},与总分 {total} 不符")
    return UnitTypeRubric(
        type=unit_type,
        label=c.text(data, "label", where),
        attachment=c.text(data, "attachment", where, required=False),
        total=total,
        sections=sections,
    )


def _build_section(c: _Collector, unit_type: str, data: dict) -> Section:
    section_id = c.text(data, "id", f"{unit_type} 考核事项")
    where = f"{unit_type} 考核事项 {section_id}"
    maximum = c.decimal(data, "max", where)
    items = tuple(_build_item(c, unit_type, i) for i in c.mapping_list(data, "items", where))
    if not items:
        c.add(f"{where}: 没有任何考核内容(items)")
    item_sum = sum((i.max for i in items), Decimal(0))
    if items and item_sum != maximum:
        listing = " + ".join(f"{i.id}({i.max})" for i in items)
        c.add(f"{where}: 各项分值之和 {listing} = {item_sum},与该事项分值 {maximum} 不符")
    return Section(
        id=section_id,
        numeral=c.text(data, "numeral", where, required=False),
        name=c.text(data, "name", where),
        max=maximum,
        items=items,
    )


def _build_item(c: _Collector, unit_type: str, data: dict) -> Item:
    item_id = c.text(data, "id", f"{unit_type} 考核内容")
    where = f"{unit_type} 第 {item_id} 项"
    rules = tuple(_build_rule(c, where, r) for r in c.mapping_list(data, "rules", where))
    ledger = c.text(data, "ledger", where, required=False)
    if ledger and ledger not in LEDGER_ITEM_RECORDS:
        rule_records = "、".join(LEDGER_RULE_KINDS)
        c.add(f"{where}: 台账“ledger: {ledger}”不能用在考核项目上(项目上只能是 {'、'.join(LEDGER_ITEM_RECORDS)};"
              f"{rule_records} 应写在对应的扣分规则上)")
        ledger = ""
    return Item(
        id=item_id,
        name=c.text(data, "name", where),
        max=c.decimal(data, "max", where),
        content=c.text(data, "content", where),
        standard=c.text(data, "standard", where, required=False),
        rules=rules,
        ledger=ledger,
    )


def _build_rule(c: _Collector, parent: str, data: dict) -> Rule:
    rule_id = c.text(data, "id", f"{parent} 扣分规则")
    where = f"{parent} 规则 {rule_id}"
    kind = c.text(data, "kind", where)
    text = c.text(data, "text", where)
    if kind not in KINDS:
        c.add(f"{where}: 未知的规则类型“{kind}”(只能是 {'、'.join(RULE_KINDS)})")
        return Rule(rule_id, kind, text)
    fields = KINDS[kind].read_fields(
        lambda key: c.decimal(data, key, where), lambda problem: c.add(f"{where}: {problem}")
    )
    return Rule(rule_id, kind, text, **fields, ledger=_rule_ledger(c, where, kind, data))


def _rule_ledger(c: _Collector, where: str, kind: str, data: dict) -> str:
    """A rule's optional `ledger` key: a known office record whose kind matches the rule's."""
    ledger = c.text(data, "ledger", where, required=False)
    if not ledger:
        return ""
    if ledger in LEDGER_ITEM_RECORDS:
        c.add(f"{where}: 台账“ledger: {ledger}”只能写在考核项目上,不能写在扣分规则上")
        return ""
    if ledger not in LEDGER_RULE_KINDS:
        known = "、".join((*LEDGER_RULE_KINDS, *LEDGER_ITEM_RECORDS))
        c.add(f"{where}: 未知的台账“ledger: {ledger}”(只能是 {known})")
        return ""
    if LEDGER_RULE_KINDS[ledger] != kind:
        c.add(f"{where}: 台账“ledger: {ledger}”只能用于 {LEDGER_RULE_KINDS[ledger]} 类型的规则,本规则为 {kind}")
        return ""
    return ledger


def _build_special(c: _Collector, data: dict) -> SpecialRules:
    bonus = tuple(_build_rule(c, "特别加分", r) for r in c.mapping_list(data, "bonus", "special"))
    penalty = tuple(_build_rule(c, "特别扣分", r) for r in c.mapping_list(data, "penalty", "special"))
    for rule in (*bonus, *penalty):
        if rule.ledger:
            c.add(f"特别加分和扣分 {rule.id}: 台账“ledger”不能用于特别加分和扣分")
    for rule in bonus:
        if KINDS.get(rule.kind) is not FLAG:
            c.add(f"特别加分 {rule.id}: 加分规则应为 {FLAG.name}(是/否)类型")
    for rule in penalty:
        if KINDS.get(rule.kind) is not COUNT:
            c.add(f"特别扣分 {rule.id}: 扣分规则应为 {COUNT.name}(次数)类型")
    return SpecialRules(
        standard_bonus=c.text(data, "standard_bonus", "special", required=False),
        standard_penalty=c.text(data, "standard_penalty", "special", required=False),
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
            if ident in seen:
                c.add(f"{unit_type}: 编号“{ident}”重复")
            seen.add(ident)
        records = [r.ledger for item in type_rubric.items for r in item.rules if r.ledger]
        records += [item.ledger for item in type_rubric.items if item.ledger]
        for record in sorted({r for r in records if records.count(r) > 1}):
            c.add(f"{unit_type}: 台账“ledger: {record}”用在了多处(每种单位类型只能有一处)")


def _build_task(c: _Collector, data: dict) -> Task:
    where = f"工作任务 {data.get('number', '?')}"
    responsible = data.get("responsible") or []
    if not isinstance(responsible, list) or not responsible:
        c.add(f"{where}: 缺少责任单位(responsible)")
        responsible = []
    try:
        number = int(data.get("number"))
    except (TypeError, ValueError):
        c.add(f"{where}: 序号应为整数")
        number = 0
    return Task(
        number=number,
        section=c.text(data, "section", where),
        section_title=c.text(data, "section_title", where),
        title=c.text(data, "title", where),
        text=c.text(data, "text", where),
        responsible_text=c.text(data, "responsible_text", where),
        responsible=tuple(str(r).strip() for r in responsible),
    )


def _build_targets(c: _Collector, data: Any) -> dict[str, tuple[TargetItem, ...]]:
    if not isinstance(data, dict):
        c.add("targets: 应按单位类型列出目标责任书条目")
        return {}
    targets: dict[str, tuple[TargetItem, ...]] = {}
    for unit_type in data:
        if unit_type not in UNIT_TYPES:
            c.add(f"targets: 未知的单位类型“{unit_type}”")
            continue
        built = []
        for row in c.mapping_list(data, unit_type, f"targets.{unit_type}"):
            where = f"targets.{unit_type} 第 {row.get('number', '?')} 条"
            built.append(
                TargetItem(
                    number=int(row.get("number") or 0),
                    item=c.text(row, "item", where),
                    content=c.text(row, "content", where),
                )
            )
        targets[unit_type] = tuple(built)
    return targets
