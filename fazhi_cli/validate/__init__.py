"""`fazhi validate` and `fazhi status`: each unit's current submission checked (`check`), marked-up copies to
return (`annotate`), what `validate` gives (`result`), and where every unit stands (`status`); each result's JSON
beside it."""

from fazhi_cli.validate.annotate import Annotated, annotate
from fazhi_cli.validate.check import (
    CheckedUnit,
    ValidationReport,
    check_unit,
    load_values,
    validate_store,
    validate_workspace,
)
from fazhi_cli.validate.result import Validation, validation_json
from fazhi_cli.validate.status import StatusReport, UnitStatus, Version, campaign_status, status_json

__all__ = [
    "Annotated", "CheckedUnit", "StatusReport", "UnitStatus", "Validation", "ValidationReport", "Version", "annotate",
    "campaign_status", "check_unit", "load_values", "status_json", "validate_store", "validate_workspace",
    "validation_json",
]
