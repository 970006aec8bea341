"""The campaign workspace: one folder per year's assessment, owning every path and the settings.

One module for each thing the folder holds:

- `paths`: the `Workspace` object, its folders and own paths (layout in its docstring);
- `names`: the names of the workspace's files and of the files fazhi writes (workbooks, reports, letters);
- `lock`: fazhi.lock, held by every command that writes the workspace;
- `secret`: fazhi.secret, the workspace's random key;
- `settings_file`: fazhi.toml, read and parsed into a `Campaign`, written by init, edited by `config show|set`;
- `create`: `fazhi init`, making (or re-initialising) a workspace.

This package only re-exports the names the rest of fazhi imports from it; its modules import one another
directly, never through this package.
"""

from fazhi_cli.workspace.create import (
    CreatedWorkspace,
    check_new_folder,
    check_year,
    create_carried_workspace,
    create_workspace,
)
from fazhi_cli.workspace.names import (
    annotated_name,
    component_file_name,
    feedback_file_name,
    ledger_file_name,
    letter_file_name,
    notice_file_name,
    rectify_file_name,
    rectify_notice_file_name,
    rectify_review_file_name,
    review_file_name,
    summary_file_name,
    workbook_file_name,
)
from fazhi_cli.workspace.paths import Workspace
from fazhi_cli.workspace.settings_file.default import campaign_toml
from fazhi_cli.workspace.settings_file.edit import SettingChange, SettingRow, set_setting, show_settings
from fazhi_cli.workspace.settings_file.parse import missing_weight_message, parse_campaign, read_campaign

__all__ = [
    "CreatedWorkspace",
    "SettingChange",
    "SettingRow",
    "Workspace",
    "annotated_name",
    "campaign_toml",
    "check_new_folder",
    "check_year",
    "create_carried_workspace",
    "create_workspace",
    "feedback_file_name",
    "component_file_name",
    "ledger_file_name",
    "letter_file_name",
    "rectify_file_name",
    "rectify_notice_file_name",
    "rectify_review_file_name",
    "missing_weight_message",
    "notice_file_name",
    "parse_campaign",
    "read_campaign",
    "review_file_name",
    "set_setting",
    "show_settings",
    "summary_file_name",
    "workbook_file_name",
]
