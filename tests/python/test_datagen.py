"""The synthetic data generator: deterministic, realistic in shape, honest about its bad rows."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest

from cohortwise.datagen import DuckDBSink, GeneratorConfig, ParquetSink, generate
from tests.python.conftest import ROOT

SMALL = GeneratorConfig(users=800, days=60, events_per_user=20, seed=3, bad_row_rate=0.02, chunk_users=300)


def _write(tmp: Path, name: str, config: GeneratorConfig) -> Path:
    path = tmp / f"{name}.duckdb"
    generate(config, DuckDBSink(path))
    return path


def _rows(path: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_same_arguments_give_the_same_rows(tmp_path: Path) -> None:
    first = _write(tmp_path, "a", SMALL)
    second = _write(tmp_path, "b", SMALL)
    other = _write(tmp_path, "c", GeneratorConfig(**{**SMALL.__dict__, "seed": 4}))
    query = "select * from raw.events order by event_id, loaded_at"
    assert _rows(first, query) == _rows(second, query)
    assert _rows(first, query) != _rows(other, query)


def test_report_matches_the_written_rows(tmp_path: Path) -> None:
    path = tmp_path / "g.duckdb"
    report = generate(SMALL, DuckDBSink(path))
    total, ids = _rows(
        path, "select count(*), count(distinct event_id) filter (where trim(event_id) <> '') from raw.events"
    )[0]
    assert total == report.events_total == report.events_clean + sum(report.bad_rows.values())
    # clean rows have unique ids; duplicates reuse one; every other bad row has a fresh or blank id
    assert report.bad_rows["duplicate_event_id"] > 0
    blank = _rows(path, "select count(*) from raw.events where trim(event_id) = ''")[0][0]
    assert blank == report.bad_rows["missing_event_id"]
    assert ids == total - report.bad_rows["duplicate_event_id"] - blank
    assert _rows(path, "select count(*) from raw.users")[0][0] == SMALL.users
    future = _rows(path, "select count(*) from raw.events where event_time like '209%'")[0][0]
    assert future == report.bad_rows["future_event_time"]


def test_no_bad_rows_when_the_rate_is_zero(tmp_path: Path) -> None:
    path = tmp_path / "clean.duckdb"
    report = generate(GeneratorConfig(users=200, bad_row_rate=0.0), DuckDBSink(path))
    assert sum(report.bad_rows.values()) == 0
    assert _rows(path, "select count(*) = count(distinct event_id) from raw.events") == [(True,)]
    assert _rows(path, "select count(*) from raw.events where not json_valid(properties)") == [(0,)]


def test_behaviour_looks_like_a_product(tmp_path: Path) -> None:
    path = _write(tmp_path, "shape", GeneratorConfig(users=3000, days=90, bad_row_rate=0.0, seed=11))
    # the purchase path loses users at every step
    steps = dict(
        _rows(
            path,
            "select event_name, count(distinct user_id) from raw.events"
            " where event_name in ('view_item', 'add_to_cart', 'place_order', 'pay_order') group by 1",
        )
    )
    assert steps["view_item"] > steps["add_to_cart"] > steps["place_order"] > steps["pay_order"] > 0
    # retention decays: fewer users come back in their 4th week than in their 1st
    weekly = dict(
        _rows(
            path,
            """
            with users as (select user_id, cast(signed_up_at as timestamp) as signed_up_at from raw.users),
            active as (
                select distinct
                    e.user_id,
                    date_diff('day', u.signed_up_at, cast(e.event_time as timestamp)) // 7 as week
                from raw.events as e inner join users as u on e.user_id = u.user_id
                where u.signed_up_at < timestamp '2024-02-01'
            )
            select week, count(*) from active where week in (1, 4) group by week
            """,
        )
    )
    assert weekly[1] > weekly[4] > 0
    # sign-ups are spread over the whole period
    months = _rows(path, "select count(distinct substr(signed_up_at, 1, 7)) from raw.users")[0][0]
    assert months == 3
    # anonymous events (device only) and account-level events exist
    anonymous = _rows(path, "select count(*) from raw.events where user_id is null and device_id is not null")[0][0]
    account_only = _rows(path, "select count(*) from raw.events where user_id is null and device_id is null")[0][0]
    assert anonymous > 0 and account_only > 0
    # the mean number of events per user is near what was asked for
    per_user = _rows(path, "select count(*) / 3000.0 from raw.events")[0][0]
    assert 17 < per_user < 23
    # every event time lies in the period and every property document is JSON
    bounds = _rows(path, "select min(event_time) >= '2024-01-01', max(event_time) < '2024-03-31' from raw.events")
    assert bounds == [(True, True)]


def test_parquet_and_duckdb_outputs_hold_the_same_rows(tmp_path: Path) -> None:
    path = _write(tmp_path, "d", SMALL)
    generate(SMALL, ParquetSink(tmp_path / "pq"))
    with duckdb.connect() as con:
        from_parquet = con.execute(
            f"select * from read_parquet('{tmp_path / 'pq' / 'events.parquet'}') order by event_id, loaded_at"
        ).fetchall()
    assert from_parquet == _rows(path, "select * from raw.events order by event_id, loaded_at")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("users", 0, "users must be at least 1"), ("bad_row_rate", 1.5, "bad_row_rate must be in [0, 1)")],
)
def test_bad_arguments_are_refused(field: str, value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace(")", r"\)")):
        GeneratorConfig(**{field: value}).validate()  # type: ignore[arg-type]


def test_script_writes_a_report_and_refuses_bad_input(tmp_path: Path) -> None:
    script = ROOT / "scripts" / "generate_events.py"
    report = tmp_path / "report.json"
    done = subprocess.run(
        [
            sys.executable,
            script,
            "--users",
            "300",
            "--days",
            "30",
            "--seed",
            "5",
            "--start-date",
            "2024-05-01",
            "--duckdb",
            tmp_path / "s.duckdb",
            "--report",
            report,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    counts = json.loads(report.read_text())
    assert counts["users"] == 300
    assert counts["first_event_at"] >= str(date(2024, 5, 1))
    bad = subprocess.run(
        [sys.executable, script, "--users", "10", "--bad-row-rate", "2", "--parquet", tmp_path / "p"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2
    assert bad.stderr.strip().splitlines() == ["generate_events: bad_row_rate must be in [0, 1), got 2.0"]
