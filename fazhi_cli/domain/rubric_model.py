"""The rubric model: unit types, sections, items, deduction rules, special bonus/penalty, tasks, targets.

Frozen dataclasses, built from plain data and checked by `rubric_build`; what a rule's kind means is in `kinds`.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cached_property, lru_cache

from fazhi_cli.domain.kinds import ALL_MONTHS, KINDS, kind_of

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
    evidence: bool = False  # 需佐证: the unit must name (and send) the files that prove it


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
