"""Retention: the integration project's hand-written unit tests, and random events against a reference."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.python.integration import RAW_VARS, Event, Project, integration_project, write_raw
from tests.python.retention_reference import Row, retention

RANDOM_RETENTION: dict[str, dict[str, Any]] = {
    "random_retention_day": {"start": "a", "returns": "b", "unit": "day", "periods": 7},
    "random_retention_week": {
        "start": "a",
        "returns": "*",
        "unit": "week",
        "periods": 4,
        "recurring": True,
        "zone": "Asia/Tokyo",
        "first_day": "sunday",
    },
    "random_retention_month": {"start": "a", "returns": "b", "unit": "month", "periods": 3, "zone": "America/New_York"},
    "random_retention_rolling": {
        "start": "a",
        "returns": "b",
        "unit": "day",
        "periods": 7,
        "recurring": True,
        "rolling": True,
        "zone": "Europe/Berlin",
    },
    "random_retention_rolling_week": {
        "start": "*",
        "returns": "a",
        "unit": "week",
        "periods": 3,
        "rolling": True,
        "date_from": date(2024, 2, 1),
        "date_to": date(2024, 6, 1),
    },
}


def random_events(seed: int, entities: int = 300) -> list[Event]:
    """Users who come back in bursts over six months, around midnights and DST changes too."""
    rng = random.Random(seed)
    events: list[Event] = []
    serial = 0
    for number in range(entities):
        entity = f"r{number:04d}"
        at = datetime(2024, 1, 1) + timedelta(minutes=rng.randrange(0, 170 * 24 * 60))
        for _ in range(rng.randint(1, 30)):
            serial += 1
            events.append(Event(entity, f"x{serial:06d}", at, rng.choice(["a", "a", "b", "b", "b", "c"])))
            gap = rng.choice(
                [
                    timedelta(minutes=rng.randrange(1, 120)),
                    timedelta(hours=rng.randrange(1, 72)),
                    timedelta(days=rng.randrange(1, 40)),
                ]
            )
            at = at + gap
            if at >= datetime(2024, 7, 15):
                break
    return events


def _sql_rows(project: Project, model: str) -> set[Row]:
    return {
        (entity, cohort, int(number), bool(retained), None if last is None else int(last))
        for entity, cohort, number, retained, last in project.query(
            f"select entity_id, cohort_period, period_number, is_retained, last_return_period from main.{model}"
        )
    }


@pytest.fixture(scope="module", params=[True, False], ids=["daily-tables", "events"])
def random_retention(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> tuple[Project, list[Event]]:
    """The random retention models built twice: from the daily tables where allowed, and from fct_events."""
    project = integration_project(tmp_path_factory.mktemp("random_retention"))
    events = random_events(seed=7)
    write_raw(project.database, events)
    # a computation time after the data, or the later events would be quarantined as future ones
    vars = {
        "run_random_funnels": True,
        "cohortwise__as_of": "2024-12-31 00:00:00",
        "cohortwise__analyses_read_daily_activity": request.param,
        **RAW_VARS,
    }
    built = project.dbt("run", "--select", "+path:models/random", vars=vars)
    assert built.success, built.error_lines()
    return project, events


@pytest.mark.parametrize("model", sorted(RANDOM_RETENTION))
def test_random_events_match_the_reference(random_retention: tuple[Project, list[Event]], model: str) -> None:
    project, events = random_retention
    spec = dict(RANDOM_RETENTION[model])
    returns_anything = spec["returns"] == "*"
    expected = retention(
        events,
        spec.pop("start"),
        spec.pop("returns"),
        spec.pop("unit"),
        spec.pop("periods"),
        spec.pop("date_from", date(2024, 1, 1)),
        spec.pop("date_to", date(2024, 7, 1)),
        **spec,
    )
    actual = _sql_rows(project, model)
    assert len({(row[0], row[1]) for row in expected}) > 100, "many memberships expected"
    assert any(row[2] > 0 for row in expected)
    # when any event is a return, the start event itself makes every period 0 retained
    assert any(not row[3] for row in expected) != returns_anything
    assert sorted(expected - actual)[:5] == [] and sorted(actual - expected)[:5] == []


def test_the_report_agrees_with_the_per_entity_rows(tmp_path: Path) -> None:
    """The demo's reports on the sample: cohort sizes and retained counts recounted from the rows."""
    from tests.python.conftest import SAMPLE_VARS, dbt_project

    project = dbt_project(tmp_path, tmp_path / "retention.duckdb")
    from cohortwise.dbt import invoke

    assert invoke(project, ["seed"], vars=SAMPLE_VARS).success
    built = invoke(project, ["run", "--select", "+path:models/retention"], vars=SAMPLE_VARS)
    assert built.success, built.error_lines()
    import duckdb

    with duckdb.connect(str(tmp_path / "retention.duckdb"), read_only=True) as con:
        report = con.execute(
            "select cohort_period, period_number, cohort_size, retained_entities from rpt_retention_daily"
        ).fetchall()
        rows = con.execute(
            "select entity_id, cohort_period, period_number, is_retained from retention_daily"
        ).fetchall()
    sizes: dict[Any, int] = {}
    retained: dict[Any, int] = {}
    for _, cohort, number, is_retained in rows:
        if number == 0:
            sizes[cohort] = sizes.get(cohort, 0) + 1
        if is_retained:
            retained[(cohort, number)] = retained.get((cohort, number), 0) + 1
    assert len(report) == len(sizes) * 31
    for cohort, number, size, count in report:
        assert (size, count) == (sizes[cohort], retained.get((cohort, number), 0))
    # by hand: the six users who signed up in the sample, each on a different day
    assert sorted(sizes.values()) == [1] * 6


# --- cost -------------------------------------------------------------------------------------------


def test_repeated_events_do_not_multiply_rows(tmp_path: Path) -> None:
    """One user with 1,000 starts and 1,000 returns over four days, recurring and rolling: returns
    meet at most the memberships of the 8 periods before them, so no operator holds more than a
    few rows per event (every start with every return would be 500,000)."""
    import json

    project = integration_project(tmp_path)
    events = [
        Event("heavy", f"h{i:05d}", datetime(2024, 3, 1) + timedelta(minutes=6 * i), "a" if i % 2 == 0 else "b")
        for i in range(2000)
    ]
    write_raw(project.database, events)
    vars = {
        "run_random_funnels": True,
        "cohortwise__as_of": "2024-12-31 00:00:00",
        # every event, not the daily tables (which hold one row per entity and day by construction)
        "cohortwise__analyses_read_daily_activity": False,
        **RAW_VARS,
    }
    built = project.dbt("run", "--select", "+random_retention_rolling", "+random_retention_day", vars=vars)
    assert built.success, built.error_lines()
    target = tmp_path / "target" / "compiled" / "cohortwise_integration_tests" / "models" / "random"
    for model in ("random_retention_rolling", "random_retention_day"):
        profile = tmp_path / f"{model}.json"
        import duckdb

        with duckdb.connect(str(project.database)) as con:
            con.execute("pragma enable_profiling = 'json'")
            con.execute(f"pragma profiling_output = '{profile}'")
            con.execute((target / f"{model}.sql").read_text()).fetchall()
            con.execute("pragma disable_profiling")
        largest = max(_operator_rows(json.loads(profile.read_text())))
        # at least the 1,000 start events pass through some operator (the profile is real); no
        # operator holds more than a few rows per event
        assert len(events) // 2 <= largest <= 10 * len(events), f"{model}: an operator produced {largest} rows"


def _operator_rows(node: dict[str, Any]) -> Any:
    for child in node.get("operator", []) + node.get("children", []):
        yield int(child.get("intermediate_rows", 0))
        yield from _operator_rows(child)


# --- validation -----------------------------------------------------------------------------------

BASE = "start_event='a', return_event='b', date_range={'from': '2024-01-01', 'to': '2024-02-01'}"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (f"{BASE}, period='year'", "argument 'period': must be day, week or month"),
        (f"{BASE}, periods=91", "argument 'periods': must be a whole number from 1 to 90 for day periods"),
        (f"{BASE}, period='week', periods=0", "argument 'periods': must be a whole number from 1 to 52"),
        (f"{BASE}, cohort_mode='every_time'", "argument 'cohort_mode': must be first_time or recurring"),
        (f"{BASE}, criterion='after'", "argument 'criterion': must be on or on_or_after"),
        (f"{BASE}, boundaries='sliding'", "argument 'boundaries': must be calendar or rolling"),
        (f"{BASE}, first_day_of_week='Sunday'", "argument 'first_day_of_week': must be a weekday name"),
        (f"{BASE}, timezone='Europe/Atlantis'", "argument 'timezone': must be an IANA time zone"),
        (
            "start_event={'event': 'a', 'where': [{'property': 'p', 'op': '~'}]}, return_event='b',"
            " date_range={'last_days': 30}",
            "argument 'start_event.where[0].op': unknown operator '~'",
        ),
        ("start_event='a', return_event='', date_range={'last_days': 30}", "argument 'return_event.event'"),
        ("start_event='a', return_event='b', date_range={'last_days': 30.5}", "argument 'date_range.last_days'"),
    ],
)
def test_bad_retention_definitions_fail_at_compile_time(compile_project: Any, arguments: str, message: str) -> None:
    from tests.python.conftest import inline_compile_error

    text = inline_compile_error(compile_project, f"{{{{ cohortwise.retention({arguments}) }}}}")
    assert message in text, text
    assert "in model 'inline_query'" in text


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            f"{BASE}, cohorts={{'not_in': ['cohort_test_users']}}",
            "argument 'cohorts': an incremental retention cannot filter by cohort",
        ),
        (
            f"{BASE}, breakdown={{'user_attribute': 'country'}}",
            "argument 'breakdown': an incremental retention cannot break down by a user attribute",
        ),
        (
            "start_event='a', return_event='b', date_range={'last_days': 30}",
            "argument 'date_range': an incremental retention needs a fixed start",
        ),
    ],
)
def test_incremental_retention_refuses_what_changes_without_events(
    compile_project: Any, arguments: str, message: str
) -> None:
    # cohort members and user attributes change without a new event of the entity, which is all an
    # incremental run looks at, and cohorts leave a last_days range; the same definitions compile as tables
    from cohortwise.dbt import invoke
    from tests.python.conftest import inline_compile_error

    incremental = "{{ config(materialized='incremental') }}"
    text = inline_compile_error(compile_project, f"{incremental}{{{{ cohortwise.retention({arguments}) }}}}")
    assert message in text, text
    assert "in model 'inline_query'" in text
    table = invoke(compile_project, ["compile", "--inline", f"{{{{ cohortwise.retention({arguments}) }}}}"])
    assert table.success, table.error_lines()


# --- drill-down ---------------------------------------------------------------------------------------


def test_drilldown_returns_a_cells_entities(tmp_path: Path) -> None:
    from cohortwise.dbt import invoke
    from tests.python.conftest import SAMPLE_VARS, dbt_project

    project = dbt_project(tmp_path, tmp_path / "drill.duckdb")
    assert invoke(project, ["seed"], vars=SAMPLE_VARS).success
    built = invoke(project, ["run", "--select", "+retention_daily", "+dim_users"], vars=SAMPLE_VARS)
    assert built.success, built.error_lines()

    def drill(cohort: str, period: int | None) -> set[tuple[str, str]]:
        sql = f"{{{{ cohortwise.retention_drilldown('retention_daily', {cohort!r}, {period!r}) }}}}".replace(
            "None", "none"
        )
        outcome = invoke(project, ["show", "--inline", sql, "--limit", "-1"], vars=SAMPLE_VARS)
        assert outcome.success, outcome.error_lines()
        return {(row["entity_id"], row["country"]) for row in outcome.result.results[0].agate_table.rows}

    # by hand from the sample: bob signs up on Mar 2; his sessions fall on days 1, 3, 5, 7, ... after it
    assert drill("2024-03-02", None) == {("u_bob", "US")}
    assert drill("2024-03-02", 3) == {("u_bob", "US")}
    assert drill("2024-03-02", 2) == set()
    # frank signs up on Mar 15 and never comes back
    assert drill("2024-03-15", None) == {("u_frank", "DE")}
    assert drill("2024-03-15", 1) == set()
