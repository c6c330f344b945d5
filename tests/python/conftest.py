"""Shared fixtures: real dbt builds on real DuckDB files in a temporary folder."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest

from cohortwise.datagen import DuckDBSink, GenerationReport, GeneratorConfig, generate
from cohortwise.dbt import DbtOutcome, DbtProject, invoke

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_VARS = {
    "cohortwise__events_schema": None,  # the target schema, where dbt seed puts the sample
    "cohortwise__events_identifier": "sample_events",
    "cohortwise__users_schema": None,
    "cohortwise__users_identifier": "sample_users",
}


def write_profiles(folder: Path, duckdb_path: Path, extra_outputs: dict[str, Any] | None = None) -> Path:
    """A profiles.yml for tests: an explicit DuckDB path instead of environment variables."""
    folder.mkdir(parents=True, exist_ok=True)
    outputs: dict[str, Any] = {"duckdb": {"type": "duckdb", "path": str(duckdb_path), "schema": "main", "threads": 2}}
    outputs.update(extra_outputs or {})
    profile = {"cohortwise": {"target": "duckdb", "outputs": outputs}}
    (folder / "profiles.yml").write_text(json.dumps(profile, indent=2))  # JSON is YAML
    return folder


@dataclass
class Build:
    """A DuckDB file built by `dbt build`, and what dbt said."""

    database: Path
    project: DbtProject
    outcome: DbtOutcome
    vars: dict[str, Any]

    def query(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        with duckdb.connect(str(self.database), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()

    def statuses(self) -> dict[str, str]:
        return {result.node.unique_id: str(result.status) for result in self.outcome.result.results}


def varchar_storage(con: duckdb.DuckDBPyConnection, table: str) -> tuple[set[str], dict[str, list[str]]]:
    """A DuckDB table's text columns declared `USING COMPRESSION Uncompressed` in its DDL, and the
    compressions its stored segments of each text column use."""
    ddl = con.execute("select sql from duckdb_tables() where table_name = ?", [table]).fetchone()
    assert ddl is not None, table
    declared = set(re.findall(r"\"?(\w+)\"? \w+ USING COMPRESSION Uncompressed", ddl[0]))
    stored = con.execute(
        "select column_name, list(distinct compression order by compression) from pragma_storage_info(?)"
        " where segment_type = 'VARCHAR' group by column_name",
        [table],
    ).fetchall()
    return declared, dict(stored)


def copy_project(tmp: Path) -> Path:
    """A copy of the dbt project that a test may change (models written, descriptions removed)."""
    project = tmp / "project"
    ignored = shutil.ignore_patterns(".venv", "target", "data", "logs", ".git", "*.duckdb", "integration_tests")
    shutil.copytree(ROOT, project, ignore=ignored)
    return project


def dbt_project(tmp: Path, database: Path, project_dir: Path = ROOT) -> DbtProject:
    profiles = write_profiles(tmp / "profiles", database)
    return DbtProject(project_dir=project_dir, profiles_dir=profiles, target="duckdb", target_path=tmp / "target")


def dbt(project: DbtProject, *command: str, vars: dict[str, Any] | None = None) -> DbtOutcome:
    return invoke(project, list(command), vars=vars)


@pytest.fixture(scope="session")
def compile_project(tmp_path_factory: pytest.TempPathFactory) -> DbtProject:
    """The project with a DuckDB profile and no data: for compile-time validation tests."""
    tmp = tmp_path_factory.mktemp("validation")
    return dbt_project(tmp, tmp / "validation.duckdb")


def inline_compile_error(project: DbtProject, inline: str) -> str:
    """`dbt compile --inline` that must fail; the text of its error."""
    outcome = invoke(project, ["compile", "--inline", inline])
    assert not outcome.success, f"compiled without error: {inline}"
    return "\n".join(outcome.error_lines()) + str(outcome.exception or "")


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Build]:
    """The seed sample built from scratch: `dbt seed`, then `dbt build` (models, data and unit tests)."""
    tmp = tmp_path_factory.mktemp("sample")
    database = tmp / "sample.duckdb"
    project = dbt_project(tmp, database)
    seeded = dbt(project, "seed", vars=SAMPLE_VARS)
    assert seeded.success, seeded.error_lines()
    built = dbt(project, "build", vars=SAMPLE_VARS)
    yield Build(database, project, built, SAMPLE_VARS)


@dataclass
class GeneratedBuild(Build):
    report: GenerationReport | None = None


@pytest.fixture(scope="session")
def generated_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GeneratedBuild]:
    """Generated data (with bad rows of every reason) in raw.*, built with the default vars."""
    tmp = tmp_path_factory.mktemp("generated")
    database = tmp / "generated.duckdb"
    report = generate(GeneratorConfig(users=1500, days=60, bad_row_rate=0.03, seed=7), DuckDBSink(database))
    project = dbt_project(tmp, database)
    built = dbt(project, "build")
    yield GeneratedBuild(database, project, built, {}, report)
