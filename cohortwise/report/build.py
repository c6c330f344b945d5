"""`cohortwise report`: read the report tables, draw the charts, write the PNGs, charts.json and index.html."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cohortwise.dbt import DbtProject
from cohortwise.errors import CohortwiseError
from cohortwise.report import charts, data, html
from cohortwise.runner.cohorts import parse_project


@dataclass(frozen=True)
class Written:
    html: Path
    pngs: list[Path]


def check_metric(metric: str) -> None:
    if metric not in data.METRICS:
        raise CohortwiseError(f"--metric must be one of {', '.join(data.METRICS)}; got {metric!r}")


def build_report(
    project: DbtProject,
    out: Path,
    selected: list[str],
    metric: str = "people",
    progress: Callable[[str], None] = lambda line: None,
) -> Written:
    """Charts every selected report model (all by default) and the trend of every cohort with computations."""
    check_metric(metric)
    manifest = parse_project(project)
    selection = data.select(manifest, selected)
    tables = data.load(project, manifest, selection)
    drawn: list[charts.Chart] = []
    for model in selection.reports:
        rows = tables.tables[model.name]
        progress(f"{model.name}: {len(rows):,} rows")
        if not rows:
            continue
        if model.kind == "funnel":
            drawn.append(charts.funnel_chart(model.name, rows))
        elif model.kind == "retention":
            drawn += charts.retention_charts(model.name, rows)
        else:
            drawn.append(charts.segmentation_chart(model.name, rows, metric))
    if tables.cohort_trend:
        progress(f"{data.COHORT_TREND_MODEL}: {len(tables.cohort_trend):,} rows")
        drawn += charts.cohort_trend_charts(tables.cohort_trend)
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("*.png"):  # a chart of an earlier run that this one did not draw
        stale.unlink()
    pngs = []
    for chart in drawn:
        path = out / f"{chart.slug}.png"
        path.write_bytes(chart.png)
        pngs.append(path)
    listing = [
        {"file": f"{chart.slug}.png", "kind": chart.kind, "model": chart.model, "title": chart.title, **chart.details}
        for chart in drawn
    ]
    (out / "charts.json").write_text(json.dumps(listing, indent=2, default=str) + "\n")
    target = f" (target {project.target})" if project.target else ""
    page = html.render(
        drawn,
        "cohortwise report",
        f"{len(drawn)} charts from the materialized report tables{target}, "
        f"written {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; segmentation metric: {metric}",
    )
    index = out / "index.html"
    index.write_text(page, encoding="utf-8")
    return Written(index, pngs)
