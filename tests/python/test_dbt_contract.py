"""The dbt side of the data contract: compile-time validation, the escaping helper, packaging."""

from __future__ import annotations

import importlib
import re
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest

from cohortwise.dbt import DbtProject
from tests.python.conftest import ROOT, SAMPLE_VARS, Build, copy_project, dbt, varchar_storage, write_profiles


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> DbtProject:
    tmp = tmp_path_factory.mktemp("contract")
    profiles = write_profiles(tmp / "profiles", tmp / "contract.duckdb")
    return DbtProject(ROOT, profiles, "duckdb", tmp / "target")


def _compile_error(project: DbtProject, vars: dict[str, Any], select: str = "fct_events") -> str:
    outcome = dbt(project, "compile", "--select", select, vars=vars)
    assert not outcome.success, "compile should have failed"
    return "\n".join(outcome.error_lines()) + str(outcome.exception or "")


@pytest.mark.parametrize(
    ("vars", "select", "expected"),
    [
        (
            {"cohortwise__promoted_properties": {"amount": "money"}},
            "fct_events",
            "var 'cohortwise__promoted_properties': type of 'amount' must be one of",
        ),
        (
            {"cohortwise__promoted_properties": {"event_name": "text"}},
            "fct_events",
            "'event_name' clashes with a canonical event column",
        ),
        (
            {"cohortwise__events_columns": {"event_id": "id; drop table x"}},
            "stg_events",
            "'id; drop table x' is not a plain column name",
        ),
        ({"cohortwise__events_columns": {"event_idx": "id"}}, "stg_events", "unknown column 'event_idx'"),
        ({"cohortwise__events_columns": {"event_time": None}}, "stg_events", "column 'event_time' is required"),
        (
            {"cohortwise__events_time_type": "epoch"},
            "stg_events",
            "var 'cohortwise__events_time_type': must be text, timestamp or timestamptz",
        ),
        (
            {"cohortwise__user_attributes": ["country", "has_profile"]},
            "stg_users",
            "'has_profile' clashes with a column cohortwise defines",
        ),
        (
            {"cohortwise__future_tolerance_hours": -1},
            "int_events_audited",
            "var 'cohortwise__future_tolerance_hours': must be a number of hours >= 0",
        ),
        (
            {"cohortwise__as_of": "last tuesday"},
            "int_events_audited",
            "var 'cohortwise__as_of' must look like 'YYYY-MM-DD HH:MM:SS'",
        ),
    ],
)
def test_bad_definitions_fail_at_compile_time_naming_the_model_and_var(
    project: DbtProject, vars: dict[str, Any], select: str, expected: str
) -> None:
    message = _compile_error(project, vars, select)
    assert expected in message
    assert "cohortwise" in message


def test_errors_name_the_model(project: DbtProject) -> None:
    message = _compile_error(project, {"cohortwise__promoted_properties": {"amount": "money"}})
    # whichever model reads the var first (fct_events, a funnel filtering on a property, the KPIs' spend) is named
    assert re.search(
        r"cohortwise: in model '(fct_events|funnel_\w+|rpt_segment_kpis_monthly)':"
        r" var 'cohortwise__promoted_properties'",
        message,
    )


def _show(project: DbtProject, sql: str, vars: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
    outcome = dbt(project, "show", "--inline", sql, "--limit", "-1", vars=vars)
    assert outcome.success, outcome.error_lines()
    return [tuple(row) for row in outcome.result.results[0].agate_table.rows]


def test_the_escaping_helper_turns_any_string_into_data(project: DbtProject) -> None:
    nasty = "O'Brien's \"cart\"; drop table x; -- \\ ' end"
    rows = _show(project, "select {{ cohortwise.literal(var('s')) }} as v", {"s": nasty})
    assert rows == [(nasty,)]


def test_the_escaping_helper_keeps_numbers_booleans_and_null(project: DbtProject) -> None:
    rows = _show(
        project,
        "select {{ cohortwise.literal(3) }} as i, {{ cohortwise.literal(2.5) }} as f,"
        " {{ cohortwise.literal(true) }} as b, {{ cohortwise.literal(none) }} as n",
    )
    assert [tuple(str(value) for value in row) for row in rows] == [("3", "2.5", "True", "None")]


def test_event_property_reads_any_json_property(sample_build: Build) -> None:
    project = sample_build.project
    rows = _show(
        project,
        "select event_id, {{ cohortwise.event_property('query') }} as query,"
        " {{ cohortwise.event_property('amount', 'float') }} as amount"
        " from {{ ref('fct_events') }} where event_id in ('e0196', 'e0029', 'e0006')",
        SAMPLE_VARS,
    )
    # agate hands numbers back as Decimal
    assert {row[0]: (row[1], None if row[2] is None else float(row[2])) for row in rows} == {
        "e0196": (None, None),  # "n/a" is not a float
        "e0029": ("games", None),  # a search: a query, no amount
        "e0006": (None, 19.9),
    }


def test_fct_events_reads_its_promoted_properties_as_event_property_does(sample_build: Build) -> None:
    """On DuckDB fct_events reads all promoted properties in one pass; each must equal a read of its own."""
    columns = {"amount": "numeric", "product_category": "text", "platform": "text"}
    mismatches = " or ".join(
        f"{name} is distinct from {{{{ cohortwise.event_property('{name}', '{type_name}') }}}}"
        for name, type_name in columns.items()
    )
    counts = ", ".join(f"count({name})" for name in columns)
    rows = _show(
        sample_build.project,
        f"select count(case when {mismatches} then 1 end), count(*), {counts} from {{{{ ref('fct_events') }}}}",
        SAMPLE_VARS,
    )
    mismatched, total, *present = rows[0]
    assert mismatched == 0
    # every column is read for some events and missing or not of its type for others
    assert all(0 < count < total for count in present), (total, present)


def test_event_property_refuses_a_name_it_cannot_quote(project: DbtProject) -> None:
    outcome = dbt(project, "show", "--inline", "select {{ cohortwise.event_property('a\"b') }} as v")
    assert not outcome.success
    assert "argument 'name' of event_property" in "\n".join(outcome.error_lines()) + str(outcome.exception)


# the one deliberate override of an adapter macro: it hands every model without
# cohortwise_uncompressed_columns, and every temporary table, back to the adapter's own macro
DELIBERATE_OVERRIDES = {"duckdb__create_table_as"}


def test_no_macro_shadows_a_dbt_builtin() -> None:
    """A root-project macro named like a dbt macro replaces it everywhere (safe_cast broke unit tests)."""
    pattern = re.compile(r"{%-?\s*macro\s+([a-zA-Z_0-9]+)")
    builtin: set[str] = set()
    include_dir = Path(next(iter(importlib.import_module("dbt.include").__path__)))
    for include in include_dir.glob("*/macros/**/*.sql"):
        builtin.update(pattern.findall(include.read_text()))
    ours = {name for path in (ROOT / "macros").rglob("*.sql") for name in pattern.findall(path.read_text())}
    assert len(builtin) > 300 and len(ours) > 30
    assert ours & builtin == DELIBERATE_OVERRIDES


def test_installs_as_a_package_in_another_project(tmp_path: Path) -> None:
    consumer = tmp_path / "consumer"
    (consumer / "models").mkdir(parents=True)
    (consumer / "dbt_project.yml").write_text(
        "name: consumer\nversion: '1.0'\nconfig-version: 2\nprofile: cohortwise\n"
        "flags: {send_anonymous_usage_stats: false}\n"
    )
    (consumer / "packages.yml").write_text(f"packages:\n  - local: {ROOT}\n")
    (consumer / "models" / "big_orders.sql").write_text(
        "select event_id from {{ ref('cohortwise', 'fct_events') }}\n"
        "where {{ cohortwise.event_property('amount', 'numeric') }} > {{ cohortwise.literal(100) }}\n"
    )
    profiles = write_profiles(tmp_path / "profiles", tmp_path / "consumer.duckdb")
    project = DbtProject(consumer, profiles, "duckdb")
    installed = dbt(project, "deps")
    assert installed.success, installed.error_lines()
    compiled = dbt(project, "compile", "--select", "big_orders")
    assert compiled.success, compiled.error_lines()
    sql = (consumer / "target" / "compiled" / "consumer" / "models" / "big_orders.sql").read_text()
    assert "json_extract_string(properties, '$.\"amount\"')" in sql
    shutil.rmtree(consumer / "dbt_packages", ignore_errors=True)


def test_uncompressed_columns_are_stored_plain_and_a_wrong_name_fails_naming_the_model(tmp_path: Path) -> None:
    project_dir = copy_project(tmp_path)
    (project_dir / "models" / "zz_plain_ids.sql").write_text(
        "{{ config(materialized='table', cohortwise_uncompressed_columns=['id'],"
        " sql_header=\"set variable label = 'same label';\") }}\n"
        "select 'id_' || cast(i as varchar) as id, getvariable('label') as label, i from range(3000) as t(i)\n"
    )
    (project_dir / "models" / "zz_plain_typo.sql").write_text(
        "{{ config(materialized='table', cohortwise_uncompressed_columns=['idd']) }}\nselect 'a' as id, 1 as n\n"
    )
    database = tmp_path / "plain.duckdb"
    project = DbtProject(project_dir, write_profiles(tmp_path / "profiles", database), "duckdb", tmp_path / "target")
    outcome = dbt(project, "run", "--select", "zz_plain_ids", "zz_plain_typo")
    assert not outcome.success
    statuses = {r.node.name: str(r.status) for r in outcome.result.results if r.node.resource_type == "model"}
    assert statuses == {"zz_plain_ids": "success", "zz_plain_typo": "error"}
    message = next(r.message for r in outcome.result.results if r.node.name == "zz_plain_typo")
    assert "model zz_plain_typo" in message and "'idd'" in message and "id, n" in message
    with duckdb.connect(str(database), read_only=True) as con:
        declared, stored = varchar_storage(con, "zz_plain_ids")
        assert declared == {"id"}
        assert stored["id"] == ["Uncompressed"] and stored["label"] != ["Uncompressed"]
        rows = con.execute("select id, label, i from zz_plain_ids order by i").fetchall()
    assert rows == [(f"id_{i}", "same label", i) for i in range(3000)]
