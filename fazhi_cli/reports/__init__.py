"""`fazhi report`: one module per output, each only formatting the results model — the Excel summary
(`excel`), the HTML pages (`html`, with `charts` and the Jinja2 environment in `render`)."""

from fazhi_cli.reports.excel import write_summary_workbook
from fazhi_cli.reports.html import ReportFiles, describe_rule, write_reports

__all__ = ["ReportFiles", "describe_rule", "write_reports",
           "write_summary_workbook"]
