"""The `cohortwise` command line."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from cohortwise import __version__
from cohortwise.errors import CohortwiseError

_project_dir = click.option(
    "--project-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Folder holding dbt_project.yml.",
)
_profiles_dir = click.option(
    "--profiles-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder holding profiles.yml (default: DBT_PROFILES_DIR, the project, ~/.dbt).",
)
_target = click.option("--target", default=None, help="dbt target (default: the profile's).")


class _Group(click.Group):
    """Turns CohortwiseError into one line on stderr and its exit code, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CohortwiseError as error:
            click.echo(f"cohortwise: {error}", err=True)
            sys.exit(error.exit_code)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="cohortwise")
def main() -> None:
    """Product analytics in the warehouse: cohorts, funnels, retention, segmentation on dbt."""


@main.command()
@_project_dir
@_profiles_dir
@click.option("--timeout", type=float, default=20.0, show_default=True, help="Seconds to wait for each target.")
def doctor(project_dir: Path, profiles_dir: Path | None, timeout: float) -> None:
    """Which targets are configured, and can each be reached? One line each (* = default)."""
    from cohortwise.doctor import check_targets

    checks = check_targets(project_dir, profiles_dir, timeout)
    width = max(len(check.target.name) for check in checks)
    for check in checks:
        click.echo(check.line(width))
    if not all(check.ok for check in checks):
        sys.exit(1)


@main.command()
@_project_dir
@_profiles_dir
@_target
def summary(project_dir: Path, profiles_dir: Path | None, target: str | None) -> None:
    """Row counts of the main tables, and quarantined rows per reason."""
    from cohortwise.dbt import DbtProject
    from cohortwise.summary import collect

    result = collect(DbtProject(project_dir, profiles_dir, target))
    click.echo("cohortwise built:")
    for line in result.lines():
        click.echo(line)


@main.command("check-warehouses")
@_project_dir
@click.option(
    "--warehouse",
    "warehouses",
    multiple=True,
    type=click.Choice(["bigquery", "redshift", "sqlserver"]),
    help="Check only this warehouse (repeatable; default all three).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("target") / "warehouses",
    show_default=True,
    help="Folder for each warehouse's compiled SQL and report.json.",
)
@click.option("--equivalence/--no-equivalence", default=True, show_default=True, help="Also run it all on DuckDB.")
@click.option(
    "--allowlist",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Known transpiler gaps (default tests/warehouses/equivalence_allowlist.yml).",
)
def check_warehouses_command(
    project_dir: Path, warehouses: tuple[str, ...], out: Path, equivalence: bool, allowlist: Path | None
) -> None:
    """Compile for BigQuery, Redshift and SQL Server offline, check the SQL, compare results."""
    import time

    from cohortwise.warehouses.check import check_warehouses
    from cohortwise.warehouses.offline import OFFLINE_WAREHOUSES

    started = time.perf_counter()
    reports = check_warehouses(
        project_dir,
        out if out.is_absolute() else project_dir / out,
        warehouses or OFFLINE_WAREHOUSES,
        equivalence=equivalence,
        allowlist_path=allowlist,
        progress=lambda line: click.echo(line, err=True),
    )
    for report in reports:
        for line in report.lines():
            click.echo(line)
    click.echo(f"checked {len(reports)} warehouse(s) in {time.perf_counter() - started:.1f}s")
    if not all(report.ok for report in reports):
        sys.exit(1)


@main.command("check-docs")
@_project_dir
@_profiles_dir
@_target
def check_docs(project_dir: Path, profiles_dir: Path | None, target: str | None) -> None:
    """Parse the project; list each model, column, source and public macro without a description (exit 1 if any)."""
    from cohortwise.dbt import DbtProject
    from cohortwise.docs import check_project

    problems = check_project(DbtProject(project_dir, profiles_dir, target))
    for line in problems:
        click.echo(line)
    if problems:
        sys.exit(1)
    click.echo("every model, column, source and public macro has a description")


def _as_of(value: str | None) -> Any:
    from datetime import datetime

    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        try:
            return datetime.strptime(value, "%Y-%m-%d")
        except ValueError:
            raise CohortwiseError(f"--as-of must look like 'YYYY-MM-DD HH:MM:SS' (UTC); got {value!r}") from None


@main.command()
@_project_dir
@_profiles_dir
@_target
@click.option("--select", "-s", "selected", multiple=True, help="A cohort to compute whether due or not (repeatable).")
@click.option("--as-of", "as_of", default=None, help="Computation time 'YYYY-MM-DD HH:MM:SS' UTC (default now).")
@click.option("--dry-run", is_flag=True, help="Print what is due and why; build nothing.")
@click.option(
    "--lock-timeout", type=float, default=600.0, show_default=True, help="Seconds to wait for a running refresh."
)
@click.option(
    "--max-size-change",
    type=float,
    default=0.5,
    show_default=True,
    help="Fail the check of a cohort whose size changes by more than this fraction (meta size_change_threshold wins).",
)
def refresh(
    project_dir: Path,
    profiles_dir: Path | None,
    target: str | None,
    selected: tuple[str, ...],
    as_of: str | None,
    dry_run: bool,
    lock_timeout: float,
    max_size_change: float,
) -> None:
    """Compute the cohorts that are due (scheduled, edited, new, or selected) and their dependents.

    Exit codes: 0 all good, 1 a check or test failed (tables built and logged), 2 could not run.
    """
    from cohortwise.dbt import DbtProject
    from cohortwise.runner.refresh import refresh as run_refresh
    from cohortwise.runner.refresh import refresh_lock

    project = DbtProject(project_dir, profiles_dir, target)
    when = _as_of(as_of)
    from contextlib import nullcontext

    with nullcontext() if dry_run else refresh_lock(project_dir / "target", lock_timeout):
        result = run_refresh(
            project,
            selected=list(selected),
            as_of=when,
            dry_run=dry_run,
            max_size_change=max_size_change,
            progress=lambda line: click.echo(f"  {line}", err=True),
        )
    if not result.planned:
        click.echo("nothing is due")
        return
    if dry_run:
        click.echo(
            _table(
                ["cohort", "why", "schedule", "last computed", "members"],
                [
                    [
                        p.cohort.name,
                        ",".join(p.reasons),
                        p.cohort.schedule.describe(),
                        f"{p.state.last[0]:%Y-%m-%d %H:%M}" if p.state.last else "never",
                        str(p.state.last[1]) if p.state.last else "",
                    ]
                    for p in result.planned
                ],
            )
        )
        return
    rows = []
    for o in result.outcomes:
        change = "" if o.members is None or not o.previous else f"{(o.members - o.previous) / o.previous:+.0%}"
        rows.append(
            [
                o.planned.cohort.name,
                ",".join(o.planned.reasons),
                o.status,
                "" if o.members is None else str(o.members),
                "" if o.previous is None else str(o.previous),
                change,
                "; ".join(o.messages),
            ]
        )
    click.echo(_table(["cohort", "why", "status", "members", "before", "change", "message"], rows))
    for line in [
        result.error,
        *(f"dependent failed: {d}" for d in result.dependents_failed),
        *(f"dependent test failed: {t}" for t in result.dependent_tests_failed),
    ]:
        if line:
            click.echo(line, err=True)
    sys.exit(result.exit_code)


@main.command()
@_project_dir
@_profiles_dir
@_target
@click.option("--json", "as_json", is_flag=True, help="One JSON object per cohort instead of a table.")
@click.option(
    "--as-of", "as_of", default=None, help="Judge what is due at this time 'YYYY-MM-DD HH:MM:SS' UTC (default now)."
)
def status(project_dir: Path, profiles_dir: Path | None, target: str | None, as_json: bool, as_of: str | None) -> None:
    """One row per cohort: type, entity, schedule, last computed, size, change, next due, last status."""
    import json

    from cohortwise.dbt import DbtProject
    from cohortwise.runner.status import cohort_status

    rows = cohort_status(DbtProject(project_dir, profiles_dir, target), _as_of(as_of))
    if as_json:
        for row in rows:
            click.echo(json.dumps(row, default=str))
        return
    headers = ["cohort", "type", "entity", "schedule", "last computed", "members", "change", "next due", "last status"]
    click.echo(
        _table(
            headers,
            [
                [
                    str(row[key] if row[key] is not None else "")
                    for key in (
                        "cohort",
                        "type",
                        "entity",
                        "schedule",
                        "last_computed",
                        "members",
                        "change",
                        "next_due",
                        "last_status",
                    )
                ]
                for row in rows
            ],
        )
    )


@main.command()
@_project_dir
@_profiles_dir
@_target
@click.option("--interval", type=float, default=60.0, show_default=True, help="Seconds between checks for due cohorts.")
@click.option(
    "--lock-timeout", type=float, default=600.0, show_default=True, help="Seconds to wait for a running refresh."
)
@click.option("--max-size-change", type=float, default=0.5, show_default=True, help="As for refresh.")
def scheduler(
    project_dir: Path,
    profiles_dir: Path | None,
    target: str | None,
    interval: float,
    lock_timeout: float,
    max_size_change: float,
) -> None:
    """Run `refresh` whenever something is due, until SIGTERM or Ctrl-C (honoured between runs)."""
    from cohortwise.dbt import DbtProject
    from cohortwise.runner.scheduler import run_scheduler

    code = run_scheduler(
        DbtProject(project_dir, profiles_dir, target),
        interval=interval,
        lock_timeout=lock_timeout,
        max_size_change=max_size_change,
        log=lambda line: click.echo(line, err=False),
    )
    sys.exit(code)


@main.command("import-ids")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--cohort", required=True, help="The ID cohort's model name (created, or replaced if it is an ID cohort)."
)
@click.option(
    "--entity", default="user_id", show_default=True, help="What the ids are: user_id, device_id or account_id."
)
@click.option(
    "--id-column", default=None, help="The CSV column of the ids (default: user_id, device_id, account_id or id)."
)
@click.option(
    "--rejected",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write the rejected rows with their reasons (default: FILE.rejected.csv).",
)
@_project_dir
@_profiles_dir
@_target
def import_ids_command(
    file: Path,
    cohort: str,
    entity: str,
    id_column: str | None,
    rejected: Path | None,
    project_dir: Path,
    profiles_dir: Path | None,
    target: str | None,
) -> None:
    """Create or replace an ID cohort from a CSV of ids (and property columns)."""
    from cohortwise.dbt import DbtProject
    from cohortwise.runner.import_ids import import_ids

    rejected_file = rejected or file.with_suffix(".rejected.csv")
    result = import_ids(DbtProject(project_dir, profiles_dir, target), file, cohort, entity, id_column, rejected_file)
    reasons: dict[str, int] = {}
    for row in result.rejected:
        reasons[str(row["rejection_reason"])] = reasons.get(str(row["rejection_reason"]), 0) + 1
    detail = f" ({', '.join(f'{reason} {count}' for reason, count in sorted(reasons.items()))})" if reasons else ""
    click.echo(f"{cohort}: {result.accepted:,} accepted, {len(result.rejected):,} rejected{detail}")
    click.echo(f"rejected rows with their reasons: {rejected_file}")


_out = click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write all entities (at most 500,000) to this CSV file instead of showing the first 1,000.",
)


F = TypeVar("F", bound=Callable[..., Any])


def _options(*decorators: Callable[[Any], Any]) -> Callable[[F], F]:
    def apply(function: F) -> F:
        for decorator in reversed(decorators):
            function = decorator(function)
        return function

    return apply


_funnel_cell = _options(
    click.argument("model"),
    click.option("--step", type=int, required=True, help="The step number (1 = the first)."),
    click.option(
        "--converted", "outcome", flag_value="converted", default=True, help="Reached the step or further (default)."
    ),
    click.option("--dropped", "outcome", flag_value="dropped", help="Stopped at the step."),
)
_retention_cell = _options(
    click.argument("model"),
    click.option("--cohort-period", required=True, help="The cohort's first day, YYYY-MM-DD."),
    click.option("--period", type=int, default=None, help="The period number (default: the cohort's initial members)."),
)
_segmentation_cell = _options(
    click.argument("model"),
    click.option("--event", required=True, help="The event's label, as in the report."),
    click.option("--bucket", required=True, help="The bucket's first day, YYYY-MM-DD."),
    click.option("--segment", default=None, help="The segment's label (default: the only one)."),
    click.option("--group", default=None, help="The group value, when the analysis has a group_by."),
)


@main.group()
def drill() -> None:
    """The entities behind one number of a funnel, retention or segmentation model."""


def _show_drilled(
    project_dir: Path,
    profiles_dir: Path | None,
    target: str | None,
    kind: str,
    model: str,
    arguments: dict[str, Any],
    out: Path | None,
) -> None:
    from cohortwise.dbt import DbtProject
    from cohortwise.runner.drill import EXPORT_ROWS, SCREEN_ROWS, write_csv
    from cohortwise.runner.drill import drill as run_drill

    project = DbtProject(project_dir, profiles_dir, target)
    drilled = run_drill(project, kind, model, arguments, EXPORT_ROWS if out else SCREEN_ROWS)
    if out is not None:
        write_csv(drilled, out)
        click.echo(f"{drilled.total:,} entities written to {out}")
        return
    click.echo(_table(drilled.columns, [["" if v is None else str(v) for v in row] for row in drilled.rows]))
    shown = (
        f" (the first {len(drilled.rows):,} shown; --out FILE.csv exports them all)"
        if len(drilled.rows) < drilled.total
        else ""
    )
    click.echo(f"{drilled.total:,} entities{shown}")


@drill.command("funnel")
@_funnel_cell
@_out
@_project_dir
@_profiles_dir
@_target
def drill_funnel(
    model: str,
    step: int,
    outcome: str,
    out: Path | None,
    project_dir: Path,
    profiles_dir: Path | None,
    target: str | None,
) -> None:
    """Entities that reached (--converted) or stopped at (--dropped) a funnel step."""
    _show_drilled(project_dir, profiles_dir, target, "funnel", model, {"outcome": outcome, "step": step}, out)


@drill.command("retention")
@_retention_cell
@_out
@_project_dir
@_profiles_dir
@_target
def drill_retention(
    model: str,
    cohort_period: str,
    period: int | None,
    out: Path | None,
    project_dir: Path,
    profiles_dir: Path | None,
    target: str | None,
) -> None:
    """A retention cell's entities: a cohort's members, or those retained in one period."""
    _show_drilled(
        project_dir, profiles_dir, target, "retention", model, {"cohort_period": cohort_period, "period": period}, out
    )


@drill.command("segmentation")
@_segmentation_cell
@_out
@_project_dir
@_profiles_dir
@_target
def drill_segmentation(
    model: str,
    event: str,
    bucket: str,
    segment: str | None,
    group: str | None,
    out: Path | None,
    project_dir: Path,
    profiles_dir: Path | None,
    target: str | None,
) -> None:
    """The entities behind one value of an event segmentation (event x bucket x segment x group)."""
    _show_drilled(
        project_dir,
        profiles_dir,
        target,
        "event_segmentation",
        model,
        {"event": event, "bucket": bucket, "segment": segment, "group": group},
        out,
    )


_save_options = _options(
    click.option("--name", required=True, help="The new cohort's model name."),
    click.option("--static", "mode", flag_value="static", help="Freeze today's ids (a snapshot table)."),
    click.option(
        "--dynamic",
        "mode",
        flag_value="dynamic",
        default=True,
        help="Re-apply the drill-down on every build (default).",
    ),
    click.option("--replace", is_flag=True, help="Overwrite a result cohort of that name."),
    _project_dir,
    _profiles_dir,
    _target,
)


@main.group("save-cohort")
def save_cohort() -> None:
    """Save the entities behind one number as a result cohort (a versioned model file, built at once)."""


def _save(
    project_dir: Path,
    profiles_dir: Path | None,
    target: str | None,
    kind: str,
    model: str,
    arguments: dict[str, Any],
    name: str,
    mode: str,
    replace: bool,
) -> None:
    from cohortwise.dbt import DbtProject
    from cohortwise.runner.save_cohort import save_cohort as run_save

    saved = run_save(DbtProject(project_dir, profiles_dir, target), kind, model, arguments, name, mode, replace)
    click.echo(f"{saved.name}: a {mode} result cohort of {saved.members:,} entities, built")
    for path in saved.files:
        click.echo(f"  wrote {path}")


@save_cohort.command("funnel")
@_funnel_cell
@_save_options
def save_funnel(
    model: str,
    step: int,
    outcome: str,
    name: str,
    mode: str,
    replace: bool,
    project_dir: Path,
    profiles_dir: Path | None,
    target: str | None,
) -> None:
    """A funnel step's converted or dropped entities as a cohort."""
    _save(project_dir, profiles_dir, target, "funnel", model, {"outcome": outcome, "step": step}, name, mode, replace)


@save_cohort.command("retention")
@_retention_cell
@_save_options
def save_retention(
    model: str,
    cohort_period: str,
    period: int | None,
    name: str,
    mode: str,
    replace: bool,
    project_dir: Path,
    profiles_dir: Path | None,
    target: str | None,
) -> None:
    """A retention cell's entities as a cohort."""
    _save(
        project_dir,
        profiles_dir,
        target,
        "retention",
        model,
        {"cohort_period": cohort_period, "period": period},
        name,
        mode,
        replace,
    )


@save_cohort.command("segmentation")
@_segmentation_cell
@_save_options
def save_segmentation(
    model: str,
    event: str,
    bucket: str,
    segment: str | None,
    group: str | None,
    name: str,
    mode: str,
    replace: bool,
    project_dir: Path,
    profiles_dir: Path | None,
    target: str | None,
) -> None:
    """A segmentation value's entities as a cohort."""
    _save(
        project_dir,
        profiles_dir,
        target,
        "event_segmentation",
        model,
        {"event": event, "bucket": bucket, "segment": segment, "group": group},
        name,
        mode,
        replace,
    )


@main.command()
@click.option(
    "--select",
    "-s",
    "selected",
    multiple=True,
    help="A report model, the analysis it reports on, or a cohort (repeatable; default: all).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the PNGs and index.html (default: target/report under the project).",
)
@click.option(
    "--metric",
    default="people",
    show_default=True,
    help="The segmentation charts' metric: people, events, adoption, engagement, dau, wau or mau.",
)
@_project_dir
@_profiles_dir
@_target
def report(
    selected: tuple[str, ...],
    out: Path | None,
    metric: str,
    project_dir: Path,
    profiles_dir: Path | None,
    target: str | None,
) -> None:
    """Charts of every funnel, retention and segmentation report and cohort trend, and one HTML page."""
    from cohortwise.dbt import DbtProject
    from cohortwise.report.build import build_report, check_metric

    check_metric(metric)  # before parsing the project: a typo fails at once
    written = build_report(
        DbtProject(project_dir, profiles_dir, target),
        out or project_dir / "target" / "report",
        list(selected),
        metric,
        progress=lambda line: click.echo(f"  {line}", err=True),
    )
    click.echo(f"{len(written.pngs)} charts written to {written.html.parent}")
    click.echo(str(written.html))


def _table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [
        max(len(headers[i]), *(len(row[i]) for row in rows)) if rows else len(headers[i]) for i in range(len(headers))
    ]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
