"""The rubric model: unit types, sections, items, deduction rules, special bonus/penalty, tasks, targets.

`build_rubric` turns plain data (as read from a YAML file or the rubric workbook) into frozen dataclasses and
collects every inconsistency it finds, so a broken rubric file is explained in one go rather than one error at a
time. Each problem names its place in Chinese (区级部门细则 第 4.1 项 …); data read from a workbook carries the
cell of each value under the key `AT` (`{"max": "“区级部门”表 F12", "": <the row's first cell>}`), and the
problem then starts with that cell.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from functools import cached_property, lru_cache
from typing import Any

from fazhi_cli.domain.kinds import ALL_MONTHS, COUNT, FLAG, KINDS, kind_of
from fazhi_cli.domain.placeholders import placeholder_list, unknown_placeholders

UNIT_TYPES = ("department", "township")
UNIT_TYPE_LABELS = {"department": "区级部门", "township": "乡镇(街道)"}
RULE_KINDS = tuple(KINDS)
# The records the office keeps itself (台账), named by a rule's or an item's optional `ledger` key, with the rule
# kind each one can stand for: the monthly 法治政府建设信息 (a monthly count), the 行政执法指导案例 and the
# 工作总结 (flags: 未报送). `filings` (规范性文件备案) is on an item: reference for the office, no rule.
LEDGER_RULE_KINDS = {"info": "monthly", "cases": "flag", "summary": "flag"}
LEDGER_ITEM_RECORDS = ("filings",)
LEDGER_LABELS = {"info": "信息报送", "cases": "指导案例", "summary": "工作总结", "filings": "备案"}
# Words a work arrangement writes instead of unit names. 各乡镇(街道) and 区级各部门 say "every township" and "every
# district department": a task naming one applies to every unit of that type. 区级相关部门 ("the departments
# concerned") names no unit: the office replaces it with the units' names; until it does, the task reaches no unit
# through it, and `rubric_warnings` says so (it is never taken to mean every department).
EVERY_OF_TYPE = {"各乡镇(街道)": "township", "各乡镇": "township", "各乡镇街道": "township",
                 "区级各部门": "department", "各区级部门": "department"}
VAGUE_WORDS = ("区级相关部门", "相关部门", "相关单位", "各有关单位", "有关单位", "各相关单位")
RULE_NUMBERS = ("points", "per", "quota")  # a rule's numbers, as each kind reads the ones it needs
AT = "_at"  # the key under which data read from a workbook carries each value's cell


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


@lru_cache(maxsize=8192)  # asked for every unit against every task's names
def same_name(name: str) -> str:
    """A unit name as compared (full- and half-width forms alike: （） and () are the same)."""
    return unicodedata.normalize("NFKC", name).strip()


_EVERY_OF_TYPE = {same_name(word): unit_type for word, unit_type in EVERY_OF_TYPE.items()}


def type_of_group(name: str) -> str:
    """The unit type a word such as 各乡镇(街道) stands for every unit of, or "" for a unit's own name."""
    return _EVERY_OF_TYPE.get(same_name(name), "")


LEAD = "牵头"
PARTNER = "参与"


@dataclass(frozen=True)
class Task:
    """A work-arrangement task with the units responsible for it: `responsible` lists them all, the units that
    lead it (`lead`) first; `responsible_text` is the document's own wording (reference only). A unit is named
    by its name, or as one of every unit of its type (各乡镇(街道), 区级各部门)."""

    number: int
    section: str
    section_title: str
    title: str
    text: str
    responsible_text: str
    responsible: tuple[str, ...]
    lead: tuple[str, ...] = ()

    @property
    def partners(self) -> tuple[str, ...]:
        """The units (or words) named as taking part without leading."""
        return tuple(name for name in self.responsible if name not in self.lead)

    def role(self, unit_name: str, unit_type: str = "") -> str:
        """牵头 when the unit leads the task, 参与 when it takes part, "" when it is not named."""
        name = same_name(unit_name)
        lead, responsible = self._named
        if _named(lead, name, unit_type):
            return LEAD
        return PARTNER if _named(responsible, name, unit_type) else ""

    @cached_property
    def _named(self) -> tuple[tuple[frozenset[str], frozenset[str]], tuple[frozenset[str], frozenset[str]]]:
        """The lead and the responsible as compared: (names, unit types named as every unit of a type), worked
        out once; every unit is asked against every task."""
        return _as_compared(self.lead), _as_compared(self.responsible)

    def applies_to(self, unit_name: str, unit_type: str = "") -> bool:
        """Whether the unit is named, or is of a type the task names every unit of (区级相关部门 names none)."""
        return bool(self.role(unit_name, unit_type))


def _as_compared(names: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str]]:
    return frozenset(same_name(n) for n in names), frozenset(filter(None, map(type_of_group, names)))


def _named(named: tuple[frozenset[str], frozenset[str]], name: str, unit_type: str) -> bool:
    """Whether `name` (as compared) is among the names, or `unit_type` among the types named as a whole."""
    names, types = named
    return name in names or bool(unit_type) and unit_type in types


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
    "partners": "参与单位", "responsible": "责任单位", "item": "考核项目",
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
    )


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


def rubric_data(rubric: Rubric) -> dict[str, Any]:
    """The rubric as plain data, the shape `build_rubric` reads (numbers as decimal strings): what a rubric
    workbook turns into when it is kept as the workspace's rubric.yaml."""
    return {
        "id": rubric.id, "version": rubric.version, "title": rubric.title, "source": rubric.source,
        "year": rubric.year, "total": str(rubric.total),
        "unit_types": {unit_type: _type_data(type_rubric) for unit_type, type_rubric in rubric.types.items()},
        "special": {
            "standard_bonus": rubric.special.standard_bonus, "standard_penalty": rubric.special.standard_penalty,
            "bonus": [_rule_data(r) for r in rubric.special.bonus],
            "penalty": [_rule_data(r) for r in rubric.special.penalty],
        },
        "tasks": [
            {"number": t.number, "section": t.section, "section_title": t.section_title, "title": t.title,
             "text": t.text, "responsible_text": t.responsible_text, "lead": list(t.lead), "partners": list(t.partners)}
            for t in rubric.tasks
        ],
        "targets": {
            unit_type: [{"number": row.number, "item": row.item, "content": row.content} for row in rows]
            for unit_type, rows in rubric.targets.items()
        },
    }


def _type_data(type_rubric: UnitTypeRubric) -> dict[str, Any]:
    return {
        "label": type_rubric.label, "attachment": type_rubric.attachment, "total": str(type_rubric.total),
        "sections": [
            {"id": s.id, "numeral": s.numeral, "name": s.name, "max": str(s.max), "items": [
                {"id": i.id, "name": i.name, "max": str(i.max), "content": i.content, "standard": i.standard,
                 **({"ledger": i.ledger} if i.ledger else {}), "rules": [_rule_data(r) for r in i.rules]}
                for i in s.items]}
            for s in type_rubric.sections
        ],
    }


def _rule_data(rule: Rule) -> dict[str, Any]:
    fields = {key: str(value) for key, value in kind_of(rule).json_fields(rule).items() if key in RULE_NUMBERS}
    ledger = {"ledger": rule.ledger} if rule.ledger else {}
    return {"id": rule.id, "kind": rule.kind, "text": rule.text, **fields, **ledger}
