"""Event segmentation: hand-written unit tests, random events against a plain Python count, drill-down."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from cohortwise.dbt import DbtProject, invoke
from tests.python.integration import RAW_VARS, Event, Project, integration_project, write_raw
from tests.python.test_retention import random_events

RANDOM_SEGMENTATIONS: dict[str, dict[str, Any]] = {
    "random_segmentation_day": {
        "labels": {"a": "a", "b": "b"},
        "unit": "day",
        "date_from": date(2024, 2, 1),
        "date_to": date(2024, 4, 1),
    },
    "random_segmentation_week": {
        "labels": {"any event": "*", "B": "b"},
        "unit": "week",
        "first_day": 6,  # Sunday
        "zone": "Europe/Berlin",
        "date_from": date(2024, 3, 6),
        "date_to": date(2024, 5, 2),
    },
    "random_segmentation_month": {
        "labels": {"c": "c"},
        "unit": "month",
        "zone": "America/New_York",
        "date_from": date(2024, 1, 15),
        "date_to": date(2024, 6, 10),
    },
}

ReportRow = tuple[date, str, int, int, int, int, int, int]


def _bucket(day: date, unit: str, first_day: int) -> date:
    if unit == "day":
        return day
    if unit == "week":
        return day - timedelta(days=(day.weekday() - first_day) % 7)
    return day.replace(day=1)


def _distinct_within(by_day: dict[date, dict[str, int]], last: date, width: int) -> int:
    """Entities with the event in the `width` days ending on `last`."""
    seen: set[str] = set()
    for k in range(width):
        seen |= set(by_day.get(last - timedelta(days=k), {}))
    return len(seen)


def segmentation_reference(
    events: list[Event],
    labels: dict[str, str],
    unit: str,
    date_from: date,
    date_to: date,
    zone: str = "UTC",
    first_day: int = 0,
) -> set[ReportRow]:
    """(bucket, label, events, people, entity-days, active, wau, mau) counted event by event."""
    tz = ZoneInfo(zone)
    days: dict[str, dict[date, dict[str, int]]] = {label: defaultdict(lambda: defaultdict(int)) for label in labels}
    active: dict[date, set[str]] = defaultdict(set)
    for event in events:
        day = event.at.replace(tzinfo=ZoneInfo("UTC")).astimezone(tz).date()
        if date_from <= day < date_to:
            active[day].add(event.entity)
        for label, name in labels.items():
            if name in ("*", event.name):
                days[label][day][event.entity] += 1
    range_days = [date_from + timedelta(days=k) for k in range((date_to - date_from).days)]
    buckets: dict[date, list[date]] = defaultdict(list)
    for day in range_days:
        buckets[_bucket(day, unit, first_day)].append(day)
    rows: set[ReportRow] = set()
    for label in labels:
        by_day = days[label]
        for start, bucket_days in buckets.items():
            counts = [by_day.get(day, {}) for day in bucket_days]
            people = set().union(*(set(c) for c in counts))
            last = max(bucket_days)

            rows.add(
                (
                    start,
                    label,
                    sum(sum(c.values()) for c in counts),
                    len(people),
                    sum(len(c) for c in counts),
                    len(set().union(*(active.get(day, set()) for day in bucket_days))),
                    _distinct_within(by_day, last, 7),
                    _distinct_within(by_day, last, 30),
                )
            )
    return rows


@pytest.fixture(scope="module", params=[True, False], ids=["daily-tables", "events"])
def random_segmentation(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> tuple[Project, list[Event]]:
    project = integration_project(tmp_path_factory.mktemp("random_segmentation"))
    events = random_events(seed=11)
    write_raw(project.database, events)
    vars = {
        "run_random_funnels": True,
        "cohortwise__as_of": "2024-12-31 00:00:00",
        "cohortwise__analyses_read_daily_activity": request.param,
        **RAW_VARS,
    }
    models = [f"+{name}" for name in RANDOM_SEGMENTATIONS] + [f"rpt_{name}" for name in RANDOM_SEGMENTATIONS]
    built = project.dbt("run", "--select", *models, vars=vars)
    assert built.success, built.error_lines()
    return project, events


@pytest.mark.parametrize("model", sorted(RANDOM_SEGMENTATIONS))
def test_random_events_match_a_plain_count(random_segmentation: tuple[Project, list[Event]], model: str) -> None:
    """Events, people, people-days, active entities, wau and mau per bucket, as Python counts them."""
    project, events = random_segmentation
    expected = segmentation_reference(events, **RANDOM_SEGMENTATIONS[model])
    actual = {
        (bucket, label, int(n_events), int(people), round(dau * elapsed), int(active_n), int(wau), int(mau))
        for bucket, label, n_events, people, dau, elapsed, active_n, wau, mau in project.query(
            "select bucket_start, event_label, events, people, dau, elapsed_days, active_entities, wau, mau"
            f" from main.rpt_{model}"
        )
    }
    assert sum(row[3] for row in expected) > 100, "many people expected"
    assert any(row[3] == 0 for row in expected) or RANDOM_SEGMENTATIONS[model]["unit"] != "day"
    assert sorted(expected - actual)[:5] == [] and sorted(actual - expected)[:5] == []


def test_the_report_rates_are_the_counts_divided(random_segmentation: tuple[Project, list[Event]]) -> None:
    project, _ = random_segmentation
    rows = project.query(
        "select events, people, active_entities, adoption, engagement from main.rpt_random_segmentation_day"
    )
    for n_events, people, active_n, adoption, engagement in rows:
        assert adoption == (pytest.approx(people / active_n) if active_n else None)
        assert engagement == (pytest.approx(n_events / people) if people else None)


def test_the_sample_drilldown_lists_the_people_behind_a_value(tmp_path: Path) -> None:
    """The demo's segmentation on the sample: the drill-down's rows are the report's people and events."""
    from tests.python.conftest import SAMPLE_VARS, dbt_project

    project = dbt_project(tmp_path, tmp_path / "segmentation.duckdb")
    assert invoke(project, ["seed"], vars=SAMPLE_VARS).success
    built = invoke(project, ["run", "--select", "+path:models/segmentation"], vars=SAMPLE_VARS)
    assert built.success, built.error_lines()
    tested = invoke(project, ["test", "--select", "path:models/segmentation"], vars=SAMPLE_VARS)
    assert tested.success, tested.error_lines()
    import duckdb

    with duckdb.connect(str(tmp_path / "segmentation.duckdb"), read_only=True) as con:
        bucket, event, segment, people, n_events = (
            con.execute(
                "select bucket_start, event_label, segment_label, people, events from rpt_event_segmentation"
                " where people > 0 order by people desc, bucket_start limit 1"
            ).fetchone()
            or (None,) * 5
        )
    assert people and people > 0
    drill_vars = {
        **SAMPLE_VARS,
        "segmentation": "segmentation_engagement",
        "event": event,
        "bucket": bucket.isoformat(),
        "segment": segment,
    }
    compiled = invoke(project, ["compile", "--select", "segmentation_drilldown"], vars=drill_vars)
    assert compiled.success, compiled.error_lines()
    assert project.target_path is not None
    sql = (project.target_path / "compiled" / "cohortwise" / "analyses" / "segmentation_drilldown.sql").read_text()
    with duckdb.connect(str(tmp_path / "segmentation.duckdb"), read_only=True) as con:
        rows = con.execute(f"select entity_id, events, signed_up_at from ({sql})").fetchall()
    assert len(rows) == people
    assert sum(row[1] for row in rows) == n_events
    assert len({row[0] for row in rows}) == people


@pytest.fixture(scope="module")
def compile_project(tmp_path_factory: pytest.TempPathFactory) -> DbtProject:
    from tests.python.conftest import dbt_project

    tmp = tmp_path_factory.mktemp("segmentation_validation")
    return dbt_project(tmp, tmp / "validation.duckdb")


RANGE = "date_range={'from': '2024-01-01', 'to': '2024-02-01'}"
BETWEEN_ONE = "{'attribute': 'country', 'op': 'between', 'value': ['a']}"
COUNTRY_US = "{'attribute': 'country', 'value': 'US'}"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (f"events=[], {RANGE}", "argument 'events': must list 1 to 10 events"),
        (f"events=['a', 'a'], {RANGE}", "argument 'events[1].name': label 'a' is used twice"),
        (f"events='a', {RANGE}, granularity='hour'", "argument 'granularity': must be day, week or month"),
        ("events='a', date_range={'relative': 'last_year'}", "argument 'date_range.relative': must be one of today"),
        (
            f"events='a', {RANGE}, segments={[{'name': s} for s in 'abcde']}",
            "argument 'segments': at most 4 segments; got 5",
        ),
        (
            f"events='a', {RANGE}, segments=[{{'name': 'x', 'where': [{{'attribute': 'shoe_size', 'value': 1}}]}}]",
            "argument 'segments[0].where[0].attribute': unknown user attribute 'shoe_size'",
        ),
        (
            f"events='a', {RANGE}, segments=[{{'name': 'x', 'where': [{BETWEEN_ONE}]}}]",
            "argument 'segments[0].where[0].value': operator 'between' needs [low, high]",
        ),
        (
            f"events='a', {RANGE}, entity='device_id', segments=[{{'name': 'x', 'where': [{COUNTRY_US}]}}]",
            "argument 'segments[0].where': user attributes need entity user_id",
        ),
        (
            f"events='a', {RANGE}, segments=[{{'name': 'x'}}, {{'name': 'x'}}]",
            "argument 'segments[1].name': 'x' names two segments",
        ),
        (f"events='a', {RANGE}, group_by={{'cohorts': []}}", "argument 'group_by.cohorts': must list at least one"),
    ],
)
def test_bad_segmentation_definitions_fail_at_compile_time(
    compile_project: DbtProject, arguments: str, message: str
) -> None:
    outcome = invoke(compile_project, ["compile", "--inline", f"{{{{ cohortwise.event_segmentation({arguments}) }}}}"])
    assert not outcome.success
    text = "\n".join(outcome.error_lines()) + str(outcome.exception or "")
    assert message in text, text
    assert "in model 'inline_query'" in text


def test_relative_ranges_follow_the_computation_time(compile_project: DbtProject, tmp_path: Path) -> None:
    """this_week / previous_week / last_7_days as of a Wednesday: the local dates they select."""
    import duckdb

    expected = {
        "this_week": (date(2024, 3, 11), date(2024, 3, 18)),
        "previous_week": (date(2024, 3, 4), date(2024, 3, 11)),
        "last_7_days": (date(2024, 3, 7), date(2024, 3, 14)),
        "this_month": (date(2024, 3, 1), date(2024, 4, 1)),
        "previous_month": (date(2024, 2, 1), date(2024, 3, 1)),
        "yesterday": (date(2024, 3, 12), date(2024, 3, 13)),
    }
    for name, (first, end) in expected.items():
        macro = (
            "{%- set r = cohortwise._segmentation_range({'relative': '" + name + "'}, 'UTC',"
            " {'period': 'day', 'timezone': 'UTC', 'week_offset': 0}) -%}"
            "select cast({{ r.local_from }} as date) as first_day, cast({{ r.local_to }} as date) as end_day"
        )
        outcome = invoke(
            compile_project, ["compile", "--inline", macro], vars={"cohortwise__as_of": "2024-03-13 10:00:00"}
        )
        assert outcome.success, outcome.error_lines()
        sql = outcome.result.results[0].node.compiled_code
        with duckdb.connect() as con:
            assert con.execute(sql).fetchone() == (first, end), name
