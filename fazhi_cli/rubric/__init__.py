"""The office's rubric as files: the built-in rubric and a workspace's YAML (`loading`), and the rubric workbook
a clerk edits in Excel (`workbook`). The rubric model itself is pure: `fazhi_cli.domain.rubric`."""
