"""What `cohortwise report` draws: the declared report models (from the manifest) and their rows.

Tables are read through dbt (`dbt show --inline`) with the project's own connection, so the report
works on every warehouse. Model names come from the manifest only; nothing typed is pasted into SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from cohortwise.dbt import DbtProject
from cohortwise.errors import CohortwiseError
from cohortwise.runner.cohorts import NAME, load_cohorts, show_records

# meta.cohortwise.analysis of a report model -> (chart kind, the meta key naming its analysis model)
REPORT_ANALYSES = {
    "funnel_report": ("funnel", "funnel_model"),
    "retention_report": ("retention", "retention_model"),
    "event_segmentation_report": ("segmentation", "segmentation_model"),
}
COHORT_TREND_MODEL = "cohort_sizes_daily"
METRICS = ("people", "events", "adoption", "engagement", "dau", "wau", "mau")

Row = dict[str, Any]


@dataclass(frozen=True)
class ReportModel:
    """A report table to chart: its model, chart kind and the analysis model it reports on."""

    name: str
    kind: str  # funnel, retention, segmentation
    analysis_model: str


@dataclass(frozen=True)
class Selection:
    reports: list[ReportModel]
    cohorts: list[str] | None  # None: every cohort with computations; [] none at all


@dataclass
class ReportData:
    tables: dict[str, list[Row]]  # report model name -> rows
    cohort_trend: list[Row]  # cohort_sizes_daily rows of the selected cohorts


def report_models(manifest: Any) -> list[ReportModel]:
    """Every model whose meta.cohortwise.analysis is a funnel, retention or segmentation report, by name."""
    found = []
    for node in manifest.nodes.values():
        if str(node.resource_type) != "model":
            continue
        settings = (node.config.meta or {}).get("cohortwise")
        if isinstance(settings, dict) and settings.get("analysis") in REPORT_ANALYSES:
            kind, key = REPORT_ANALYSES[settings["analysis"]]
            found.append(ReportModel(node.name, kind, str(settings.get(key) or "")))
    return sorted(found, key=lambda model: model.name)


def cohort_models(manifest: Any) -> list[str]:
    """Every cohort model (meta.cohortwise.type, not an analysis), by name: the runner's cohorts."""
    return [cohort.name for cohort in load_cohorts(manifest)]


def select(manifest: Any, selected: list[str]) -> Selection:
    """The reports and cohorts to draw: all of them, or those named (a report model, the analysis
    model it reports on, or a cohort model). An unknown name is an error naming what exists."""
    reports = report_models(manifest)
    cohorts = cohort_models(manifest)
    if not selected:
        return Selection(reports, None)
    chosen: list[ReportModel] = []
    chosen_cohorts: list[str] = []
    for name in selected:
        matches = [model for model in reports if name in (model.name, model.analysis_model)]
        if matches:
            chosen += [model for model in matches if model not in chosen]
        elif name in cohorts:
            if name not in chosen_cohorts:
                chosen_cohorts.append(name)
        else:
            known = ", ".join(model.name for model in reports)
            raise CohortwiseError(
                f"--select names no report model or cohort: {name!r} (report models: {known}; or a cohort model)"
            )
    return Selection(chosen, chosen_cohorts)


def load(project: DbtProject, manifest: Any, selection: Selection) -> ReportData:
    """The rows of every selected report table and the cohort trend; an error when one is not built."""
    tables = [model.name for model in selection.reports]
    if selection.cohorts != []:
        tables.append(COHORT_TREND_MODEL)
    missing = unbuilt(project, manifest, tables)
    if missing:
        raise CohortwiseError(
            f"not built yet: {', '.join(missing)} (run `dbt build --select {' '.join(missing)}` first)"
        )
    data = ReportData({}, [])
    for model in selection.reports:
        data.tables[model.name] = _rows(project, manifest, model.name)
    if selection.cohorts != []:
        trend = _rows(project, manifest, COHORT_TREND_MODEL)
        if selection.cohorts is not None:
            trend = [row for row in trend if row["cohort_name"] in selection.cohorts]
        data.cohort_trend = trend
    return data


def unbuilt(project: DbtProject, manifest: Any, models: list[str]) -> list[str]:
    """Those of the models whose relation does not exist in the warehouse (adapter.get_relation)."""
    if not models:
        return []
    checks = []
    for name in models:
        if not NAME.match(name):  # names come from the manifest; this keeps it that way
            raise CohortwiseError(f"not a model name: {name!r}")
        built = "{{ 1 if load_relation(ref('" + name + "')) is not none else 0 }}"
        label = "{{ cohortwise.literal('" + name + "') }}"  # the one escaping helper, as everywhere
        checks.append(f"select {label} as model_name, {built} as is_built")
    rows = _show(project, manifest, "\nunion all\n".join(checks))
    built_models = {str(row["model_name"]) for row in rows if int(row["is_built"]) == 1}
    return [name for name in models if name not in built_models]


def _rows(project: DbtProject, manifest: Any, model: str) -> list[Row]:
    return _show(project, manifest, "select * from {{ ref('" + model + "') }}")


def _show(project: DbtProject, manifest: Any, inline: str) -> list[Row]:
    return [{column: plain(value) for column, value in row.items()} for row in show_records(project, manifest, inline)]


def plain(value: Any) -> Any:
    """agate's values as plain Python: Decimal -> int when whole, else float; dates and text unchanged."""
    if isinstance(value, Decimal):
        return int(value) if value.as_tuple().exponent == 0 else float(value)
    return value


def number(value: Any) -> float | None:
    """A metric value as a float (None stays None)."""
    return None if value is None else float(value)
