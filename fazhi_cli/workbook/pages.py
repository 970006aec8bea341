"""Where the printed 自评表 breaks into pages: between sections where it can, so that pages are evenly filled
and no page holds only a few rows (such as the last two 特别扣分 rows and the total).

The page's height is known in advance: every row's height is set by the writer, and the sheet is printed on
A4 landscape fitted to the page width, so the scale follows from the column widths. Pure arithmetic.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

A4_LONG, A4_SHORT = 841.9, 595.3  # points
POINTS_PER_PIXEL = 0.75
DIGIT_PIXELS = 7  # the default font (Calibri 11): a column `w` characters wide is 7·w + 5 pixels
SAFETY = 0.92  # room for the applications' own rounding: a manual break must come before any automatic one
ITEM_BREAK_PENALTY = 0.25  # a break inside a section costs as much as this share of a page left empty


@dataclass(frozen=True)
class Block:
    """Rows printed together: `first` is the sheet line the block starts at, `height` its height in points;
    `section_start` tells a block that opens a section (a break before it is preferred)."""

    first: int
    height: float
    section_start: bool = True


def print_scale(column_widths: Sequence[float], landscape: bool, side_margins: float) -> float:
    """The scale at which a sheet fitted to the page width prints (1 when it is narrower than the page)."""
    width = sum(DIGIT_PIXELS * w + 5 for w in column_widths) * POINTS_PER_PIXEL
    page = (A4_LONG if landscape else A4_SHORT) - 2 * side_margins * 72
    return min(1.0, int(page / width * 100) / 100)  # Excel prints at a whole percentage, rounded down


def page_height(landscape: bool, top_bottom_margins: float, scale: float, repeated: float) -> float:
    """The height of sheet rows (at 100 %) one page holds below the repeated title rows."""
    page = (A4_SHORT if landscape else A4_LONG) - 2 * top_bottom_margins * 72
    return page / scale * SAFETY - repeated


def plan_breaks(blocks: Sequence[Block], capacity: float, first_page: float) -> list[int]:
    """The sheet lines after which a page breaks: the fewest pages, then the most even ones (the least sum of
    squared empty space, every page counted, so the last page is not left nearly empty), breaking inside a
    section only when that helps. A block taller than a page gets a page of its own."""
    count = len(blocks)
    best: list[tuple[int, float, int] | None] = [None] * (count + 1)  # (pages, cost, start of the last page)
    best[0] = (0, 0.0, -1)
    for end in range(1, count + 1):
        for start in range(end - 1, -1, -1):
            previous = best[start]
            if previous is None:
                continue
            room = first_page if start == 0 else capacity
            used = sum(block.height for block in blocks[start:end])
            if used > room and end - start > 1:
                break  # adding earlier blocks only makes it taller
            slack = max(0.0, room - used) / capacity
            penalty = 0.0 if blocks[start].section_start or start == 0 else ITEM_BREAK_PENALTY
            candidate = (previous[0] + 1, previous[1] + slack * slack + penalty, start)
            if best[end] is None or candidate[:2] < best[end][:2]:
                best[end] = candidate
    starts = []
    end = count
    while end > 0:
        start = best[end][2]
        starts.append(start)
        end = start
    return sorted(blocks[start].first - 1 for start in starts if start > 0)
