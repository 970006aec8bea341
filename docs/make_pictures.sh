#!/usr/bin/env bash
# Makes the README pictures from real output: a generated workbook printed to PDF by LibreOffice,
# its first 自评表 page turned into PNG by pdftoppm. Needs soffice and pdftoppm (Debian packages).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
.venv/bin/fazhi init "$work/ws" >/dev/null
.venv/bin/fazhi generate -w "$work/ws" --unit 区发改局 >/dev/null
soffice --headless -env:UserInstallation="file://$work/profile" --convert-to pdf --outdir "$work" \
  "$work/ws/outbox/2017年度法治政府建设自评表_区发改局.xlsx" >/dev/null 2>&1
pdftoppm -r 80 -png -f 2 -l 2 "$work/2017年度法治政府建设自评表_区发改局.pdf" "$work/page"
cp "$work"/page-*2.png docs/workbook-page.png
rm -rf "$work"
echo "wrote docs/workbook-page.png"
