"""Inline SVG charts for the HTML reports (they must work offline: no scripts, no CDN).

Every label is escaped here, so the SVG text can be inserted into a page as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape

from fazhi_cli.domain.numbers import format_cents

BAR_COLOUR = "#3b6ea8"
GRID = "#d0d0d0"
FONT = "font-family='Noto Sans CJK SC, WenQuanYi Zen Hei, Microsoft YaHei, sans-serif'"


def _svg(width: int, height: int, body: list[str], title: str) -> str:
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}' width='100%' "
        f"style='max-width:{width}px' role='img' "
        f"aria-label='{escape(title)}' {FONT} font-size='12'><title>{escape(title)}</title>" + "".join(body) + "</svg>"
    )


def horizontal_bars(
    labels: Sequence[str], values: Sequence[Decimal], maximum: Decimal, title: str, suffix: str = ""
) -> str:
    """One horizontal bar per label (e.g. totals per unit), scaled to `maximum`."""
    row, left, width = 22, 130, 640
    height = row * len(labels) + 30
    scale = float(maximum) if maximum else 1.0
    body = []
    for tick in range(0, 6):
        x = left + (width - left - 60) * tick / 5
        body.append(f"<line x1='{x:.1f}' y1='10' x2='{x:.1f}' y2='{height - 18}' stroke='{GRID}'/>")
        body.append(f"<text x='{x:.1f}' y='{height - 4}' text-anchor='middle' fill='#555'>"
                    f"{scale * tick / 5:g}</text>")
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = 12 + index * row
        bar = (width - left - 60) * max(0.0, float(value)) / scale
        body.append(f"<text x='{left - 6}' y='{y + 13}' text-anchor='end'>{escape(label)}</text>")
        body.append(f"<rect x='{left}' y='{y}' width='{bar:.1f}' height='{row - 6}' fill='{BAR_COLOUR}'/>")
        shown = format_cents(value) + escape(suffix)
        body.append(f"<text x='{left + bar + 4:.1f}' y='{y + 13}' fill='#222'>{shown}</text>")
    return _svg(width, height, body, title)


def histogram(counts: Sequence[tuple[str, int]], title: str) -> str:
    """Vertical bars of counts per bin (e.g. how many units scored 80–90)."""
    width, height, bottom, left = 640, 220, 190, 40
    top = max((c for _, c in counts), default=0) or 1
    slot = (width - left - 10) / max(1, len(counts))
    body = [f"<line x1='{left}' y1='{bottom}' x2='{width - 10}' y2='{bottom}' stroke='#555'/>"]
    for index, (label, count) in enumerate(counts):
        x = left + index * slot + slot * 0.15
        bar = (bottom - 25) * count / top
        body.append(f"<rect x='{x:.1f}' y='{bottom - bar:.1f}' width='{slot * 0.7:.1f}' height='{bar:.1f}' "
                    f"fill='{BAR_COLOUR}'/>")
        body.append(f"<text x='{x + slot * 0.35:.1f}' y='{bottom - bar - 4:.1f}' text-anchor='middle'>{count}</text>")
        body.append(f"<text x='{x + slot * 0.35:.1f}' y='{bottom + 16}' text-anchor='middle' fill='#333'>"
                    f"{escape(label)}</text>")
    return _svg(width, height, body, title)


def stacked_bars(labels: Sequence[str], parts: Sequence[Sequence[int]], legend: Sequence[str], title: str) -> str:
    """One horizontal stacked bar per label (e.g. task completion: 已完成 / 推进中 / 未启动 / 未填)."""
    colours = ["#4e9a4e", "#e0a030", "#c0504d", "#b0b0b0"]
    row, left, width = 20, 60, 640
    height = row * len(labels) + 40
    most = max((sum(p) for p in parts), default=0) or 1
    body = []
    for index, (label, counts) in enumerate(zip(labels, parts, strict=True)):
        y = 8 + index * row
        x = float(left)
        body.append(f"<text x='{left - 6}' y='{y + 12}' text-anchor='end'>{escape(label)}</text>")
        for colour, count in zip(colours, counts, strict=False):
            span = (width - left - 20) * count / most
            if span:
                body.append(f"<rect x='{x:.1f}' y='{y}' width='{span:.1f}' height='{row - 5}' fill='{colour}'/>")
            x += span
    y = height - 14
    for index, (name, colour) in enumerate(zip(legend, colours, strict=False)):
        x = left + index * 110
        body.append(f"<rect x='{x}' y='{y - 10}' width='12' height='12' fill='{colour}'/>")
        body.append(f"<text x='{x + 16}' y='{y}'>{escape(name)}</text>")
    return _svg(width, height, body, title)


def paired_bars(labels: Sequence[str], now: Sequence[Decimal], before: Sequence[Decimal | None], maximum: Decimal,
                title: str, legend: tuple[str, str]) -> str:
    """Two horizontal bars per label (this year's above last year's, none for a label without last year)."""
    row, left, width = 30, 130, 640
    height = row * len(labels) + 44
    scale = float(maximum) if maximum else 1.0
    span = width - left - 60
    colours = (BAR_COLOUR, "#b0b0b0")
    body = []
    for index, label in enumerate(labels):
        y = 10 + index * row
        body.append(f"<text x='{left - 6}' y='{y + 15}' text-anchor='end'>{escape(label)}</text>")
        for offset, (value, colour) in enumerate(zip((now[index], before[index]), colours, strict=True)):
            if value is None:
                continue
            bar = span * max(0.0, float(value)) / scale
            top = y + offset * 12
            body.append(f"<rect x='{left}' y='{top}' width='{bar:.1f}' height='11' fill='{colour}'/>")
            body.append(f"<text x='{left + bar + 4:.1f}' y='{top + 10}' fill='#222' font-size='10'>"
                        f"{format_cents(value)}</text>")
    y = height - 12
    for index, (name, colour) in enumerate(zip(legend, colours, strict=True)):
        x = left + index * 110
        body.append(f"<rect x='{x}' y='{y - 10}' width='12' height='12' fill='{colour}'/>")
        body.append(f"<text x='{x + 16}' y='{y}'>{escape(name)}</text>")
    return _svg(width, height, body, title)
