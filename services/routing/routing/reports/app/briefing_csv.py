"""The quarterly briefing's ranking tables as CSV, safe to open in a spreadsheet."""

import csv
import io

from routing.reports.app.index import QuarterIndex
from routing.reports.domain.figures import Figures, on_time_rate
from routing.reports.domain.index import Component, UnitScore

CSV_COLUMNS = (
    "quarter",
    "level",
    "division",
    "key",
    "label",
    "rank",
    "score",
    *(f"{c}_{part}" for c in Component for part in ("raw", "normalised")),
    "received",
    "on_time_rate",
)


FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: str) -> str:
    """A text cell a spreadsheet will not run as a formula (OWASP CSV injection): prefix ``'``."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def render_csv(index: QuarterIndex) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)

    def write(level: str, division: str, score: UnitScore, figures: Figures | None) -> None:
        components = [
            "" if v is None else str(v)
            for c in Component
            for v in (score.components[c].raw, score.components[c].normalised)
        ]
        writer.writerow(
            [
                str(index.quarter),
                level,
                csv_text(division),
                csv_text(score.key),
                csv_text(score.label),
                "" if score.rank is None else score.rank,
                "" if score.score is None else score.score,
                *components,
                "" if figures is None else figures.counts["received"],
                "" if figures is None else (on_time_rate(figures) or ""),
            ]
        )

    for score in index.divisions:
        write("division", score.key, score, index.division_figures.get(score.key))
    for code in index.division_figures:
        for score in index.industries[code]:
            write("industry", code, score, None)
        for score in index.townships[code]:
            write("township", code, score, None)
    return out.getvalue()
