"""Event segmentation: hand-written unit tests, random events against a plain Python count, drill-down."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from cohortwise.dbt import DbtProject, invoke
from tests.python.conftest import SAMPLE_VARS, Build, dbt_project, inline_compile_error
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


SAMPLE_SEGMENTATION_MODELS = (
    "segmentation_engagement",
    "rpt_event_segmentation",
    "segmentation_orders_by_category",
    "rpt_segmentation_orders_by_category",
    "segmentation_cohort_trend",
    "rpt_cohort_trend",
    "rpt_segment_kpis_monthly",
)


def test_the_sample_drilldown_lists_the_people_behind_a_value(sample_build: Build) -> None:
    """The demo's segmentation on the sample: the drill-down's rows are the report's people and events."""
    statuses = sample_build.statuses()
    built = {node: status for node, status in statuses.items() if any(m in node for m in SAMPLE_SEGMENTATION_MODELS)}
    assert sum(1 for node in built if node.startswith("model.")) == len(SAMPLE_SEGMENTATION_MODELS)
    assert all(status in ("pass", "success") for status in built.values()), built
    bucket, event, segment, people, n_events = (
        sample_build.query(
            "select bucket_start, event_label, segment_label, people, events from rpt_event_segmentation"
            " where people > 0 order by people desc, bucket_start limit 1"
        )
        or [(None,) * 5]
    )[0]
    assert people and people > 0
    drill_vars = {
        **SAMPLE_VARS,
        "segmentation": "segmentation_engagement",
        "event": event,
        "bucket": bucket.isoformat(),
        "segment": segment,
    }
    project = sample_build.project
    compiled = invoke(project, ["compile", "--select", "segmentation_drilldown"], vars=drill_vars)
    assert compiled.success, compiled.error_lines()
    assert project.target_path is not None
    sql = (project.target_path / "compiled" / "cohortwise" / "analyses" / "segmentation_drilldown.sql").read_text()
    rows = sample_build.query(f"select entity_id, events, signed_up_at from ({sql})")
    assert len(rows) == people
    assert sum(row[1] for row in rows) == n_events
    assert len({row[0] for row in rows}) == people


def test_the_sample_segmentation_matches_a_plain_count_per_segment(sample_build: Build) -> None:
    """rpt_event_segmentation on the seed sample: every metric of both platform segments, recounted."""
    rows = sample_build.query(
        "select e.user_id, e.event_id, e.event_at, e.event_name, u.platform from fct_events as e"
        " join dim_users as u on e.user_id = u.user_id"
    )
    report = sample_build.query(
        "select segment_label, bucket_start, event_label, events, people, dau, elapsed_days,"
        " active_entities, wau, mau, adoption, engagement from rpt_event_segmentation"
    )
    labels = {"app_open": "app_open", "add_to_cart": "add_to_cart", "Paid orders": "pay_order"}
    expected: set[tuple[Any, ...]] = set()
    for segment, platform in (("iOS", "ios"), ("Android", "android")):
        events = [Event(u, i, at, n) for u, i, at, n, p in rows if p == platform]
        for row in segmentation_reference(events, labels, "week", date(2024, 1, 1), date(2024, 4, 1)):
            expected.add((segment, *row))
    actual = {
        (segment, bucket, label, int(n), int(people), round(dau * elapsed), int(active), int(wau), int(mau))
        for segment, bucket, label, n, people, dau, elapsed, active, wau, mau, _, _ in report
    }
    assert sum(row[4] for row in expected) > 20, "the sample should have people in the report"
    assert actual == expected
    for *_, n, people, _, _, active, _, _, adoption, engagement in report:
        assert adoption == (pytest.approx(people / active) if active else None)
        assert engagement == (pytest.approx(n / people) if people else None)


def _kpi_reference(
    events: list[tuple[Any, ...]], users: list[tuple[Any, ...]]
) -> dict[tuple[str, str, date], tuple[Any, ...]]:
    """rpt_segment_kpis_monthly recomputed user by user, with the demo's vars."""
    months = [date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1)]
    by_user: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for row in events:
        by_user[row[0]].append(row)
    first_account: dict[tuple[str, str], date] = {}
    for user, account, _, at, _ in events:
        if account is not None:
            pair = (user, account)
            first_account[pair] = min(first_account.get(pair, at.date()), at.date())
    facts: dict[tuple[str, date], dict[str, Any]] = {}
    for user, signed_up_at, first_seen_at in users:
        start = signed_up_at or first_seen_at
        if start is None:
            continue
        for month in months:
            if start.date().replace(day=1) <= month:
                accounts = sum(1 for (u, _), d in first_account.items() if u == user and d.replace(day=1) <= month)
                facts[(user, month)] = {
                    "signup": start.date().replace(day=1),
                    "events": 0,
                    "days": set(),
                    "seconds": 0.0,
                    "spend": 0.0,
                    "accounts": accounts,
                }
    for user, rows in by_user.items():
        rows.sort(key=lambda row: row[3])
        previous = None
        for _, _, name, at, amount in rows:
            fact = facts.get((user, at.date().replace(day=1)))
            gap: float | None = (at - previous).total_seconds() if previous is not None else None
            previous = at
            if fact is None:
                continue
            fact["events"] += 1
            fact["days"].add(at.date())
            if gap is not None and gap <= 1800:
                fact["seconds"] += gap
            if name in ("pay_order", "invoice_paid") and amount is not None:
                fact["spend"] += float(amount)

    def band(value: float, edges: list[float], whole: bool) -> str:
        labels = {1: "0"} if whole else {}
        label = labels.get(int(edges[0]), "below")
        for k, edge in enumerate(edges):
            if value >= edge:
                upper = edges[k + 1] if k + 1 < len(edges) else None
                if upper is None:
                    label = f"{edge}+"
                elif whole and upper - 1 == edge:
                    label = str(edge)
                elif whole:
                    label = f"{edge}-{upper - 1}"
                else:
                    label = f"{edge}-{upper}"
        return label

    groups: dict[tuple[str, str, date], list[dict[str, Any]]] = defaultdict(list)
    for (_, month), fact in facts.items():
        groups[("all", "All users", month)].append(fact)
        groups[("signup_month", fact["signup"].isoformat(), month)].append(fact)
        groups[("spend_band", band(fact["spend"], [0, 100, 500], False), month)].append(fact)
        groups[("accounts", band(fact["accounts"], [1, 2, 3], True), month)].append(fact)
        groups[("activity_level", band(len(fact["days"]), [1, 5, 15], True), month)].append(fact)
    result: dict[tuple[str, str, date], tuple[Any, ...]] = {}
    for key, members in groups.items():
        active = [m for m in members if m["events"]]
        days = sum(len(m["days"]) for m in members)
        result[key] = (
            len(members),
            len(active),
            sum(m["seconds"] for m in members) / 60 / days if days else None,
            sum(m["spend"] for m in members),
            sum(m["accounts"] for m in members) / len(members),
            sum(m["events"] for m in members) / len(active) if active else None,
        )
    return result


def _assert_kpis_match_the_reference(build: Build) -> None:
    """rpt_segment_kpis_monthly of a build against _kpi_reference over the same build's events."""
    events = build.query(
        "select user_id, account_id, event_name, event_at, amount from fct_events where user_id is not null"
    )
    users = build.query("select user_id, signed_up_at, first_seen_at from dim_users")
    rows = build.query(
        "select segment_dimension, segment_value, month_start, users, active_users,"
        " avg_active_minutes_per_active_day, spend, accounts_per_user, events_per_active_user"
        " from rpt_segment_kpis_monthly where users > 0"
    )
    expected = _kpi_reference(events, users)
    assert len(expected) > 5 and any(v[3] > 0 for v in expected.values())
    actual = {(r[0], r[1], r[2]): r[3:] for r in rows}
    assert set(actual) == set(expected)
    for key, values in expected.items():
        assert actual[key] == pytest.approx(values, nan_ok=True), key


def test_segment_kpis_on_the_sample_match_a_user_by_user_count(sample_build: Build) -> None:
    _assert_kpis_match_the_reference(sample_build)


def test_segment_kpis_without_user_days_read_the_events(tmp_path: Path) -> None:
    # fct_entity_days keeps devices only: the events and active days of a user-month come from the
    # events themselves, with the same results
    database = tmp_path / "devices.duckdb"
    project = dbt_project(tmp_path, database)
    run_vars = {**SAMPLE_VARS, "cohortwise__daily_activity_entities": ["device_id"]}
    assert invoke(project, ["seed"], vars=run_vars).success
    built = invoke(project, ["run", "--select", "+rpt_segment_kpis_monthly"], vars=run_vars)
    assert built.success, built.error_lines()
    build = Build(database, project, built, run_vars)
    assert build.query("select distinct entity_type from fct_entity_days") == [("device_id",)]
    _assert_kpis_match_the_reference(build)


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
    text = inline_compile_error(compile_project, f"{{{{ cohortwise.event_segmentation({arguments}) }}}}")
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
