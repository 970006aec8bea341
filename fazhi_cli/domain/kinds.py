"""Rule kinds as a registry: everything that differs between a `flag`, a `count` and a `monthly` rule.

A rubric rule names its kind; `kind_of(rule)` gives the object that knows, for such a rule, which facts a
unit reports, how an answer is read, what the facts deduct (exactly, in Decimal), what the workbook asks
and how Excel checks and computes it, and how the deduction is told in findings, reports, JSON and the
rubric display. The rubric loader refuses a kind that is not in `KINDS` (naming the rule); every other
place asks the registry, so a new kind is one class here.

Standard library only: the rubric model imports this module, not the other way round.
"""

from __future__ import annotations

import random
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from fazhi_cli.domain.numbers import NO, YES, parse_count, parse_flag

Facts = Mapping[str, "bool | int"]
ZERO = Decimal(0)
MONTHS = 12
ALL_MONTHS = tuple(range(1, MONTHS + 1))

# How the workbook checks an answer cell (the writer holds one Excel data validation for each).
ANSWER_YES_NO = "yes_no"  # a list: 是 or 否
ANSWER_WHOLE = "whole"  # a whole number ≥ 0

# Roles of a rule's rows in the 自评表 (see workbook.layout.Row).
ROW_RULE = "rule"  # a rule answered on its own row: its label and its one fact
ROW_GROUP = "rule_group"  # the label row of a rule answered on several rows (no answer of its own)
ROW_FACT = "rule_fact"  # one of those rows: one fact


@dataclass(frozen=True)
class RuleRow:
    """One 自评表 row a rule asks for: its role, ID (rule or fact ID), 考核项目, 考核内容 and 评分标准."""

    role: str
    id: str
    name: str
    content: str
    standard: str


class RuleFields(Protocol):
    """What a kind reads of a rubric rule (the rubric model's `Rule` is one): described here, so that this module
    imports no rubric module."""

    @property
    def id(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def points(self) -> Decimal: ...
    @property
    def per(self) -> Decimal: ...
    @property
    def quota(self) -> int: ...
    @property
    def months(self) -> tuple[int, ...]: ...


NumberReader = Callable[[str], Decimal]  # reads a rubric field as a number, collecting a problem if it is none
ProblemSink = Callable[[str], None]  # collects a rubric problem (the loader prefixes where it is)


def excel_number(value: Decimal) -> str:
    """A rubric number as a formula writes it: 10 stays 10, 0.2 is 0.2 (as the writer's cell numbers)."""
    return str(int(value) if value == value.to_integral_value() else float(value))


class RuleKind(ABC):
    """What one kind of deduction rule means. Subclasses set the class attributes and the methods."""

    name: str  # as the rubric file spells it
    label: str  # as the rubric workbook and messages call it: 是否, 次数, 按月
    answer: str  # ANSWER_YES_NO or ANSWER_WHOLE
    missing_meaning: str  # how a missing answer counts, as a finding says it
    invalid_code: str  # the finding code of an unreadable answer
    invalid_wanted: str  # what the answer should be, as that finding says it

    def fact_ids(self, rule: RuleFields) -> list[str]:
        """The IDs of the facts a unit reports for this rule (by default one: the rule's own ID)."""
        return [rule.id]

    def counted_fact_ids(self, rule: RuleFields) -> list[str]:
        """The facts that count this campaign (a monthly rule: the assessed months only); by default all."""
        return self.fact_ids(rule)

    @abstractmethod
    def read_fields(self, number: NumberReader, problem: ProblemSink) -> dict[str, Any]:
        """The rule's kind-specific fields (points, per, quota) read from the rubric file."""

    @abstractmethod
    def parse(self, raw: object) -> bool | int:
        """A unit's answer as a fact; raises numbers.NotANumber (with its Chinese reason) if unreadable."""

    @abstractmethod
    def deduction(self, rule: RuleFields, facts: Facts) -> Decimal:
        """The points the rule deducts given the facts (exact); an absent fact deducts nothing."""

    @abstractmethod
    def rows(self, rule: RuleFields) -> list[RuleRow]:
        """The 自评表 rows that ask for the rule's facts, in order."""

    def first_layout_rows(self, rule: RuleFields) -> list[RuleRow]:
        """The rows as the first 自评表 layout (format 1) wrote them, so that returns of it are checked against
        their own texts; by default what `rows` writes now."""
        return self.rows(rule)

    @abstractmethod
    def excel_deduction(self, rule: RuleFields, cell: str) -> str:
        """The Excel formula (without `=`) of the deduction of the fact answered in `cell`."""

    @abstractmethod
    def describe(self, rule: RuleFields, facts: Facts, effect: str) -> str:
        """What the rule did in words, with the facts behind it (feedback pages); `effect` is the points part
        the results model words (“扣 0.4 分”, “加 5 分”, “不累加……”)."""

    def evidence(self, rule: RuleFields, facts: Facts) -> tuple[object, tuple[tuple[int, int], ...]]:
        """The fact behind a deduction, and for a monthly rule each (month, pieces short) that was short."""
        return facts.get(rule.id, 0), ()

    @abstractmethod
    def json_fields(self, rule: RuleFields) -> dict[str, Any]:
        """The kind-specific fields of the rule in `rubric show --json`."""

    @abstractmethod
    def summary(self, rule: RuleFields) -> str:
        """How the rule is answered and what it deducts, in one phrase (`rubric show`)."""

    @abstractmethod
    def demo_answers(self, rule: RuleFields, rng: random.Random) -> dict[str, object]:
        """What a demo unit answers, by fact ID: deterministic given the generator's state."""


class FlagKind(RuleKind):
    """是/否: did the situation occur; 是 deducts the fixed `points` once."""

    name = "flag"
    label = "是否"
    answer = ANSWER_YES_NO
    missing_meaning = "按“否”计"
    invalid_code = "flag_invalid"
    invalid_wanted = "只能填“是”或“否”"

    def read_fields(self, number: NumberReader, problem: ProblemSink) -> dict[str, Any]:
        return {"points": number("points")}

    def parse(self, raw: object) -> bool:
        return parse_flag(raw)

    def deduction(self, rule: RuleFields, facts: Facts) -> Decimal:
        return rule.points if facts.get(rule.id) is True else ZERO

    def rows(self, rule: RuleFields) -> list[RuleRow]:
        return [RuleRow(ROW_RULE, rule.id, "扣分情形", f"是否存在:{rule.text}",
                        f"填“是”扣 {rule.points} 分,填“否”不扣分")]

    def excel_deduction(self, rule: RuleFields, cell: str) -> str:
        return f'IF(TRIM({cell})="{YES}",{excel_number(rule.points)},0)'

    def describe(self, rule: RuleFields, facts: Facts, effect: str) -> str:
        return f"{rule.id} {rule.text}:是,{effect}"

    def evidence(self, rule: RuleFields, facts: Facts) -> tuple[object, tuple[tuple[int, int], ...]]:
        return facts.get(rule.id) is True, ()

    def json_fields(self, rule: RuleFields) -> dict[str, Any]:
        return {"points": rule.points}

    def summary(self, rule: RuleFields) -> str:
        return f"是/否,扣 {rule.points} 分"

    def demo_answers(self, rule: RuleFields, rng: random.Random) -> dict[str, object]:
        return {rule.id: YES if rng.random() < 0.08 else NO}


class CountKind(RuleKind):
    """A whole number ≥ 0 of occurrences; each deducts `per`."""

    name = "count"
    label = "次数"
    answer = ANSWER_WHOLE
    missing_meaning = "按 0 计"
    invalid_code = "count_invalid"
    invalid_wanted = "应填写大于或等于 0 的整数(次数或条数)"

    def read_fields(self, number: NumberReader, problem: ProblemSink) -> dict[str, Any]:
        return {"per": number("per")}

    def parse(self, raw: object) -> int:
        return parse_count(raw)

    def deduction(self, rule: RuleFields, facts: Facts) -> Decimal:
        return rule.per * int(facts.get(rule.id) or 0)

    def rows(self, rule: RuleFields) -> list[RuleRow]:
        return [RuleRow(ROW_RULE, rule.id, "扣分情形", f"发生次数:{rule.text}", f"填次数,每次扣 {rule.per} 分")]

    def excel_deduction(self, rule: RuleFields, cell: str) -> str:
        return f"IF(ISNUMBER({cell}),ROUND({cell}*{excel_number(rule.per)},2),0)"

    def describe(self, rule: RuleFields, facts: Facts, effect: str) -> str:
        return f"{rule.id} {rule.text}:{int(facts.get(rule.id) or 0)} 次,{effect}"

    def json_fields(self, rule: RuleFields) -> dict[str, Any]:
        return {"per": rule.per}

    def summary(self, rule: RuleFields) -> str:
        return f"次数,每次扣 {rule.per} 分"

    def demo_answers(self, rule: RuleFields, rng: random.Random) -> dict[str, object]:
        return {rule.id: rng.choices([0, 1, 2], weights=[85, 12, 3])[0]}


class MonthlyKind(RuleKind):
    """Twelve monthly counts (`<rule>.01` … `<rule>.12`); each assessed month (`rule.months`: the campaign's,
    the months over by the deadline) short of `quota` deducts `per` for each missing piece. A month above
    quota does not make up for another (the office's reading); an assessed month with no answer counts as none;
    a month not assessed counts for nothing."""

    name = "monthly"
    label = "按月"
    answer = ANSWER_WHOLE
    missing_meaning = "按当月未报送计算扣分"
    invalid_code = CountKind.invalid_code
    invalid_wanted = CountKind.invalid_wanted

    def fact_ids(self, rule: RuleFields) -> list[str]:
        return [f"{rule.id}.{m:02d}" for m in range(1, MONTHS + 1)]

    def counted_fact_ids(self, rule: RuleFields) -> list[str]:
        return [f"{rule.id}.{m:02d}" for m in rule.months]

    def read_fields(self, number: NumberReader, problem: ProblemSink) -> dict[str, Any]:
        quota = number("quota")
        if quota != quota.to_integral_value():
            problem(f"“每月要求”应为整数,实为 {quota}")
        return {"per": number("per"), "quota": int(quota)}

    def parse(self, raw: object) -> int:
        return parse_count(raw)

    def shortfall(self, rule: RuleFields, facts: Facts) -> list[tuple[str, int]]:
        """Each month's fact ID with the pieces missing below the quota (0 when the quota is met)."""
        return [(month, max(0, rule.quota - int(facts.get(month) or 0))) for month in self.counted_fact_ids(rule)]

    def deduction(self, rule: RuleFields, facts: Facts) -> Decimal:
        return rule.per * sum(missing for _, missing in self.shortfall(rule, facts))

    def rows(self, rule: RuleFields) -> list[RuleRow]:
        label = RuleRow(ROW_GROUP, rule.id, "扣分情形", f"每月报送法治政府建设信息条数(每月应报送 {rule.quota} 条以上)",
                        f"考核{months_text(rule.months)},每月每少报送 1 条扣 {rule.per} 分"
                        "(计分口径:按月分别计算,多报的月份不抵补其他月份)")
        months = [RuleRow(ROW_FACT, fact_id, "", f"{month} 月报送条数" if month in rule.months
                          else f"{month} 月报送条数(不纳入本年度考核)", "")
                  for month, fact_id in enumerate(self.fact_ids(rule), start=1)]
        return [label, *months]

    def first_layout_rows(self, rule: RuleFields) -> list[RuleRow]:
        label = RuleRow(ROW_GROUP, rule.id, "扣分情形", f"每月报送法治政府建设信息条数(每月应报送 {rule.quota} 条以上)",
                        f"每月每少报送 1 条扣 {rule.per} 分;按月分别计算,多报的月份不抵补其他月份")
        return [label, *(RuleRow(ROW_FACT, fact_id, "", f"{month} 月报送条数", "")
                         for month, fact_id in enumerate(self.fact_ids(rule), start=1))]

    def excel_deduction(self, rule: RuleFields, cell: str) -> str:
        return f"ROUND({excel_number(rule.per)}*MAX(0,{rule.quota}-N({cell})),2)"

    def describe(self, rule: RuleFields, facts: Facts, effect: str) -> str:
        _, short = self.evidence(rule, facts)
        months = "、".join(f"{month}月" for month, _ in short)
        total = sum(missing for _, missing in short)
        return f"{rule.id} 法治政府信息报送不足:{months}共少报 {total} 条,{effect}"

    def evidence(self, rule: RuleFields, facts: Facts) -> tuple[object, tuple[tuple[int, int], ...]]:
        short = tuple((int(m.rsplit(".", 1)[1]), missing) for m, missing in self.shortfall(rule, facts) if missing)
        return None, short

    def json_fields(self, rule: RuleFields) -> dict[str, Any]:
        return {"per": rule.per, "quota": rule.quota, "facts": self.fact_ids(rule), "months": list(rule.months)}

    def summary(self, rule: RuleFields) -> str:
        assessed = "" if tuple(rule.months) == ALL_MONTHS else f",考核{months_text(rule.months)}"
        return f"按月填报条数,每月少于 {rule.quota} 条的每少 1 条扣 {rule.per} 分({MONTHS} 行{assessed})"

    def demo_answers(self, rule: RuleFields, rng: random.Random) -> dict[str, object]:
        return {month: rng.choices([3, 2, 1, 0], weights=[30, 60, 8, 2])[0] for month in self.counted_fact_ids(rule)}


def months_text(months: tuple[int, ...]) -> str:
    """The assessed months in words: 1—11 月, 全年 12 个月, or the months listed."""
    if tuple(months) == ALL_MONTHS:
        return "全年 12 个月"
    if not months:
        return "月份:无"
    if list(months) == list(range(months[0], months[-1] + 1)) and len(months) > 2:
        return f" {months[0]}—{months[-1]} 月"
    return " " + "、".join(f"{m}月" for m in months)


FLAG = FlagKind()
COUNT = CountKind()
MONTHLY = MonthlyKind()
KINDS: dict[str, RuleKind] = {kind.name: kind for kind in (FLAG, COUNT, MONTHLY)}


def kind_of(rule: RuleFields) -> RuleKind:
    """The kind of a rule of a loaded rubric (the loader has refused unknown kinds)."""
    try:
        return KINDS[rule.kind]
    except KeyError:
        raise ValueError(f"internal error: rule {rule.id} has unknown kind {rule.kind!r}") from None
