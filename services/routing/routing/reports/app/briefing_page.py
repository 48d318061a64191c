"""The quarterly briefing (通报晾晒) as an HTML page with inline SVG charts.

Rendered from one :class:`QuarterIndex`, like the CSV export and the JSON, so that all three agree.
"""

from dataclasses import dataclass
from decimal import Decimal
from html import escape
from importlib import resources
from string import Template

from routing.reports.app.index import QuarterIndex
from routing.reports.domain.figures import on_time_rate
from routing.reports.domain.index import Component, UnitScore
from routing.reports.settings import ReportsSettings
from shared.places import division_name

COMPONENT_LABELS = {
    Component.VOLUME: "件量",
    Component.INCIDENCE: "案发率",
    Component.GROWTH: "增长率",
    Component.ENFORCEMENT: "打击力度",
    Component.RESOLUTION: "有效化解率",
}
MISSING = "无数据"


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | None
    text: str


def percent(value: Decimal | None) -> str:
    return MISSING if value is None else f"{value * 100:.1f}%"


def bar_chart(chart_id: str, bars: list[Bar], *, scale_max: Decimal | None = None, colour: str) -> str:
    """A horizontal bar chart as inline SVG; a bar without a value is drawn as a labelled gap."""
    row, label_width, plot_width = 26, 90, 360
    present = [b.value for b in bars if b.value is not None]
    top = scale_max if scale_max is not None else max(present, default=Decimal(0))
    height = row * len(bars) + 10
    parts = [
        f'<svg id="{chart_id}" xmlns="http://www.w3.org/2000/svg" width="{label_width + plot_width + 90}" '
        f'height="{height}" role="img" aria-label="{chart_id}">'
    ]
    for i, bar in enumerate(bars):
        y = 5 + i * row
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 17}" text-anchor="end" font-size="13">{escape(bar.label)}</text>'
        )
        if bar.value is None:
            parts.append(
                f'<text x="{label_width + 4}" y="{y + 17}" font-size="12" fill="#9aa5b1">{MISSING}</text>'
            )
            continue
        width = 0 if top == 0 else int(bar.value / top * plot_width)
        parts.append(
            f'<rect class="bar" x="{label_width}" y="{y + 4}" width="{max(width, 1)}" height="{row - 8}" '
            f'fill="{colour}"><title>{escape(bar.label)}: {escape(bar.text)}</title></rect>'
        )
        parts.append(
            f'<text x="{label_width + width + 6}" y="{y + 17}" font-size="12">{escape(bar.text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _component_cells(score: UnitScore) -> str:
    cells = []
    for component in Component:
        part = score.components[component]
        if part.raw is None:
            cells.append(f'<td class="missing" data-component="{component}">{MISSING}</td>')
        else:
            cells.append(
                f'<td data-component="{component}" title="原始值 {part.raw}">{part.normalised}'
                f"<br><small>{_raw_text(component, part.raw)}</small></td>"
            )
    return "".join(cells)


def _raw_text(component: Component, raw: Decimal) -> str:
    if component in (Component.GROWTH, Component.RESOLUTION):
        return percent(raw)
    return f"{raw.normalize():f}"


def _unit_rows(scores: list[UnitScore], extra: dict[str, str] | None = None) -> str:
    ranked = [s for s in scores if s.rank is not None]
    rows = []
    for score in scores:
        css = ""
        if ranked and score.rank is not None and len(ranked) > 1:
            css = "top" if score.rank == 1 else "bottom" if score is ranked[-1] else ""
        rank = str(score.rank) if score.rank is not None else "—"
        value = str(score.score) if score.score is not None else MISSING
        rows.append(
            f'<tr class="unit {css}" data-key="{escape(score.key)}"><td>{rank}</td><td>{escape(score.label)}</td>'
            f"<td>{value}</td>{_component_cells(score)}{(extra or {}).get(score.key, '')}</tr>"
        )
    return "\n".join(rows)


def render_html(index: QuarterIndex, settings: ReportsSettings) -> str:
    headers = "".join(f"<th>{COMPONENT_LABELS[c]}</th>" for c in Component)
    extra = {
        s.key: f"<td>{index.division_figures[s.key].counts['received']}</td>"
        f"<td>{percent(on_time_rate(index.division_figures[s.key]))}</td>"
        for s in index.divisions
    }
    volume = [
        Bar(division_name(code), Decimal(f.counts["received"]), str(f.counts["received"]))
        for code, f in index.division_figures.items()
    ]
    on_time = [
        Bar(division_name(code), rate, percent(rate))
        for code, f in index.division_figures.items()
        for rate in [on_time_rate(f)]
    ]
    sections = []
    for code in index.division_figures:
        units = [*index.industries[code], *index.townships[code]]
        sections.append(
            f'<section class="division" data-division="{code}"><h3>{escape(division_name(code))}</h3>'
            f'<table class="units"><thead><tr><th>排名</th><th>单位</th><th>指数</th>{headers}</tr></thead>'
            f"<tbody>\n{_unit_rows(index.industries[code])}\n{_unit_rows(index.townships[code])}\n</tbody></table>"
            + ("" if units else '<p class="note">无单位数据</p>')
            + "</section>"
        )
    weights = ", ".join(f"{COMPONENT_LABELS[c]} {w}" for c, w in settings.policy().weights.items())
    start, end = index.quarter.period.start, index.quarter.period.end
    template = Template(
        resources.files("routing.reports").joinpath("templates/briefing.html").read_text("utf-8")
    )
    return template.substitute(
        title=escape(f"{index.quarter} 根治欠薪通报晾晒"),
        lede=escape(
            f"{start} 至 {end}。每项 0–100 分 (100 为最好), 指数为现有分项的加权平均; 增长率对比 "
            f"{index.comparison.start} 至 {index.comparison.end}。"
        ),
        component_headers=headers,
        ranking_rows=_unit_rows(index.divisions, extra),
        volume_chart=bar_chart("chart-volume", volume, colour="#486581"),
        on_time_chart=bar_chart("chart-on-time", on_time, scale_max=Decimal(1), colour="#3ebd93"),
        division_sections="\n".join(sections),
        policy_note=escape(
            f"权重: {weights}; 归一化: {settings.normalisation}; 少于 {settings.min_components} 项有数据的单位不计分。"
            "“无数据”表示该项没有数据, 不作估算。见 docs/wage-security-index.md。"
        ),
    )
