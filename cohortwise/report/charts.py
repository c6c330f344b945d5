"""The report's charts, drawn with matplotlib's Agg canvas (no pyplot, no global state).

Every chart uses a fixed palette and fills drawn without antialiasing, so each colour in the PNG
means one thing (a series, a drop-off, a retention rate): a reader can tell them apart, and the tests
read the data back out of the pixels. Funnels are grouped bars, retention a heatmap per breakdown
value, event segmentation lines, a cohort's trend its size as a line over joiner / leaver bars.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex, to_rgb
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from cohortwise.report.data import Row, number

DPI = 100
# one colour per funnel breakdown value / segmentation line, in this order
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b")
AXES_FACE = "#f7f7f2"  # the plot area of bar and line charts (legends sit outside it)
GRID = "#dddddd"
# the drop-off part of a funnel bar: its series colour moved this much towards a light grey (not towards
# white: white text antialiased on a bar makes every colour between the bar's and white)
DROP_SHARE = 0.6
DROP_BASE = "#d8d8d8"
RETENTION_COLORMAP = "viridis"
INCOMPLETE_FACE = "#efe6dc"  # a retention cell whose period has not elapsed: hatched, not a colormap colour
INCOMPLETE_HATCH = "#c8b6a6"
SIZE_LINE = "#1f77b4"
SIZE_MARKER = "#0b3d66"
JOINERS = "#2ca02c"
LEAVERS = "#d62728"
MAX_SERIES = 6  # funnel breakdown values and segmentation lines
MAX_HEATMAPS = 6  # retention breakdown values
MAX_COHORT_ROWS = 40  # retention cohorts (the latest)
NO_BREAKDOWN = "all entities"
NULL_VALUE = "(no value)"


def tint(colour: str, share: float = DROP_SHARE, base: str = DROP_BASE) -> str:
    """`colour` moved `share` of the way to `base`, as an exact 8-bit hex colour."""
    red, green, blue = (c + (b - c) * share for c, b in zip(to_rgb(colour), to_rgb(base), strict=True))
    return to_hex((red, green, blue))


DROP_TINTS = tuple(tint(colour) for colour in PALETTE)


@dataclass
class Chart:
    slug: str  # the PNG's file name without .png
    kind: str  # funnel, retention, segmentation, cohort_trend
    model: str  # the report model, or the cohort for a trend
    title: str
    png: bytes
    columns: list[str]  # the table view under the chart
    rows: list[list[str]]
    details: dict[str, Any] = field(default_factory=dict)  # what charts.json says about it


# --- shared ---------------------------------------------------------------------------------------------


def _figure(width: float, height: float, left: float, right: float, top: float, bottom: float) -> tuple[Figure, Axes]:
    """A figure whose plot area is exactly width x height pixels, with these margins in pixels."""
    total_width, total_height = left + width + right, top + height + bottom
    figure = Figure(figsize=(total_width / DPI, total_height / DPI), dpi=DPI, facecolor="white")
    FigureCanvasAgg(figure)
    axes = figure.add_axes((left / total_width, bottom / total_height, width / total_width, height / total_height))
    return figure, axes


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, facecolor="white", metadata={"Software": None})
    return buffer.getvalue()


def _label(value: Any, has_breakdown: bool) -> str:
    if not has_breakdown:
        return NO_BREAKDOWN
    return NULL_VALUE if value is None else str(value)


def _text_colour(face: str) -> str:
    red, green, blue = to_rgb(face)
    return "black" if 0.299 * red + 0.587 * green + 0.114 * blue > 0.55 else "white"


def fmt(value: Any) -> str:
    """A table cell: blank for null, dates as ISO, floats to 4 significant decimals."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".") if math.isfinite(value) else str(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value:.0%}"


def _sort_key(value: Any) -> tuple[int, str]:
    return (1, "") if value is None else (0, str(value))


# --- funnels --------------------------------------------------------------------------------------------

FUNNEL_COLUMNS = [
    "breakdown_value",
    "step_number",
    "step_name",
    "entities",
    "attempts",
    "conversion_from_start",
    "conversion_from_previous",
    "dropped_entities",
    "median_seconds_from_start",
    "avg_seconds_from_previous",
]


def funnel_series(rows: list[Row]) -> tuple[list[Any], int]:
    """The breakdown values charted (the MAX_SERIES with most step-1 entities, then by value) and how
    many there are."""
    starts: dict[Any, int] = {}
    for row in rows:
        starts.setdefault(row["breakdown_value"], 0)
        if int(row["step_number"]) == 1:
            starts[row["breakdown_value"]] = int(row["entities"])
    ordered = sorted(starts, key=lambda value: (-starts[value], *_sort_key(value)))
    return ordered[:MAX_SERIES], len(ordered)


def funnel_chart(model: str, rows: list[Row]) -> Chart:
    """Entities per step, one bar per breakdown value; the lighter part above a bar reaches the previous
    step's entities (the drop-off); conversion from step 1 is written on each bar."""
    series, total = funnel_series(rows)
    has_breakdown = any(row["breakdown_value"] is not None for row in rows)
    steps = sorted({(int(row["step_number"]), str(row["step_name"])) for row in rows})
    cells = {(row["breakdown_value"], int(row["step_number"])): row for row in rows}
    n_steps, n_series = len(steps), max(len(series), 1)
    bar = 0.8 / n_series
    width = min(max(560.0, n_steps * n_series * 40 / 0.8), 2400.0)
    height = 360.0
    figure, axes = _figure(width, height, left=70, right=210, top=50, bottom=70)
    axes.set_facecolor(AXES_FACE)
    top = max([int(row["entities"]) for row in rows] + [1])
    axes.set_xlim(0.5, n_steps + 0.5)
    axes.set_ylim(0, top * 1.15)
    units_to_px = height / (top * 1.15)
    bar_px = width / n_steps * bar
    for index, value in enumerate(series):
        colour, drop_colour = PALETTE[index], DROP_TINTS[index]
        previous: int | None = None
        for number_, _ in steps:
            row = cells.get((value, number_))
            entities = int(row["entities"]) if row else 0
            left = number_ - 0.4 + bar * index
            if entities > 0:
                axes.add_patch(Rectangle((left, 0), bar, entities, facecolor=colour, linewidth=0, antialiased=False))
            if previous is not None and previous > entities:
                axes.add_patch(
                    Rectangle(
                        (left, entities),
                        bar,
                        previous - entities,
                        facecolor=drop_colour,
                        linewidth=0,
                        antialiased=False,
                    )
                )
                if (previous - entities) * units_to_px >= 14 and bar_px >= 26:
                    axes.text(
                        left + bar / 2,
                        (previous + entities) / 2,
                        f"-{previous - entities:,}",
                        ha="center",
                        va="center",
                        fontsize=7,
                        color="#333333",
                    )
            conversion = number(row["conversion_from_start"]) if row else None
            if conversion is not None:
                vertical = bar_px < 34
                inside = entities * units_to_px >= (34 if vertical else 16)
                axes.text(
                    left + bar / 2,
                    entities / 2 if inside else max(entities, previous or 0) + top * 0.01,
                    _percent(conversion),
                    ha="center",
                    va="center" if inside else "bottom",
                    rotation=90 if vertical else 0,
                    fontsize=8,
                    color=_text_colour(colour) if inside else "black",
                )
            previous = entities
    axes.set_xticks([number_ for number_, _ in steps])
    axes.set_xticklabels(
        [f"{number_}. {name}" for number_, name in steps], rotation=20 if n_steps > 4 else 0, fontsize=8, ha="center"
    )
    axes.set_ylabel("entities")
    axes.grid(axis="y", color=GRID, linewidth=0.8)
    axes.set_axisbelow(True)
    capped = f" (top {len(series)} of {total} breakdown values by step-1 entities)" if total > len(series) else ""
    title = f"{model}: entities per step{capped}"
    axes.set_title(title, fontsize=10, loc="left")
    handles = [Patch(facecolor=PALETTE[i], label=_label(value, has_breakdown)) for i, value in enumerate(series)]
    handles.append(Patch(facecolor="#d9d9d9", label="lighter: dropped since\nthe previous step"))
    axes.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8)
    table = [
        [fmt(cells[(value, number_)].get(column)) if (value, number_) in cells else "" for column in FUNNEL_COLUMNS]
        for value in series
        for number_, _ in steps
    ]
    details = {"breakdown_values": series, "breakdown_values_total": total}
    return Chart(f"funnel__{model}", "funnel", model, title, _png(figure), FUNNEL_COLUMNS, table, details)


# --- retention ------------------------------------------------------------------------------------------


def retention_colour(rate: float) -> str:
    """The heatmap colour of a retention rate (0..1): one of the colormap's 256 entries."""
    colormap = colormaps[RETENTION_COLORMAP]
    return to_hex(colormap(min(max(rate, 0.0), 1.0)))


def retention_breakdowns(rows: list[Row]) -> tuple[list[Any], int]:
    """The breakdown values charted (the MAX_HEATMAPS with most cohort members, then by value)."""
    sizes: dict[Any, int] = {}
    for row in rows:
        if int(row["period_number"]) == 0:
            sizes[row["breakdown_value"]] = sizes.get(row["breakdown_value"], 0) + int(row["cohort_size"])
        else:
            sizes.setdefault(row["breakdown_value"], 0)
    ordered = sorted(sizes, key=lambda value: (-sizes[value], *_sort_key(value)))
    return ordered[:MAX_HEATMAPS], len(ordered)


def retention_charts(model: str, rows: list[Row]) -> list[Chart]:
    """One heatmap per breakdown value: cohort periods (rows, the latest MAX_COHORT_ROWS) x period
    numbers (columns), the rate written in each cell; incomplete cells hatched in a colour outside the
    colormap."""
    values, total = retention_breakdowns(rows)
    has_breakdown = any(row["breakdown_value"] is not None for row in rows)
    charts = []
    for index, value in enumerate(values):
        mine = [row for row in rows if row["breakdown_value"] == value]
        cohorts = sorted({row["cohort_period"] for row in mine})
        shown = cohorts[-MAX_COHORT_ROWS:]
        periods = sorted({int(row["period_number"]) for row in mine})
        cells = {(row["cohort_period"], int(row["period_number"])): row for row in mine}
        sizes = {row["cohort_period"]: int(row["cohort_size"]) for row in mine}
        width = max(len(periods) * 46.0, 470.0)
        notes = []
        if total > len(values):
            notes.append(f"breakdown value {index + 1} of {total} shown (top {len(values)} by cohort members)")
        if len(shown) < len(cohorts):
            notes.append(f"latest {len(shown)} of {len(cohorts)} cohorts")
        top = 80 + 14 * len(notes)
        figure, axes = _figure(width, len(shown) * 26.0, left=150, right=20, top=top, bottom=20)
        axes.set_xlim(min(periods) - 0.5, max(periods) + 0.5)
        axes.set_ylim(len(shown) - 0.5, -0.5)
        for row_index, cohort in enumerate(shown):
            for period in periods:
                cell = cells.get((cohort, period))
                rate = number(cell["retention_rate"]) if cell else None
                complete = bool(cell and cell["is_complete"] and rate is not None)
                corner = (period - 0.45, row_index - 0.42)
                if complete and rate is not None:
                    face = retention_colour(rate)
                    axes.add_patch(Rectangle(corner, 0.9, 0.84, facecolor=face, linewidth=0, antialiased=False))
                    axes.text(
                        period,
                        row_index,
                        _percent(rate),
                        ha="center",
                        va="center",
                        fontsize=7,
                        color=_text_colour(face),
                    )
                else:
                    axes.add_patch(
                        Rectangle(
                            corner,
                            0.9,
                            0.84,
                            facecolor=INCOMPLETE_FACE,
                            edgecolor=INCOMPLETE_HATCH,
                            hatch="//",
                            linewidth=0,
                            antialiased=False,
                        )
                    )
        axes.set_yticks(range(len(shown)))
        axes.set_yticklabels([f"{fmt(cohort)} (n={sizes[cohort]:,})" for cohort in shown], fontsize=8)
        axes.set_xticks(periods)
        axes.set_xticklabels([str(period) for period in periods], fontsize=8)
        axes.xaxis.tick_top()
        axes.tick_params(length=0)
        for spine in axes.spines.values():
            spine.set_visible(False)
        label = f" · {_label(value, has_breakdown)}" if has_breakdown else ""
        title = f"{model}{label}: retention"
        subtitle = "rows: cohort period, columns: period number\nhatched: period not over yet" + "".join(
            f"\n{note}" for note in notes
        )
        axes.set_title(f"{title}\n{subtitle}", fontsize=9, loc="left", pad=22)
        columns = ["cohort_period", "cohort_size", *(f"period {period}" for period in periods)]
        table = []
        for cohort in shown:
            line = [fmt(cohort), str(sizes[cohort])]
            for period in periods:
                cell = cells.get((cohort, period))
                if cell is None:
                    line.append("")
                elif not cell["is_complete"]:
                    line.append(f"incomplete ({cell['retained_entities']})")
                else:
                    line.append(f"{fmt(number(cell['retention_rate']))} ({cell['retained_entities']})")
            table.append(line)
        slug = f"retention__{model}" + (f"__{index + 1}" if has_breakdown else "")
        details = {"breakdown_value": value if has_breakdown else None, "cohort_periods": [fmt(c) for c in shown]}
        charts.append(Chart(slug, "retention", model, title, _png(figure), columns, table, details))
    return charts


# --- event segmentation ---------------------------------------------------------------------------------

SeriesKey = tuple[Any, Any, Any]  # event_label, segment_label, group_value


def segmentation_series(rows: list[Row], metric: str) -> tuple[list[SeriesKey], int]:
    """The lines charted: event x segment x group value, the MAX_SERIES with the largest total of the
    metric, then by labels."""
    totals: dict[SeriesKey, float] = {}
    for row in rows:
        key = (row["event_label"], row["segment_label"], row["group_value"])
        totals[key] = totals.get(key, 0.0) + (number(row[metric]) or 0.0)
    ordered = sorted(totals, key=lambda key: (-totals[key], *(part for value in key for part in _sort_key(value))))
    return ordered[:MAX_SERIES], len(ordered)


def line_widths(curves: list[list[float | None]]) -> list[float]:
    """Pixels per line, drawn in order: 2, except for a line that later lines would hide completely (each
    of its segments, or its only point, is on a later line): 2 px wider than the widest of those, so that
    it shows 1 px either side of them."""
    widths = [2.0] * len(curves)
    for index in range(len(curves) - 2, -1, -1):
        mine = curves[index]
        pieces = [(k, k + 1) for k in range(len(mine) - 1) if mine[k] is not None and mine[k + 1] is not None]
        points = [k for k in range(len(mine)) if mine[k] is not None]
        covering: set[int] = set()
        hidden = bool(points)
        for first, second in pieces or [(k, k) for k in points]:
            over = [
                j
                for j in range(index + 1, len(curves))
                if curves[j][first] == mine[first] and curves[j][second] == mine[second]
            ]
            if not over:
                hidden = False
                break
            covering.update(over)
        if hidden:
            widths[index] = max(widths[j] for j in covering) + 2.0
    return widths


def _series_label(key: SeriesKey) -> str:
    event, segment, group = key
    return " · ".join(str(part) for part in (event, segment) if part is not None) + (
        f" · {group}" if group is not None else ""
    )


def segmentation_chart(model: str, rows: list[Row], metric: str) -> Chart:
    series, total = segmentation_series(rows, metric)
    buckets = sorted({row["bucket_start"] for row in rows})
    values = {
        (row["event_label"], row["segment_label"], row["group_value"], row["bucket_start"]): number(row[metric])
        for row in rows
    }
    width, height = min(max(560.0, len(buckets) * 24.0), 2400.0), 340.0
    figure, axes = _figure(width, height, left=70, right=260, top=50, bottom=60)
    axes.set_facecolor(AXES_FACE)
    top = max([value for value in values.values() if value is not None] + [0.0])
    top = top if top > 0 else 1.0
    axes.set_ylim(-top * 0.04, top * 1.1)
    px = 72.0 / DPI  # points per pixel
    curves = [[values.get((*key, bucket)) for bucket in buckets] for key in series]
    widths = line_widths(curves)
    for index, key in enumerate(series):
        line = Line2D(
            [_day_number(bucket) for bucket in buckets],
            [math.nan if y is None else y for y in curves[index]],
            color=PALETTE[index],
            linewidth=widths[index] * px,
            marker="o",
            markersize=(widths[index] + 3) * px,
            markeredgewidth=0,
            antialiased=False,
            label=_series_label(key),
            solid_joinstyle="round",
        )
        axes.add_line(line)
    if buckets:
        first, last = _day_number(buckets[0]), _day_number(buckets[-1])
        pad = max((last - first) * 0.02, 1.0)
        axes.set_xlim(first - pad, last + pad)
    _date_ticks(axes, buckets)
    axes.grid(axis="y", color=GRID, linewidth=0.8)
    axes.set_axisbelow(True)
    granularity = next((str(row["granularity"]) for row in rows if row.get("granularity")), "bucket")
    axes.set_ylabel(metric)
    capped = f" (top {len(series)} of {total} lines by total {metric})" if total > len(series) else ""
    title = f"{model}: {metric} per {granularity}{capped}"
    axes.set_title(title, fontsize=10, loc="left")
    nested = "where lines overlap, wider\nones run under narrower ones" if any(w > 2 for w in widths) else None
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8, title=nested, title_fontsize=7)
    labels = [_series_label(key) for key in series]
    table = [[fmt(bucket), *(fmt(values.get((*key, bucket))) for key in series)] for bucket in buckets]
    details = {"metric": metric, "series": [list(key) for key in series], "series_total": total}
    return Chart(
        f"segmentation__{model}", "segmentation", model, title, _png(figure), ["bucket_start", *labels], table, details
    )


def _day_number(value: Any) -> float:
    """matplotlib's date number (days since its default epoch, 1970-01-01) of a date or timestamp."""
    return (_as_datetime(value) - EPOCH).total_seconds() / 86400


EPOCH = datetime(1970, 1, 1)


def _date_ticks(axes: Axes, days: list[Any], most: int = 10) -> None:
    """Ticks on (at most `most` evenly spaced) of these dates, labelled YYYY-MM-DD."""
    step = max(1, math.ceil(len(days) / most))
    shown = days[::step]
    axes.set_xticks([_day_number(day) for day in shown])
    axes.set_xticklabels([fmt(day)[:10] for day in shown], fontsize=8, rotation=30 if len(shown) > 5 else 0)


def _as_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    return datetime.fromisoformat(str(value))


# --- cohort trend ---------------------------------------------------------------------------------------

TREND_COLUMNS = ["computed_on", "computed_at", "members", "joiners", "leavers"]


def cohort_trend_charts(rows: list[Row]) -> list[Chart]:
    """Per cohort: members per day as a line (a marker per computed day) above joiners (up) and
    leavers (down) as bars."""
    by_cohort: dict[str, list[Row]] = {}
    for row in rows:
        by_cohort.setdefault(str(row["cohort_name"]), []).append(row)
    return [
        _cohort_trend(cohort, sorted(mine, key=lambda row: _as_datetime(row["computed_on"])))
        for cohort, mine in sorted(by_cohort.items())
    ]


def _cohort_trend(cohort: str, rows: list[Row]) -> Chart:
    days = [_day_number(row["computed_on"]) for row in rows]
    members = [int(row["members"]) for row in rows]
    joiners = [int(row["joiners"] or 0) for row in rows]
    leavers = [int(row["leavers"] or 0) for row in rows]
    width = min(max(560.0, len(days) * 18.0), 2400.0)
    figure, size_axes = _figure(width, 220, left=70, right=30, top=50, bottom=210)
    total_width, total_height = 70 + width + 30, 50 + 220 + 210
    change_axes = figure.add_axes(
        (70 / total_width, 50 / total_height, width / total_width, 130 / total_height), sharex=size_axes
    )
    for axes in (size_axes, change_axes):
        axes.set_facecolor(AXES_FACE)
        axes.grid(axis="y", color=GRID, linewidth=0.8)
        axes.set_axisbelow(True)
    size_axes.add_line(Line2D(days, members, color=SIZE_LINE, linewidth=2 * 72 / DPI, antialiased=False, zorder=2))
    size_axes.add_line(
        Line2D(
            days,
            members,
            linestyle="none",
            marker="o",
            markersize=7 * 72 / DPI,
            markerfacecolor=SIZE_MARKER,
            markeredgewidth=0,
            antialiased=False,
            zorder=3,
        )
    )
    top = max([*members, 1])
    size_axes.set_ylim(0, top * 1.15)
    size_axes.set_ylabel("members")
    for day, joined, left in zip(days, joiners, leavers, strict=True):
        start = day - 1 / 3
        if joined > 0:
            change_axes.add_patch(
                Rectangle((start, 0), 2 / 3, joined, facecolor=JOINERS, linewidth=0, antialiased=False)
            )
        if left > 0:
            change_axes.add_patch(
                Rectangle((start, -left), 2 / 3, left, facecolor=LEAVERS, linewidth=0, antialiased=False)
            )
    change = max(joiners + leavers + [1])
    change_axes.set_ylim(-change * 1.15, change * 1.15)
    change_axes.axhline(0, color="#888888", linewidth=0.8)
    change_axes.set_ylabel("joined / left")
    first, last = days[0], days[-1]
    pad = max((last - first) * 0.04, 0.75)
    size_axes.set_xlim(first - pad, last + pad)
    _date_ticks(change_axes, [row["computed_on"] for row in rows])
    size_axes.tick_params(labelbottom=False)
    entity = rows[0].get("entity_type") or "entities"
    zone = rows[0].get("timezone") or "UTC"
    title = f"{cohort}: members per day ({entity}, days in {zone})"
    size_axes.set_title(
        f"{title}\nline: members; bars below: joined (green, up) and left (red, down) since the previous day",
        fontsize=9,
        loc="left",
    )
    table = [[fmt(row.get(column)) for column in TREND_COLUMNS] for row in rows]
    details = {"cohort": cohort, "days": [fmt(row["computed_on"]) for row in rows]}
    return Chart(f"cohort_trend__{cohort}", "cohort_trend", cohort, title, _png(figure), TREND_COLUMNS, table, details)
