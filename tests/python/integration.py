"""The integration_tests/ dbt project (cohortwise installed as a package), for the analysis tests."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from cohortwise.dbt import DbtOutcome, DbtProject, invoke
from tests.python.conftest import ROOT, write_profiles

INTEGRATION = ROOT / "integration_tests"
# the package's sources pointed at raw.events / raw.users, which write_raw fills
RAW_VARS = {
    "cohortwise__events_schema": "raw",
    "cohortwise__events_identifier": "events",
    "cohortwise__users_schema": "raw",
    "cohortwise__users_identifier": "users",
}


@dataclass(frozen=True)
class Event:
    entity: str
    event_id: str
    at: datetime  # UTC
    name: str
    props: dict[str, str | None] = field(default_factory=dict, hash=False, compare=False)


@dataclass
class Project:
    project: DbtProject
    database: Path

    def dbt(self, *command: str, vars: dict[str, Any] | None = None) -> DbtOutcome:
        return invoke(self.project, list(command), vars=vars)

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        with duckdb.connect(str(self.database), read_only=True) as con:
            return con.execute(sql).fetchall()


def integration_project(tmp: Path) -> Project:
    """A fresh DuckDB file and target folder for integration_tests/, its package installed."""
    database = tmp / "integration.duckdb"
    profiles = write_profiles(tmp / "profiles", database)
    installed = invoke(DbtProject(INTEGRATION, profiles, "duckdb"), ["deps"])  # deps takes no --target-path
    assert installed.success, installed.error_lines()
    return Project(DbtProject(INTEGRATION, profiles, "duckdb", tmp / "target"), database)


def write_raw(database: Path, events: list[Event]) -> None:
    """The events as the raw relation of the data contract (text times), and an empty users table."""
    with duckdb.connect(str(database)) as con:
        con.execute("create schema if not exists raw")
        con.execute(
            "create or replace table raw.events (event_id varchar, user_id varchar, device_id varchar,"
            " account_id varchar, event_name varchar, event_time varchar, loaded_at varchar, properties varchar)"
        )
        con.executemany(
            "insert into raw.events values (?, ?, null, null, ?, ?, ?, ?)",
            [
                (
                    e.event_id,
                    e.entity,
                    e.name,
                    e.at.strftime("%Y-%m-%d %H:%M:%S"),
                    e.at.strftime("%Y-%m-%d %H:%M:%S"),
                    json.dumps(e.props),
                )
                for e in events
            ],
        )
        con.execute(
            "create or replace table raw.users (user_id varchar, signed_up_at varchar, updated_at varchar,"
            " country varchar, platform varchar, plan varchar, properties varchar)"
        )
