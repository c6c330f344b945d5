"""The `cohortwise` command line."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

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


if __name__ == "__main__":
    main()
