"""`fazhi validate` and `fazhi status`: each unit's current submission checked (`check`), marked-up copies to
return (`annotate`), and where every unit stands (`status`)."""

from fazhi_cli.validate.annotate import Annotated, annotate
from fazhi_cli.validate.check import (
    CheckedUnit,
    ValidationReport,
    check_unit,
    load_values,
    validate_store,
    validate_workspace,
)
from fazhi_cli.validate.status import StatusReport, UnitStatus, Version, campaign_status

__all__ = [
    "Annotated", "CheckedUnit", "StatusReport", "UnitStatus", "ValidationReport", "Version", "annotate",
    "campaign_status", "check_unit", "load_values", "validate_store", "validate_workspace",
]
