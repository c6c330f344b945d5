"""`cohortwise drill`: the entities behind one number of a funnel, retention or segmentation model.

The model is checked against the manifest; every other value reaches the drill-down macros as a dbt
var (never pasted into SQL or Jinja), and the macros validate it and write it as an escaped literal.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cohortwise.dbt import DbtInvocationError, DbtProject, invoke
from cohortwise.errors import CohortwiseError
from cohortwise.runner.cohorts import first_error, parse_project

SCREEN_ROWS = 1000
EXPORT_ROWS = 500_000
MACROS = {
    "funnel": "{{ cohortwise.funnel_drilldown(var('cohortwise__drill_model'), var('cohortwise__drill_outcome'),"
    " var('cohortwise__drill_step')) }}",
    "retention": "{{ cohortwise.retention_drilldown(var('cohortwise__drill_model'),"
    " var('cohortwise__drill_cohort_period'), var('cohortwise__drill_period')) }}",
    "event_segmentation": "{{ cohortwise.event_segmentation_drilldown(var('cohortwise__drill_model'),"
    " var('cohortwise__drill_event'), var('cohortwise__drill_bucket'), var('cohortwise__drill_segment'),"
    " var('cohortwise__drill_group')) }}",
}


@dataclass
class Drilled:
    columns: list[str]
    rows: list[tuple[Any, ...]]
    total: int


def analysis_kind(manifest: Any, model: str) -> str:
    kinds: dict[str, str] = {}
    for node in manifest.nodes.values():
        if str(node.resource_type) == "model":
            settings = (node.config.meta or {}).get("cohortwise")
            if isinstance(settings, dict) and settings.get("analysis") in MACROS:
                kinds[node.name] = settings["analysis"]
    if model not in kinds:
        raise CohortwiseError(
            f"no funnel, retention or segmentation model named {model!r} (models: {', '.join(sorted(kinds))})"
        )
    return kinds[model]


def drill(project: DbtProject, kind: str, model: str, arguments: dict[str, Any], limit: int = SCREEN_ROWS) -> Drilled:
    """The first `limit` entities and how many there are; `arguments` become the macro's vars."""
    manifest = parse_project(project)
    found = analysis_kind(manifest, model)
    if found != kind:
        raise CohortwiseError(f"{model} is a {found.replace('_', ' ')} model, not a {kind.replace('_', ' ')}")
    vars = {"cohortwise__drill_model": model, **{f"cohortwise__drill_{k}": v for k, v in arguments.items()}}
    inline = MACROS[kind]
    counted = _show(project, manifest, "select count(*) as entities from (" + inline + ") as drilled", vars, 1)
    total = int(counted[1][0][0])
    if limit > EXPORT_ROWS or (limit == EXPORT_ROWS and total > EXPORT_ROWS):
        raise CohortwiseError(
            f"{total:,} entities: an export holds at most {EXPORT_ROWS:,} rows; drill into a smaller number"
        )
    columns, rows = _show(project, manifest, inline, vars, limit)
    return Drilled(columns, rows, total)


def write_csv(drilled: Drilled, path: Path) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(drilled.columns)
        writer.writerows(drilled.rows)


def _show(
    project: DbtProject, manifest: Any, inline: str, vars: dict[str, Any], limit: int
) -> tuple[list[str], list[tuple[Any, ...]]]:
    outcome = invoke(project, ["show", "--inline", inline, "--limit", str(limit)], vars=vars, manifest=manifest)
    if not outcome.success or outcome.result is None:
        for text in outcome.error_lines():  # a drill-down argument the macro refused: its own words
            for line in text.splitlines():
                if "cohortwise: in model" in line:
                    raise CohortwiseError(line.split("': ", 1)[-1].strip())
        raise DbtInvocationError(f"drill-down query failed: {first_error(outcome)}")
    table = outcome.result.results[0].agate_table
    return list(table.column_names), [tuple(row.values()) for row in table.rows]
