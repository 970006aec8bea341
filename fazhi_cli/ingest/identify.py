"""Whose workbook this is: its identity against this campaign, its seal against the workspace secret, its unit
and rubric against the roster and the rubric. Returns refusals (or the reason to hold); records nothing."""

from __future__ import annotations

from fazhi_cli.domain.evidence import Conflict, from_own_address, identity_conflict
from fazhi_cli.domain.identity import SELF_ASSESSMENT_FIELDS, is_sealed
from fazhi_cli.domain.refusals import Refusal, refusal
from fazhi_cli.domain.submissions import current_submissions, effective_time
from fazhi_cli.domain.text import printable
from fazhi_cli.intake import Incoming
from fazhi_cli.receiving.batch import Batch, to_store_time
from fazhi_cli.rectify.layout import RECTIFY_FORMAT_NAME, RECTIFY_REVIEW_FORMAT_NAME, SHEET_RECTIFY
from fazhi_cli.workbook import layout

KNOWN_FORMATS = (layout.FORMAT_NAME, layout.REVIEW_FORMAT_NAME, layout.COMPONENT_FORMAT_NAME, layout.LEDGER_FORMAT_NAME,
                 RECTIFY_REVIEW_FORMAT_NAME, RECTIFY_FORMAT_NAME)


def foreign_form(batch: Batch, name: str, identity: dict[str, str]) -> Refusal | None:
    """The refusal when the workbook is no form of this campaign at all, else None."""
    if identity.get(layout.ID_FORMAT) not in KNOWN_FORMATS:
        return refusal("not_a_form", name=name)
    campaign = batch.campaign
    if identity.get(layout.ID_CAMPAIGN) != campaign.campaign_id:
        other = printable(identity.get(layout.ID_CAMPAIGN, "")).split(":", 1)[-1][:60] or "其他考核"
        forms = {layout.REVIEW_FORMAT_NAME: "复核打分表", layout.LEDGER_FORMAT_NAME: "法制办台账",
                 layout.COMPONENT_FORMAT_NAME: "评分构成表",
                 RECTIFY_REVIEW_FORMAT_NAME: "整改复核表", RECTIFY_FORMAT_NAME: SHEET_RECTIFY}
        form = forms.get(identity.get(layout.ID_FORMAT, ""), "自评表")
        return refusal("foreign_campaign", name=name, other=other, form=form, campaign=campaign.title)
    return None


def unverified_identity(batch: Batch, name: str, identity: dict[str, str]) -> str | None:
    """Why a workbook that claims this campaign must be held: its seal does not verify; else None."""
    if is_sealed(batch.secret, identity, SELF_ASSESSMENT_FIELDS):
        return None
    claimed = printable(identity.get(layout.ID_UNIT, ""))[:60] or "未知单位"
    return refusal("identity_unverified", name=name, unit=claimed).message


def identity_problem(batch: Batch, name: str, identity: dict[str, str]) -> Refusal | None:
    """Why a sealed workbook of this campaign still cannot be taken (rubric, roster), or None."""
    rubric = batch.rubric
    if identity.get(layout.ID_RUBRIC) != rubric.id or identity.get(layout.ID_RUBRIC_VERSION) != rubric.version:
        found = f"{identity.get(layout.ID_RUBRIC)} {identity.get(layout.ID_RUBRIC_VERSION)}"
        return refusal("rubric_mismatch", name=name, found=found, expected=f"{rubric.id} {rubric.version}")
    unit_name = identity.get(layout.ID_UNIT, "")
    unit = batch.units.get(unit_name)
    if unit is None:
        return refusal("unknown_unit", name=name, unit=unit_name)
    if identity.get(layout.ID_UNIT_TYPE) != unit.type:
        return refusal("unit_type_mismatch", name=name, unit=unit_name, type_label=unit.type_label)
    return None


def sender_conflict(batch: Batch, item: Incoming, unit: str) -> tuple[Conflict, Refusal] | None:
    """When the evidence of who sent a workbook (its e-mail's addresses, the file's name, the names of the e-mail or zip
    it came in) names another roster unit than its identity: that unit and the reason to hold it; else None."""
    conflict = identity_conflict(unit, item.senders, item.original_name, item.containers, batch.roster_evidence())
    if conflict is None:
        return None
    return conflict, refusal("identity_conflict", name=item.original_name, unit=unit, evidence=conflict.evidence)


def off_roster_replacement(batch: Batch, item: Incoming, unit: str) -> Refusal | None:
    """The reason to hold a workbook mailed from no address on the roster for `unit` that would replace the
    return the unit sent from its own address (its current submission); else None.

    A file the office hands in itself (not from an e-mail) is trusted; a stranger's copy that comes before any
    return from the unit's own address, or after the office chose another, is taken as any submission.
    """
    roster = batch.roster_evidence()
    if not item.mailed or from_own_address(unit, item.senders, roster):
        return None
    decided = batch.store.file_decisions()
    current = current_submissions(batch.store.submissions(unit), decided).get(unit)
    if current is None or not from_own_address(unit, current.sender, roster):
        return None
    counts_from = effective_time(current.received_at, decided.get(current.file_id))
    if counts_from is not None and to_store_time(batch.clock()) < counts_from:
        return None  # received earlier than the unit's return (mail fetched late): it replaces nothing
    sender = "、".join(item.senders) or "无法识别"
    return refusal("sender_off_roster", name=item.original_name, unit=unit, sender=sender,
                   current=current.original_name)
