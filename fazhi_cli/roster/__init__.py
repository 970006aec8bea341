"""The roster of units as a file: reading the office's roster workbook or CSV, and the sample roster (`loading`).
The roster model itself is pure: `fazhi_cli.domain.units`."""
