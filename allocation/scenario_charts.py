"""Server-rendered SVG bar charts of the scenarios (no JavaScript, no inline style: colours come from
classes in static/css/portal.css). Horizontal bars, each region's name on its own line above its
bars, so that the chart reads at 390 px as well as at 1280 px. Accessible: role="img" with a
<title> and <desc>; the page shows the same numbers in a table beside it."""
from __future__ import annotations

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

WIDTH = 480
LABEL_H = 15
BAR_H = 9
GAP = 2
GROUP_GAP = 7
VALUE_W = 64  # room on the right for the number at a bar's end


@dataclass(frozen=True)
class Series:
    key: str  # CSS class suffix: qp-bar-<key>
    label: str


@dataclass(frozen=True)
class Group:
    label: str
    values: tuple[int | None, ...]  # one per series; None: not known (no bar, a dash)


def bar_chart(*, title: str, description: str, series: list[Series], groups: list[Group], chart_id: str) -> SafeString:
    """The SVG of grouped horizontal bars (one group per region, one bar per series)."""
    top = max([v for g in groups for v in g.values if v is not None] or [0]) or 1
    per_group = LABEL_H + len(series) * (BAR_H + GAP) + GROUP_GAP
    height = per_group * max(len(groups), 1)
    plot_w = WIDTH - VALUE_W
    parts = []
    y = 0
    for g in groups:
        parts.append(format_html('<text x="0" y="{}" class="qp-chart-label">{}</text>', y + LABEL_H - 4, g.label))
        by = y + LABEL_H
        for s, value in zip(series, g.values, strict=False):
            w = 0 if not value else max(round(plot_w * value / top), 1)
            shown = "—" if value is None else number_format(value, force_grouping=True)
            parts.append(format_html(
                '<rect x="0" y="{}" width="{}" height="{}" class="qp-bar-{}"><title>{}: {}</title></rect>'
                '<text x="{}" y="{}" class="qp-chart-value">{}</text>',
                by, w, BAR_H, s.key, s.label, shown, w + 4, by + BAR_H - 1, shown))
            by += BAR_H + GAP
        y += per_group
    body = mark_safe("".join(parts))  # noqa: S308 - every part above is format_html-escaped
    return format_html(
        '<svg class="qp-chart" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{id}-t {id}-d" '
        'xmlns="http://www.w3.org/2000/svg" data-testid="chart"><title id="{id}-t">{title}</title>'
        '<desc id="{id}-d">{desc}</desc>{body}</svg>',
        w=WIDTH, h=height, id=chart_id, title=title, desc=description, body=body)


def legend_items(series: list[Series]) -> SafeString:
    return format_html_join("", '<span class="qp-legend-item qp-bar-{}">{}</span>', ((s.key, s.label) for s in series))
