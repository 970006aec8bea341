"""Why a counted score is not what the unit claimed, in the words every report uses (“自评得分超过得分上限,按上限计”,
“法制办核定:……”): pure code over an item's result (standard library only), shared by the results model and its readers.
"""

from __future__ import annotations

from fazhi_cli.domain.results import ItemResult


def change_reason(item: ItemResult) -> str:
    """Why the counted score is not what the unit claimed."""
    office = item.office is not None
    if item.claimed is None:
        why = "未填自评得分" + ("" if office else ",按 0 计")
    elif item.claimed > item.ceiling:
        limit = "按法制办台账计的得分上限" if item.ledger_lines else "得分上限"
        why = f"自评得分超过{limit}" + ("" if office else ",按上限计")
    elif item.claimed < 0:
        why = "自评得分为负数" + ("" if office else ",按 0 计")
    else:
        why = ""
    if office:
        return office_reason(item.office_reason, why)
    if item.ledger_deduction:
        why = (why + ";" if why else "") + f"法制办台账扣 {item.ledger_deduction} 分"
    return why or "按两位小数计"


def office_reason(reason: str | None, why: str = "") -> str:
    """How the reports show an office value: with the office's 核定理由 where it gave one."""
    if reason:
        return f"法制办核定:{reason}"
    return f"法制办核定({why})" if why else "法制办核定"


def is_changed(item: ItemResult) -> bool:
    """Whether the score that counts is not what the unit claimed (office value, cap, blank or rounding).

    An office value equal to the unit's claim changes nothing, so `office is not None` alone is not a change."""
    return item.claimed is None or item.score != item.claimed
