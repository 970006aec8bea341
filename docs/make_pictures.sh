#!/usr/bin/env bash
# Makes the pictures of the clerk's guide (docs/clerk-guide.zh.md) from real output (needs soffice, pdftoppm and chromium from Debian):
# - docs/workbook-page.png: a generated workbook printed to PDF by LibreOffice, its first 自评表 page as PNG;
# - docs/summary.png: the demo's summary.html as headless Chromium renders it;
# - docs/images/notice.png, request.png, feedback-letter.png: the first pages of the demo's 通报, 请示 and 丁家乡's
#   反馈函 as fazhi's own LibreOffice run prints them (`make fonts` first: the free Fandol fonts);
# - docs/rubric-workbook.png: the exported rubric workbook's 区级部门 sheet (page 3 of its PDF) as LibreOffice prints it.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
FAZHI_NOW=2017-12-28T10:00:00+08:00 .venv/bin/fazhi demo "$work/demo" --pdf >/dev/null
soffice --headless -env:UserInstallation="file://$work/profile" --convert-to pdf --outdir "$work" \
  "$work/demo/outbox/2017年度法治政府建设自评表_区发改局.xlsx" >/dev/null 2>&1
pdftoppm -r 80 -png -f 2 -l 2 "$work/2017年度法治政府建设自评表_区发改局.pdf" "$work/page"
cp "$work"/page-*2.png docs/workbook-page.png
chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$work/chromium" --hide-scrollbars \
  --window-size=1100,1500 --screenshot="$work/summary.png" "file://$work/demo/reports/summary.html" >/dev/null 2>&1
cp "$work/summary.png" docs/summary.png
mkdir -p docs/images
for pair in "notice:2017年度法治政府建设考核结果通报" "request:2017年度法治政府建设考核初步结果请示" \
            "feedback-letter:反馈函/2017年度法治政府建设考核反馈函_丁家乡"; do
  pdftoppm -r 70 -png -f 1 -l 1 -singlefile "$work/demo/reports/${pair#*:}.pdf" "docs/images/${pair%%:*}"
done
.venv/bin/fazhi rubric export "$work/细则.xlsx" >/dev/null
soffice --headless -env:UserInstallation="file://$work/profile" --convert-to pdf --outdir "$work" "$work/细则.xlsx" \
  >/dev/null 2>&1
pdftoppm -r 80 -png -f 3 -l 3 -singlefile "$work/细则.pdf" docs/rubric-workbook
echo "wrote docs/workbook-page.png, docs/summary.png, docs/images/*.png and docs/rubric-workbook.png"
