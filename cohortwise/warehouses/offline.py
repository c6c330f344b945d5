"""Compiling the project for warehouses these machines cannot reach, and building it natively.

BigQuery, Redshift and SQL Server are compiled with dummy profiles (`offline_profiles/`) and
`--no-populate-cache`, so dbt never connects; the `cohortwise__offline_compile` var makes
`cohortwise.is_incremental_run()` answer without a connection too. Every model, data test and
analysis, and every model's post-hooks, are discovered from dbt's own results: nothing is listed
by hand.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cohortwise.dbt import DbtInvocationError, DbtOutcome, DbtProject, invoke

OFFLINE_WAREHOUSES = ("bigquery", "redshift", "sqlserver")
OFFLINE_PROFILES = Path(__file__).resolve().parent.parent / "offline_profiles"

# The data every check runs on: the seed sample, at a fixed computation time.
CHECK_VARS: dict[str, Any] = {
    "cohortwise__events_schema": None,  # the target schema, where dbt seed puts the sample
    "cohortwise__events_identifier": "sample_events",
    "cohortwise__users_schema": None,
    "cohortwise__users_identifier": "sample_users",
    "cohortwise__as_of": "2024-06-01 00:00:00",
}


@dataclass(frozen=True)
class CompiledNode:
    """One compiled statement: a model, a data test or an analysis."""

    unique_id: str
    name: str
    resource_type: str  # model | test | analysis | hook (a post-hook of depends_on[0]) | grant (a GRANT statement)
    path: str  # original file path in the project
    depends_on: tuple[str, ...]
    materialized: str | None
    sql: str


# A post-hook of a model: `{{ this }}` is all the offline check renders in it (the cohorts' recording
# hooks, which call macros, are rendered by compile_hooks with the whole dbt context).
_THIS = re.compile(r"\{\{-?\s*this\s*-?\}\}")
_COHORT_RECORDING_HOOK = re.compile(r"cohortwise\.record_cohort_(members|computation)\s*\(")
UNRENDERED_JINJA = re.compile(r"\{\{|\{%|\{#")


def _post_hooks(node: Any) -> list[CompiledNode]:
    """The post-hooks of a compiled model (dbt compile leaves them unrendered), with `{{ this }}`
    replaced by the model's relation; a hook with any other Jinja keeps it, and the check reports it."""
    hooks = []
    for number, hook in enumerate(getattr(node.config, "post_hook", None) or [], start=1):
        sql = getattr(hook, "sql", hook if isinstance(hook, str) else "")
        if _COHORT_RECORDING_HOOK.search(sql):
            continue
        hooks.append(
            CompiledNode(
                unique_id=f"hook.{node.unique_id}.post-hook-{number}",
                name=f"{node.name} (post-hook {number})",
                resource_type="hook",
                path=f"{node.original_file_path} (post-hook {number})",
                depends_on=(node.unique_id,),
                materialized=None,
                sql=_THIS.sub(lambda _match: str(node.relation_name), sql).strip(),
            )
        )
    return hooks


def _nodes(outcome: DbtOutcome, *, post_hooks: bool = False) -> list[CompiledNode]:
    """The compiled models, data tests and analyses of a dbt result; with `post_hooks`, the models'
    post-hooks too (see _post_hooks)."""
    nodes = []
    for result in outcome.result.results:
        node = result.node
        resource_type = str(node.resource_type)
        if resource_type not in ("model", "test", "analysis"):
            continue
        nodes.append(
            CompiledNode(
                unique_id=node.unique_id,
                name=node.name,
                resource_type=resource_type,
                path=str(node.original_file_path),
                depends_on=tuple(getattr(node.depends_on, "nodes", ()) or ()),
                materialized=getattr(node.config, "materialized", None),
                sql=node.compiled_code or "",
            )
        )
        if post_hooks and resource_type == "model":
            nodes += _post_hooks(node)
    return sorted(nodes, key=lambda n: n.unique_id)


def _failure(what: str, outcome: DbtOutcome) -> DbtInvocationError:
    text = "\n".join(outcome.error_lines()) or str(outcome.exception or "dbt failed")
    lines = [line.strip() for line in text.splitlines() if line.strip() and line.strip() != "Encountered an error:"]
    return DbtInvocationError(f"{what}: {' '.join(lines[:3])}")


def compile_offline(
    project_dir: Path,
    warehouse: str,
    target_root: Path,
    vars: dict[str, Any] | None = None,
    *,
    incremental: bool = False,
) -> list[CompiledNode]:
    """`dbt compile` for one unreachable warehouse; the SQL lands in target_root/<warehouse>/compiled.

    With `incremental`, only the incremental models are compiled, as an incremental run would
    (the var cohortwise__assume_incremental stands in for the table lookup), into
    target_root/<warehouse>-incremental. Otherwise the models' post-hooks come too (see _post_hooks;
    the cohorts' recording hooks come from compile_hooks), listed in <warehouse>/post_hooks.sql.
    """
    if warehouse not in OFFLINE_WAREHOUSES:
        raise DbtInvocationError(f"unknown warehouse {warehouse!r}; expected one of {', '.join(OFFLINE_WAREHOUSES)}")
    folder = target_root / (f"{warehouse}-incremental" if incremental else warehouse)
    project = DbtProject(project_dir, OFFLINE_PROFILES, warehouse, folder)
    command = ["compile", "--no-populate-cache"]
    if incremental:  # the models alone: their tests compile the same either way
        command += ["--select", "config.materialized:incremental", "--indirect-selection", "empty"]
    else:
        command += ["--exclude", "resource_type:unit_test"]
    outcome = invoke(
        project,
        command,
        vars={
            **(vars or CHECK_VARS),
            "cohortwise__offline_compile": True,
            "cohortwise__assume_incremental": incremental,
        },
    )
    if not outcome.success:
        raise _failure(f"dbt compile --target {warehouse} failed", outcome)
    # the post-hooks once (an incremental run runs the same statements), also written beside the SQL
    nodes = _nodes(outcome, post_hooks=not incremental)
    hooks = [node for node in nodes if node.resource_type == "hook"]
    if hooks:
        listing = "".join(f"{HOOK_MARKER}{hook.unique_id}\n{hook.sql}\n" for hook in hooks)
        (folder / "post_hooks.sql").write_text(listing)
    return nodes


HOOK_MARKER = "-- cohortwise:hook "
GRANT_MARKER = "-- cohortwise:grant "

# The roles of the grants check: cohortwise__roles as each warehouse spells its grantees.
GRANT_CHECK_ROLES: dict[str, dict[str, list[str]]] = {
    "bigquery": {
        "analyst": ["group:cw-analysts@example.com"],
        "operations": ["user:ops@example.com"],
        "bi_reader": ["serviceAccount:bi@example.iam.gserviceaccount.com"],
    },
    "redshift": {"analyst": ["cw_analyst"], "operations": ["cw_operations"], "bi_reader": ["cw_bi_reader"]},
    "sqlserver": {"analyst": ["cw_analyst"], "operations": ["cw_operations"], "bi_reader": ["cw_bi_reader"]},
}


def _rendered_statements(
    project_dir: Path, warehouse: str, folder: Path, macro: str, marker: str, what: str, vars: dict[str, Any]
) -> list[tuple[str, str]]:
    """One inline compile of `macro`, whose output is statements each after a line `<marker><header>`
    (dbt compile renders neither hooks nor grants): (header, statement) pairs."""
    project = DbtProject(project_dir, OFFLINE_PROFILES, warehouse, folder)
    outcome = invoke(
        project,
        ["compile", "--no-populate-cache", "--inline", "{{ " + macro + "() }}"],
        vars={**vars, "cohortwise__offline_compile": True, "cohortwise__assume_incremental": False},
    )
    if not outcome.success:
        raise _failure(f"compiling {what} for {warehouse} failed", outcome)
    text = "\n".join(result.node.compiled_code or "" for result in outcome.result.results)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "statements.sql").write_text(text)
    pairs = []
    for block in text.split(marker)[1:]:
        header, _, sql = block.partition("\n")
        pairs.append((header.strip(), sql.strip()))
    return pairs


def compile_hooks(
    project_dir: Path, warehouse: str, target_root: Path, vars: dict[str, Any] | None = None
) -> list[CompiledNode]:
    """The post-hook statements of every cohort model, for one warehouse.

    Rendered by `cohortwise._cohort_recording_statements` in one inline compile; each statement
    becomes a node `hook.<model unique_id>.<kind>` whose depends_on starts with its model.
    """
    rendered = _rendered_statements(
        project_dir,
        warehouse,
        target_root / f"{warehouse}-hooks",
        "cohortwise._cohort_recording_statements",
        HOOK_MARKER,
        "the cohort hooks",
        vars or CHECK_VARS,
    )
    nodes = []
    for header, sql in rendered:
        model_id, kind = header.split()
        nodes.append(
            CompiledNode(
                unique_id=f"hook.{model_id}.{kind}",
                name=f"{model_id.rsplit('.', 1)[-1]} ({kind} hook)",
                resource_type="hook",
                path=f"post-hook of {model_id}",
                depends_on=(model_id,),
                materialized=None,
                sql=sql,
            )
        )
    return nodes


def compile_grants(
    project_dir: Path, warehouse: str, target_root: Path, vars: dict[str, Any] | None = None
) -> list[CompiledNode]:
    """The grant statements dbt runs for every model (and the on-run-end schema usage), for one warehouse.

    Rendered with the roles of GRANT_CHECK_ROLES by `cohortwise._grant_statements` in one inline
    compile, into `<target_root>/<warehouse>-grants/statements.sql`; each statement becomes a node
    `grant.<model unique_id>.<n>` (`grant.on-run-end.<n>` for the schema usage) whose depends_on is its model.
    """
    rendered = _rendered_statements(
        project_dir,
        warehouse,
        target_root / f"{warehouse}-grants",
        "cohortwise._grant_statements",
        GRANT_MARKER,
        "the grants",
        {**(vars or CHECK_VARS), "cohortwise__roles": GRANT_CHECK_ROLES[warehouse]},
    )
    return [
        CompiledNode(
            unique_id=f"grant.{owner}.{number}",
            name=f"{owner.rsplit('.', 1)[-1]} (grant)",
            resource_type="grant",
            path=f"grants of {owner}",
            depends_on=(owner,) if owner != "on-run-end" else (),
            materialized=None,
            sql=sql,
        )
        for number, (owner, sql) in enumerate(rendered)
    ]


def write_duckdb_profile(folder: Path, database: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    profile = {
        "cohortwise": {
            "target": "duckdb",
            "outputs": {"duckdb": {"type": "duckdb", "path": str(database), "schema": "main", "threads": 2}},
        }
    }
    (folder / "profiles.yml").write_text(json.dumps(profile, indent=2))
    return folder


@dataclass(frozen=True)
class NativeBuild:
    database: Path
    nodes: list[CompiledNode]


def build_native(project_dir: Path, target_root: Path, vars: dict[str, Any] | None = None) -> NativeBuild:
    """Seeds and builds the sample on a fresh DuckDB file: the reference the others are compared with."""
    database = target_root / "native.duckdb"
    for stale in (database, database.with_suffix(".duckdb.wal")):
        stale.unlink(missing_ok=True)
    profiles = write_duckdb_profile(target_root / "native_profiles", database)
    project = DbtProject(project_dir, profiles, "duckdb", target_root / "duckdb")
    seeded = invoke(project, ["seed"], vars=vars or CHECK_VARS)
    if not seeded.success:
        raise _failure("dbt seed on DuckDB failed", seeded)
    built = invoke(project, ["build", "--exclude", "resource_type:seed"], vars=vars or CHECK_VARS)
    if not built.success:
        raise _failure("dbt build on DuckDB failed", built)
    return NativeBuild(database, _nodes(built))
