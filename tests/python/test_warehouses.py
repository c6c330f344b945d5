"""Every warehouse: offline compile + dialect rules + DuckDB equivalence, and PostgreSQL for real."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import psycopg2
import pytest

from cohortwise.dbt import DbtProject, invoke
from cohortwise.warehouses.dialect_rules import check
from cohortwise.warehouses.equivalence import (
    AllowlistEntry,
    _compare_rows,
    compare_warehouse,
    load_allowlist,
)
from cohortwise.warehouses.offline import CHECK_VARS, GRANT_CHECK_ROLES, CompiledNode, NativeBuild, build_native
from tests.python.conftest import ROOT, copy_project
from tests.python.pg_server import PostgresServer, running_postgres

SNIPPETS = ROOT / "tests" / "warehouses" / "snippets"
MAIN_TABLES = (
    "stg_events",
    "stg_users",
    "int_events_audited",
    "int_users_audited",
    "quarantine_events",
    "quarantine_users",
    "fct_events",
    "dim_users",
)


def _snippets(kind: str) -> list[Any]:
    return [
        pytest.param(path, id=f"{path.parent.parent.name}/{path.name}")
        for path in sorted(SNIPPETS.glob(f"*/{kind}/*.sql"))
    ]


@pytest.mark.parametrize("path", _snippets("bad"))
def test_each_known_bad_snippet_is_flagged_with_its_rule(path: Path) -> None:
    warehouse = path.parent.parent.name
    expected_rule = path.stem.split("__")[0]
    rules = {finding.rule for finding in check(path.read_text(), warehouse)}
    assert expected_rule in rules, f"{path.name}: expected [{expected_rule}], got {sorted(rules)}"


@pytest.mark.parametrize("path", _snippets("good"))
def test_each_known_good_snippet_passes(path: Path) -> None:
    assert check(path.read_text(), path.parent.parent.name) == []


def test_every_rule_has_a_bad_snippet() -> None:
    from cohortwise.warehouses.dialect_rules import RULES

    covered = {(p.parent.parent.name, p.stem.split("__")[0]) for p in SNIPPETS.glob("*/bad/*.sql")}
    for warehouse in ("sqlserver", "bigquery", "redshift"):
        for rule in RULES[warehouse]:
            findings_rule = {
                "tsql_limit": "tsql_limit",
                "tsql_qualify": "tsql_qualify",
                "double_colon_cast": "double_colon_cast",
                "tsql_boolean_literal": "tsql_boolean_literal",
                "tsql_boolean_select": "tsql_boolean_select",
                "ordinal_group_by": "ordinal_group_by",
                "ordinal_order_by": "ordinal_order_by",
                "nested_with": "nested_with",
                "tsql_ilike": "tsql_ilike",
                "unknown_functions": "unknown_function",
                "bigquery_forbidden_functions": "bigquery_date_function",
                "bigquery_reserved_words": "bigquery_reserved_word",
            }[rule.__name__]
            assert (warehouse, findings_rule) in covered, f"no bad snippet for {warehouse} {findings_rule}"


# --- equivalence, on hand-made statements ------------------------------------------------------------


@pytest.fixture(scope="module")
def tiny_native(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tiny") / "native.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create table main.numbers as select * from (values (1, 'a'), (2, 'b'), (3, 'c')) as t(n, label)")
        con.execute("create table main.halves as select n, n / 2.0 as half from main.numbers")
    return path


def _model(name: str, sql: str, parents: tuple[str, ...] = ()) -> CompiledNode:
    return CompiledNode(f"model.cohortwise.{name}", name, "model", f"models/{name}.sql", parents, "table", sql)


def test_equivalence_accepts_the_same_result_in_another_dialect(tiny_native: Path) -> None:
    model = _model("halves", "select n, cast(n as float) / 2 as half from cohortwise.main.numbers")
    results = compare_warehouse("sqlserver", [model], tiny_native, [model])
    assert [(r.name, r.status) for r in results] == [("halves", "equal")]


def test_equivalence_catches_a_different_result(tiny_native: Path) -> None:
    # T-SQL integer division truncates: 1 / 2 = 0, where the native model has 0.5
    model = _model("halves", "select n, n / 2 as half from cohortwise.main.numbers")
    [result] = compare_warehouse("sqlserver", [model], tiny_native, [model])
    assert result.status == "different"
    assert "only native" in result.detail


def test_an_allowlisted_column_is_skipped_but_a_whole_model_never(tiny_native: Path) -> None:
    model = _model("halves", "select n, n / 2 as half from cohortwise.main.numbers")
    entry = AllowlistEntry("sqlserver", "halves", "half", "demonstration")
    [result] = compare_warehouse("sqlserver", [model], tiny_native, [model], [entry])
    assert (result.status, result.allowlisted) == ("equal", ["half"])
    everything = [entry, AllowlistEntry("sqlserver", "halves", "n", "demonstration")]
    [result] = compare_warehouse("sqlserver", [model], tiny_native, [model], everything)
    assert result.status == "error" and "may not silence every column" in result.detail


def test_the_allowlist_file_needs_a_reason_per_entry(tmp_path: Path) -> None:
    path = tmp_path / "allow.yml"
    path.write_text("entries:\n  - {warehouse: sqlserver, model: halves, column: half}\n")
    with pytest.raises(Exception, match="lacks reason"):
        load_allowlist(path)
    assert load_allowlist(ROOT / "tests" / "warehouses" / "equivalence_allowlist.yml") is not None


def test_tsql_like_classes_and_case_insensitivity_are_bridged(tiny_native: Path) -> None:
    with duckdb.connect(str(tiny_native)) as con:  # the reference: labels a and b
        con.execute("create or replace table main.ab_labels as select * from main.numbers where label <> 'c'")
    model = _model(
        "ab_labels",
        "select n, label from cohortwise.main.numbers where label like '[A-B]' and label not like '%[^a-z]%'",
    )
    [result] = compare_warehouse("sqlserver", [model], tiny_native, [model])
    assert (result.status, result.detail) == ("equal", "")


def test_tsql_integer_division_keeps_its_meaning(tiny_native: Path) -> None:
    with duckdb.connect(str(tiny_native)) as con:  # T-SQL: 3 / 2 = 1, 3 / 2.0 = 1.5
        con.execute("create or replace table main.divisions as select 3 as n, 1 as whole, 1.5 as fraction")
    model = _model("divisions", "select 3 as n, 3 / 2 as whole, 3 / 2.0 as fraction")
    [result] = compare_warehouse("sqlserver", [model], tiny_native, [model])
    assert (result.status, result.detail) == ("equal", "")


# --- the whole project ------------------------------------------------------------------------------


@dataclass
class WarehouseRun:
    out: Path
    returncode: int
    stdout: str
    reports: list[dict[str, Any]]


@pytest.fixture(scope="module")
def warehouse_run(tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config) -> WarehouseRun:
    """`cohortwise check-warehouses`, run as users run it; its report (with timings) is shown."""
    out = tmp_path_factory.mktemp("warehouses")
    done = subprocess.run(
        [Path(sys.executable).parent / "cohortwise", "check-warehouses", "--project-dir", ROOT, "--out", out],
        capture_output=True,
        text=True,
        check=False,
    )
    capture = pytestconfig.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print("\n" + done.stdout)
    reports = json.loads((out / "report.json").read_text()) if (out / "report.json").exists() else []
    return WarehouseRun(out, done.returncode, done.stdout + done.stderr, reports)


def test_check_warehouses_passes_on_the_project(warehouse_run: WarehouseRun) -> None:
    assert warehouse_run.returncode == 0, warehouse_run.stdout


INCREMENTAL_MODELS = ("int_events_audited", "fct_events", "fct_daily_activity", "fct_entity_days", "int_user_activity")
INCREMENTAL_FUNNELS = (
    "funnel_purchase",
    "funnel_purchase_without_search",
    "funnel_same_category",
    "funnel_checkout_strict",
)
# incremental everywhere but on BigQuery, where they are built as tables (its merge replaces one row per key)
INCREMENTAL_RETENTIONS = ("retention_daily", "retention_rolling_7d", "retention_monthly_buyers")


def test_every_model_and_test_compiles_for_each_warehouse_into_its_folder(warehouse_run: WarehouseRun) -> None:
    assert [r["warehouse"] for r in warehouse_run.reports] == ["bigquery", "redshift", "sqlserver"]
    for report in warehouse_run.reports:
        assert not report["error"], report["error"]
        compiled = list((warehouse_run.out / report["warehouse"] / "compiled" / "cohortwise").rglob("*.sql"))
        hooks = report["hook_statements"]
        grants = report["grant_statements"]
        assert len(compiled) == report["statements"] - report["incremental_statements"] - hooks - grants >= 45
        # two recording post-hooks per cohort model, rendered for the warehouse and checked like the rest,
        # and the delete post-hook of every funnel, every retention and int_user_activity
        cohorts = [path for path in compiled if path.parent.name == "cohorts" and path.stem.startswith("cohort_")]
        deleting = [
            path.stem
            for path in compiled
            if (path.parent.name, path.stem.split("_")[0]) in {("funnels", "funnel"), ("retention", "retention")}
            or path.stem == "int_user_activity"
        ]
        assert hooks == 2 * len(cohorts) + len(deleting) and len(cohorts) >= 10 and len(deleting) >= 10
        quote = {"bigquery": "`", "redshift": '"', "sqlserver": '"'}[report["warehouse"]]
        rendered = (warehouse_run.out / report["warehouse"] / "post_hooks.sql").read_text()
        for name in deleting:
            assert f"-- cohortwise:hook hook.model.cohortwise.{name}.post-hook-1\ndelete from " in rendered, name
            assert f"{quote}{name}{quote} where " in rendered, name
        ran = {c["unique_id"]: c["status"] for c in report["comparisons"] if c["resource_type"] == "hook"}
        assert {ran.get(f"hook.model.cohortwise.{name}.post-hook-1") for name in deleting} == {"equal"}
        assert "{{" not in rendered
        assert any(path.name == "fct_events.sql" for path in compiled)
        # the incremental models once more, compiled as an incremental run would run them
        incremental = warehouse_run.out / f"{report['warehouse']}-incremental" / "compiled" / "cohortwise"
        compiled_incremental = {path.stem: path.read_text() for path in incremental.rglob("*.sql")}
        # the event-level models, and the append-only cohort history tables (written by hooks and the runner)
        history = {"cohort_computations", "cohort_membership_history", "cohort_run_log"}
        by_entity = set(INCREMENTAL_FUNNELS)
        if report["warehouse"] != "bigquery":
            by_entity |= set(INCREMENTAL_RETENTIONS)
        assert set(compiled_incremental) == set(INCREMENTAL_MODELS) | by_entity | history
        assert report["incremental_statements"] == len(INCREMENTAL_MODELS) + len(by_entity) + len(history)
        for name, sql in compiled_incremental.items():
            if name in history:
                continue
            assert "max(" in sql.lower(), f"{report['warehouse']} {name} was not compiled as an incremental run"
            if name in by_entity:
                assert "recomputed_entities" in sql, f"{report['warehouse']} {name} recomputes every entity"
            if name == "int_user_activity":
                assert "recomputed_users" in sql, f"{report['warehouse']} {name} recomputes every user"
        assert set(report["seconds"]) == {"compile", "dialect", "equivalence"}


def test_every_compiled_statement_passes_the_dialect_rules(warehouse_run: WarehouseRun) -> None:
    findings = [
        f"{r['warehouse']} {f['path']} [{f['rule']}] {f['message']}"
        for r in warehouse_run.reports
        for f in r["findings"]
    ]
    assert findings == []


def _expected_readers(folder: str, name: str) -> set[str]:
    """Who may read a model, from its folder and name alone: the analyst everything, operations the
    cohort tables, the BI reader the rpt_* reports."""
    return (
        {"analyst"}
        | ({"operations"} if folder in ("cohorts", "cohort_history") else set())
        | ({"bi_reader"} if name.startswith("rpt_") else set())
    )


def test_every_model_gets_the_grants_of_its_kind_on_each_warehouse(warehouse_run: WarehouseRun) -> None:
    for report in warehouse_run.reports:
        warehouse = report["warehouse"]
        roles = {grantee: role for role, grantees in GRANT_CHECK_ROLES[warehouse].items() for grantee in grantees}
        folders = (warehouse_run.out / warehouse / "compiled" / "cohortwise" / "models").iterdir()
        models = {path.stem: folder.name for folder in folders for path in folder.glob("*.sql")}  # not the tests
        text = (warehouse_run.out / f"{warehouse}-grants" / "statements.sql").read_text()
        readers: dict[str, set[str]] = {}
        usage: list[str] = []
        for block in text.split("-- cohortwise:grant ")[1:]:
            owner, _, statement = block.partition("\n")
            statement = " ".join(statement.split())
            assert statement.lower().startswith("grant "), statement
            granted = {role for grantee, role in roles.items() if grantee in statement}
            if owner.strip() == "on-run-end":
                usage.append(statement)
                assert granted == set(roles.values()), statement
                continue
            name = owner.strip().rsplit(".", 1)[-1]
            assert f"{name}`" in statement or f'"{name}"' in statement, statement  # on its own table
            readers.setdefault(name, set()).update(granted)
        assert set(readers) == set(models), set(models) ^ set(readers)
        wrong = {name: (readers[name], _expected_readers(folder, name)) for name, folder in models.items()}
        assert {name: pair for name, pair in wrong.items() if pair[0] != pair[1]} == {}
        assert report["grant_statements"] == len(text.split("-- cohortwise:grant ")) - 1 >= len(models)
        # Redshift checks schema usage before table grants; BigQuery and SQL Server do not need it
        assert (len(usage) == 1) == (warehouse == "redshift"), usage
        assert sum(name.startswith("rpt_") for name in models) >= 15


def test_every_warehouse_gives_the_native_rows_on_duckdb(warehouse_run: WarehouseRun) -> None:
    for report in warehouse_run.reports:
        models = [c for c in report["comparisons"] if c["resource_type"] == "model"]
        assert set(MAIN_TABLES) <= {c["name"] for c in models}
        assert any(c["name"].startswith("rpt_funnel") for c in models)
        tests = [c for c in report["comparisons"] if c["resource_type"] == "test"]
        assert len(tests) >= 40
        problems = [
            f"{c['name']}: {c['status']} {c['detail']}" for c in report["comparisons"] if c["status"] != "equal"
        ]
        assert problems == []


def test_sql_server_gets_windows_zone_names(warehouse_run: WarehouseRun) -> None:
    sql = next((warehouse_run.out / "sqlserver" / "compiled").rglob("assert_to_local_timestamp.sql")).read_text()
    assert "at time zone 'W. Europe Standard Time'" in sql
    assert "at time zone 'Eastern Standard Time'" in sql
    assert "Europe/Berlin" not in sql


def test_a_model_that_breaks_a_dialect_rule_fails_the_check(tmp_path: Path) -> None:
    """A copy of the project with one model that SQL Server would reject, and its post-hooks: the
    check must exit 1 and name each."""
    project = copy_project(tmp_path)
    (project / "models" / "marts" / "bad_limit.sql").write_text(
        "{{ config(post_hook=["
        "'delete from {{ this }} where event_id in (select event_id from {{ this }} order by event_id limit 1)', "
        '\'delete from {{ this }} where event_id = {{ var("some_id", "1") }}\']) }}\n'
        "select event_id from {{ ref('fct_events') }} order by event_id limit 10\n"
    )
    done = subprocess.run(
        [
            Path(sys.executable).parent / "cohortwise",
            "check-warehouses",
            "--project-dir",
            project,
            "--warehouse",
            "sqlserver",
            "--no-equivalence",
            "--out",
            tmp_path / "out",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "models/marts/bad_limit.sql: [tsql_limit]" in done.stdout
    # its post-hooks too: the first rendered and checked, the second one reported as not renderable
    assert "models/marts/bad_limit.sql (post-hook 1): [tsql_limit]" in done.stdout
    assert "models/marts/bad_limit.sql (post-hook 2): [unrendered_hook]" in done.stdout


# --- PostgreSQL, for real -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresServer]:
    with running_postgres() as server:
        yield server


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> NativeBuild:
    return build_native(ROOT, tmp_path_factory.mktemp("reference"))


PG_ROLES = {"analyst": ["cw_analyst"], "operations": ["cw_operations"], "bi_reader": ["cw_bi_reader"]}


@dataclass
class PostgresBuild:
    project: DbtProject
    vars: dict[str, Any]
    outcome: Any
    models: dict[str, str]  # model name -> its folder


@pytest.fixture(scope="module")
def postgres_build(postgres: PostgresServer, tmp_path_factory: pytest.TempPathFactory) -> PostgresBuild:
    """The sample seeded and built on PostgreSQL, with the three roles of cohortwise__roles created first."""
    tmp_path = tmp_path_factory.mktemp("postgres")
    connection = {"host": postgres.host, "port": postgres.port, "user": postgres.user, "dbname": postgres.dbname}
    with psycopg2.connect(**connection) as pg, pg.cursor() as cursor:
        for grantees in PG_ROLES.values():
            cursor.execute(f"create role {grantees[0]} login")
    profile = {
        "cohortwise": {
            "target": "postgres",
            "outputs": {
                "postgres": {
                    "type": "postgres",
                    "host": postgres.host,
                    "port": postgres.port,
                    "user": postgres.user,
                    "password": "",
                    "dbname": postgres.dbname,
                    "schema": "cohortwise",
                    "threads": 2,
                }
            },
        }
    }
    (tmp_path / "profiles.yml").write_text(json.dumps(profile))
    project = DbtProject(ROOT, tmp_path, "postgres", tmp_path / "target")
    vars = {**CHECK_VARS, "cohortwise__roles": PG_ROLES}
    seeded = invoke(project, ["seed"], vars=vars)
    assert seeded.success, seeded.error_lines()
    built = invoke(project, ["build", "--exclude", "resource_type:seed"], vars=vars)
    models = {
        r.node.name: Path(r.node.original_file_path).parent.name
        for r in built.result.results
        if str(r.node.resource_type) == "model"
    }
    return PostgresBuild(project, vars, built, models)


def test_postgres_builds_the_sample_and_matches_duckdb(
    postgres: PostgresServer, postgres_build: PostgresBuild, reference: NativeBuild
) -> None:
    project, built = postgres_build.project, postgres_build.outcome
    statuses = {r.node.unique_id: str(r.status) for r in built.result.results}
    failed = {
        node: status
        for node, status in statuses.items()
        if status not in ("pass", "success", "warn") and not node.startswith("exposure.")  # exposures: no-op
    }
    assert built.success and not failed, (failed, built.error_lines())
    assert sum(1 for node in statuses if node.startswith("unit_test.")) >= 5
    assert sum(1 for node in statuses if ".assert_" in node) >= 13  # the shim tests ran on PostgreSQL

    models = sorted(r.node.name for r in built.result.results if str(r.node.resource_type) == "model")
    assert set(MAIN_TABLES) <= set(models) and any(name.startswith("rpt_funnel") for name in models)
    with (
        psycopg2.connect(host=postgres.host, port=postgres.port, user=postgres.user, dbname=postgres.dbname) as pg,
        duckdb.connect(str(reference.database), read_only=True) as native,
    ):
        for table in models:
            with pg.cursor() as cursor:
                cursor.execute(f'select * from cohortwise."{table}"')
                pg_rows = ([d[0] for d in cursor.description], cursor.fetchall())
            cursor_native = native.execute(f'select * from main."{table}"')
            native_rows = ([d[0] for d in cursor_native.description], cursor_native.fetchall())
            # cohorts relative to the computation time may be empty on the March sample as of June
            assert len(native_rows[1]) > 0 or table.startswith("cohort_"), table
            # the registry names each cohort's relation in its own warehouse; computations record the
            # real clock of the run that wrote them
            skipped = {"cohort_registry": ("relation_name",), "cohort_computations": ("recorded_at",)}.get(table, ())
            assert _compare_rows(native_rows, pg_rows, skipped) == "", table

    # a second run is incremental on PostgreSQL too (delete+insert of the newest days, and of the
    # funnels' entities with events in them): same rows
    rerun = invoke(
        project,
        ["run", "--select", *INCREMENTAL_MODELS, *INCREMENTAL_FUNNELS, *INCREMENTAL_RETENTIONS, "quarantine_events"],
        vars=postgres_build.vars,
    )
    assert rerun.success, rerun.error_lines()
    compiled = {r.node.name: r.node.compiled_code for r in rerun.result.results}
    newest = {
        "int_events_audited": "max(case when quarantine_reason is null then partition_date end)",
        "fct_events": "max(event_date)",
        "fct_daily_activity": "max(activity_date)",
        "fct_entity_days": "max(activity_date)",
        "int_user_activity": "max(cast(last_seen_at as date))",
    } | {funnel: "max(cast(entered_at as date))" for funnel in INCREMENTAL_FUNNELS}
    newest |= {retention: "max(cast(cohort_started_at as date))" for retention in INCREMENTAL_RETENTIONS}
    with (
        psycopg2.connect(host=postgres.host, port=postgres.port, user=postgres.user, dbname=postgres.dbname) as pg,
        duckdb.connect(str(reference.database), read_only=True) as native,
    ):
        # each model recomputed from its newest day minus the lookback, looked up and written as a constant
        for table in (*INCREMENTAL_MODELS, *INCREMENTAL_FUNNELS, *INCREMENTAL_RETENTIONS):
            with pg.cursor() as cursor:
                cursor.execute(f'select {newest[table]} - 3 from cohortwise."{table}"')
                first_day = cursor.fetchone()[0]
            assert f"cast('{first_day.isoformat()}' as date)" in compiled[table], table
        for table in (*INCREMENTAL_MODELS, *INCREMENTAL_FUNNELS, *INCREMENTAL_RETENTIONS, "quarantine_events"):
            with pg.cursor() as cursor:
                cursor.execute(f'select * from cohortwise."{table}"')
                pg_rows = ([d[0] for d in cursor.description], cursor.fetchall())
            cursor_native = native.execute(f'select * from main."{table}"')
            native_rows = ([d[0] for d in cursor_native.description], cursor_native.fetchall())
            assert _compare_rows(native_rows, pg_rows, ()) == "", f"{table} after an incremental run"


def test_postgres_roles_read_what_their_grants_allow(postgres: PostgresServer, postgres_build: PostgresBuild) -> None:
    """Connected as each role: the analyst reads every model, operations the cohort tables, the BI
    reader only the rpt_* reports; everything else is refused with PostgreSQL's permission error."""
    assert postgres_build.outcome.success
    models = postgres_build.models
    assert sum(name.startswith("rpt_") for name in models) >= 15 and "cohort_registry" in models
    for role, grantees in PG_ROLES.items():
        readable = set()
        pg = psycopg2.connect(host=postgres.host, port=postgres.port, user=grantees[0], dbname=postgres.dbname)
        pg.autocommit = True  # a refused select must not abort the next one
        try:
            for name in models:
                with pg.cursor() as cursor:
                    try:
                        cursor.execute(f'select count(*) from cohortwise."{name}"')
                    except psycopg2.errors.InsufficientPrivilege:
                        continue
                    assert cursor.fetchone() is not None
                    readable.add(name)
        finally:
            pg.close()
        expected = {name for name, folder in models.items() if role in _expected_readers(folder, name)}
        assert readable == expected, (role, sorted(readable ^ expected))
        assert expected  # every role reads something


def test_bad_roles_fail_at_parse_time_naming_the_grantee(compile_project: DbtProject) -> None:
    cases = {
        "x; drop table fct_events": 'grantee "x; drop table fct_events" is not a plain name',
        "a--b": 'grantee "a--b" is not a plain name',
    }
    for grantee, message in cases.items():
        outcome = invoke(compile_project, ["parse"], vars={"cohortwise__roles": {"bi_reader": [grantee]}})
        text = "\n".join(outcome.error_lines()) + str(outcome.exception or "")
        assert not outcome.success and message in text and "cohortwise__roles.bi_reader" in text, text
    outcome = invoke(compile_project, ["parse"], vars={"cohortwise__roles": {"readers": ["x"]}})
    assert not outcome.success
    assert "unknown role 'readers'" in "\n".join(outcome.error_lines()) + str(outcome.exception or "")


def test_the_windows_zone_table_is_cldrs() -> None:
    """macros/cross_db/_windows_zones.sql is generated; it must match the installed CLDR data."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "generate_windows_zones", ROOT / "scripts" / "generate_windows_zones.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    committed = (ROOT / "macros" / "cross_db" / "_windows_zones.sql").read_text()
    assert committed == module.render()
    assert '"Europe/Berlin": "W. Europe Standard Time"' in committed
    assert '"Asia/Kolkata": "India Standard Time"' in committed


@pytest.mark.parametrize(
    ("assume", "expected"), [(True, "select 1 as incremental"), (False, "select 0 as incremental")]
)
def test_is_incremental_run_answers_offline_from_a_var(tmp_path: Path, assume: bool, expected: str) -> None:
    from cohortwise.warehouses.offline import OFFLINE_PROFILES

    project = DbtProject(ROOT, OFFLINE_PROFILES, "sqlserver", tmp_path / "target")
    outcome = invoke(
        project,
        [
            "compile",
            "--no-populate-cache",
            "--inline",
            "select {{ 1 if cohortwise.is_incremental_run() else 0 }} as incremental",
        ],
        vars={**CHECK_VARS, "cohortwise__offline_compile": True, "cohortwise__assume_incremental": assume},
    )
    assert outcome.success, outcome.error_lines()
    assert outcome.result.results[0].node.compiled_code.strip() == expected


def test_bigquery_integer_division_keeps_its_grouping(tmp_path: Path) -> None:
    path = tmp_path / "native.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create table main.weeks as select 6478 as week_number")
    model = _model("weeks", "select div(45350 + 0, 7) as week_number")
    [result] = compare_warehouse("bigquery", [model], path, [model])
    assert (result.status, result.detail) == ("equal", "")
