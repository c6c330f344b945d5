"""Incremental daily refresh: appending a day to a history gives exactly what a full rebuild gives.

Two DuckDB files hold the same raw events in the end. One is built from a history and then
refreshed incrementally after the newest day (plus late arrivals inside the lookback, bad rows and
a re-sent copy of an old event) is appended; the other is built from scratch with everything.
The event-level models must hold the same rows, and a second refresh on unchanged input must
change nothing.
"""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from cohortwise.datagen import DuckDBSink, GeneratorConfig, generate
from tests.python.conftest import copy_project, dbt, dbt_project, varchar_storage

EVENT_LEVEL_MODELS = ("int_events_audited", "fct_events", "quarantine_events", "fct_daily_activity", "fct_entity_days")
INCREMENTAL_MODELS = ("int_events_audited", "fct_events", "fct_daily_activity", "fct_entity_days")
# the demo's incremental funnels (ordered, one exclusion, hold + event-property breakdown per device, strict)
# and one written by the test whose window is longer than the lookback
WEEK_FUNNEL = "funnel_test_signup_to_order_in_a_week"
# and one whose date range starts on the appended day: empty after the history, every entity new
LAST_DAY_FUNNEL = "funnel_test_entries_on_the_last_day"
INCREMENTAL_FUNNELS = (
    "funnel_purchase",
    "funnel_purchase_without_search",
    "funnel_same_category",
    "funnel_checkout_strict",
    WEEK_FUNNEL,
    LAST_DAY_FUNNEL,
)
# the demo's incremental retentions (any event per day, rolling days in Berlin, recurring monthly on or
# after) and one written by the test that reads the events (an event-property breakdown)
PLATFORM_RETENTION = "retention_test_weekly_by_platform"
INCREMENTAL_RETENTIONS = ("retention_daily", "retention_rolling_7d", "retention_monthly_buyers", PLATFORM_RETENTION)
SELECTION = [
    "--select",
    "+fct_daily_activity",
    "+quarantine_events",
    "+dim_users",
    *(f"+{retention}" for retention in INCREMENTAL_RETENTIONS),
    *(f"+{funnel}" for funnel in INCREMENTAL_FUNNELS),
    "+quarantine_users",
]
# the models refreshed by entity, and dim_users (a table reading int_user_activity)
BY_ENTITY_MODELS = ("int_user_activity", "dim_users", *INCREMENTAL_FUNNELS, *INCREMENTAL_RETENTIONS)
# the generator's 30 days start on 2024-01-01; the last day is appended
LAST_DAY = "2024-01-30"
LATE_DAY = "2024-01-28"  # inside the default lookback of 3 days
# a user whose only events, on LATE_DAY, are in the history and then deleted from the raw events
# (restated): the refresh must drop it from int_user_activity, dim_users, the funnels it entered (it
# views an item) and the retention it started (it opens the app), as a full rebuild would
GONE_USER = "u_gone"
# and an app_open of an existing user on LATE_DAY, deleted the same way: a return in the daily and
# rolling retentions (signed up, back on any event / on app_open) that the refresh must forget although
# the user has no other event in the recomputed days (see _returning_user)
GONE_RETURN = "gone_return"
# and that user's view_item a few minutes later, deleted too: a later attempt in funnel_purchase, whose
# reported entry is older than the recomputed days, that the refresh must forget (last_entered_at)
GONE_ATTEMPT = "gone_attempt"
GONE_ATTEMPT_AT = f"{LATE_DAY} 10:05:00"


# event_id -> (raw time, reason, day kept under, history or appended). Every one has broken
# properties, so a parsed time gives invalid_properties. Year-1 times: a day before 0001-01-02 is
# the undated day 0001-01-01; unparseable times that look old are undated too, re-audited on every run.
EDGE_ROWS = {
    "edge_year1_undated": ("0001-01-01 05:00:00", "invalid_properties", "0001-01-01", "history"),
    "edge_year1_dated": ("0001-03-05 10:00:00", "invalid_properties", "0001-03-05", "history"),
    "edge_old_garbage": ("2024-01-06 99:00", "unparseable_event_time", "0001-01-01", "history"),
    "edge_late_garbage": ("2024-01-05T25:00:00", "unparseable_event_time", "0001-01-01", "appended"),
    "edge_late_year1": ("0001-01-01 07:00:00", "invalid_properties", "0001-01-01", "appended"),
}


def _rows(database: Path, model: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(database), read_only=True) as con:
        columns = [row[0] for row in con.execute(f"describe {model}").fetchall()]
        order = ", ".join(f'"{c}"' for c in columns)
        return con.execute(f"select * from {model} order by {order}").fetchall()


def _split(database: Path) -> int:
    """raw.events becomes the history; raw.appended holds what arrives next (returns how many)."""
    with duckdb.connect(str(database)) as con:
        con.execute(
            f"""
            create table raw.appended as
            select * from raw.events
            where try_cast(event_time as timestamp) >= timestamp '{LAST_DAY}'
               or (try_cast(event_time as timestamp) >= timestamp '{LATE_DAY}'
                   and hash(coalesce(event_id, '') || coalesce(loaded_at, '')) % 3 = 0)
               or (try_cast(event_time as timestamp) is null and hash(coalesce(event_id, '')) % 2 = 0)
            """
        )
        # a clean old event sent again with a new time: the copy already kept wins
        con.execute(
            f"""
            insert into raw.appended
            select event_id, user_id, device_id, account_id, event_name,
                   '{LAST_DAY} 12:00:00', '2024-02-01 00:00:00', properties
            from raw.events
            where try_cast(event_time as timestamp) < timestamp '2024-01-10' and event_name = 'view_item'
              and try_cast(loaded_at as timestamp) < timestamp '2024-02-01'
              and event_id is not null and user_id is not null and (properties is null or json_valid(properties))
              and event_id in (select event_id from raw.events group by event_id having count(*) = 1)
            order by event_id
            limit 3
            """
        )
        con.execute("create table raw.history as select * from raw.events except all select * from raw.appended")
        con.execute("create or replace table raw.events as select * from raw.history")
        # rows the refresh's raw filter must place on their whole day (see EDGE_ROWS)
        columns = "(event_id, user_id, event_name, event_time, loaded_at, properties)"
        for table, when in (("raw.events", "history"), ("raw.appended", "appended")):
            rows = [(event_id, raw) for event_id, (raw, _, _, arrives) in EDGE_ROWS.items() if arrives == when]
            con.executemany(
                f"insert into {table} {columns} values (?, 'u_edge', 'open', ?, '2024-01-02 00:00:00', '{{\"a\": ')",
                rows,
            )
        appended = con.execute("select count(*) from raw.appended").fetchone()
        return int(appended[0]) if appended else 0


def _returning_user(con: duckdb.DuckDBPyConnection) -> str:
    """A user who signed up in the first week, viewed an item and has no event from 2024-01-20 on
    (history or appended): its LATE_DAY app_open is a return that only the rows of the retentions
    remember, its LATE_DAY view_item an attempt that only its funnel_purchase row remembers."""
    row = con.execute(
        """
        select user_id from (select * from raw.events union all select * from raw.appended)
        where user_id is not null
        group by user_id
        having min(case when event_name = 'sign_up' then try_cast(event_time as timestamp) end)
               < timestamp '2024-01-07'
           and max(try_cast(event_time as timestamp)) < timestamp '2024-01-20'
           and count(case when event_name = 'view_item' then 1 end) > 0
        order by user_id
        limit 1
        """
    ).fetchone()
    assert row, "the generated events have no user to return on LATE_DAY"
    return str(row[0])


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("incremental")
    incremental_db = tmp / "incremental.duckdb"
    generate(GeneratorConfig(users=300, days=30, bad_row_rate=0.03, seed=11), DuckDBSink(incremental_db))
    appended = _split(incremental_db)
    full_db = tmp / "full.duckdb"
    shutil.copy(incremental_db, full_db)
    with duckdb.connect(str(full_db)) as con:
        con.execute("insert into raw.events select * from raw.appended")
    with duckdb.connect(str(incremental_db)) as con:
        con.executemany(
            "insert into raw.events (event_id, user_id, device_id, event_name, event_time, loaded_at)"
            f" values (?, '{GONE_USER}', 'd_gone', ?, ?, '{LATE_DAY} 23:00:00')",
            [("gone_1", "app_open", f"{LATE_DAY} 08:00:00"), ("gone_2", "view_item", f"{LATE_DAY} 09:30:00")],
        )
        returning = _returning_user(con)
        con.executemany(
            "insert into raw.events (event_id, user_id, device_id, event_name, event_time, loaded_at)"
            f" values (?, ?, 'd_return', ?, ?, '{LATE_DAY} 23:00:00')",
            [
                (GONE_RETURN, returning, "app_open", f"{LATE_DAY} 10:00:00"),
                (GONE_ATTEMPT, returning, "view_item", GONE_ATTEMPT_AT),
            ],
        )

    # a window of 7 days, longer than the lookback: entities whose window closes with the new day
    # have no event in the recomputed days, and their is_window_open must still change
    project_dir = copy_project(tmp)
    (project_dir / "models" / "funnels" / f"{WEEK_FUNNEL}.sql").write_text(
        "{{ config(materialized='incremental') }}\n"
        "{{ cohortwise.funnel(steps=['sign_up', 'place_order'], window='7 days',"
        " date_range={'from': '2024-01-01', 'to': '2024-02-01'}) }}\n"
    )
    (project_dir / "models" / "retention" / f"{PLATFORM_RETENTION}.sql").write_text(
        "{{ config(materialized='incremental') }}\n"
        "{{ cohortwise.retention(start_event='app_open', return_event='view_item', period='week', periods=4,"
        " date_range={'from': '2024-01-01', 'to': '2024-02-01'}, breakdown={'event_property': 'platform'}) }}\n"
    )
    (project_dir / "models" / "funnels" / f"{LAST_DAY_FUNNEL}.sql").write_text(
        "{{ config(materialized='incremental') }}\n"
        "{{ cohortwise.funnel(steps=['view_item', 'add_to_cart'], window='1 hour',"
        f" date_range={{'since': '{LAST_DAY}'}}) }}}}\n"
    )
    project = dbt_project(tmp / "inc", incremental_db, project_dir)
    history = dbt(project, "build", *SELECTION)
    assert history.success, history.error_lines()
    history_rows = _rows(incremental_db, "fct_events")
    with duckdb.connect(str(incremental_db), read_only=True) as con:
        newest = {
            model: con.execute(f"select max({day}) from {model} {where}").fetchone()[0]  # type: ignore[index]
            for model, day, where in (
                ("int_events_audited", "partition_date", "where quarantine_reason is null"),
                ("fct_events", "event_date", ""),
                ("fct_daily_activity", "activity_date", ""),
                ("fct_entity_days", "activity_date", ""),
            )
        }
        funnel_newest = {
            funnel: con.execute(f"select max(cast(entered_at as date)) from {funnel}").fetchone()[0]  # type: ignore[index]
            for funnel in INCREMENTAL_FUNNELS
        }
        retention_newest = {
            retention: con.execute(f"select max(cast(cohort_started_at as date)) from {retention}").fetchone()[0]  # type: ignore[index]
            for retention in INCREMENTAL_RETENTIONS
        }
    week_history = _rows(incremental_db, WEEK_FUNNEL)
    activity_history = _rows(incremental_db, "int_user_activity")
    users_history = _rows(incremental_db, "dim_users")
    funnels_history = {funnel: _rows(incremental_db, funnel) for funnel in INCREMENTAL_FUNNELS}
    retentions_history = {retention: _rows(incremental_db, retention) for retention in INCREMENTAL_RETENTIONS}
    with duckdb.connect(str(incremental_db)) as con:
        con.execute("insert into raw.events select * from raw.appended")
        con.execute(
            f"delete from raw.events where user_id = '{GONE_USER}' or event_id in ('{GONE_RETURN}', '{GONE_ATTEMPT}')"
        )
    first = dbt(project, "build", *SELECTION)
    assert first.success, first.error_lines()
    after_first = {m: _rows(incremental_db, m) for m in (*EVENT_LEVEL_MODELS, *BY_ENTITY_MODELS)}
    second = dbt(project, "build", *SELECTION)
    assert second.success, second.error_lines()

    full = dbt(dbt_project(tmp / "full", full_db, project_dir), "build", *SELECTION)
    assert full.success, full.error_lines()
    return {
        "activity_history": activity_history,
        "users_history": users_history,
        "funnels_history": funnels_history,
        "retentions_history": retentions_history,
        "returning": returning,
        "week_history": week_history,
        "funnel_newest": funnel_newest,
        "retention_newest": retention_newest,
        "incremental": incremental_db,
        "full": full_db,
        "appended": appended,
        "history_rows": history_rows,
        "newest": newest,
        "after_first": after_first,
        "first": first,
    }


def test_the_refresh_ran_incrementally_and_appended_rows(refreshed: dict[str, Any]) -> None:
    assert refreshed["appended"] > 100
    assert len(refreshed["after_first"]["fct_events"]) > len(refreshed["history_rows"])
    # dbt ran the event-level models as incremental inserts, not as tables
    sql = {
        r.node.name: r.node.compiled_code for r in refreshed["first"].result.results if r.node.resource_type == "model"
    }
    # each read its own newest day minus the lookback, written into the SQL as a constant
    for model in INCREMENTAL_MODELS:
        first_day = refreshed["newest"][model] - timedelta(days=3)
        assert f"cast('{first_day.isoformat()}' as date)" in sql[model], f"{model} did not run incrementally"
    # the audit filters the raw rows before parsing them: it reads the source, not the stg_events view
    assert "in ('0000', '0001')" in sql["int_events_audited"] and "stg_events" not in sql["int_events_audited"]
    # the funnels recomputed only the entities with events from their newest entry day minus the lookback
    for funnel in INCREMENTAL_FUNNELS:
        assert "recomputed_entities" in sql[funnel], f"{funnel} did not run incrementally"
        if funnel == LAST_DAY_FUNNEL:  # empty before: no newest day, every entity of the range
            assert refreshed["funnel_newest"][funnel] is None
            assert "cast(null as date)" in sql[funnel]
            assert len(refreshed["after_first"][funnel]) > 10
            continue
        first_day = refreshed["funnel_newest"][funnel] - timedelta(days=3)
        assert f"cast('{first_day.isoformat()}' as date)" in sql[funnel], funnel
    # the users' activity: the users with events from the newest last-seen day minus the lookback
    last_seen = max(row[2] for row in refreshed["activity_history"])
    first_day = last_seen.date() - timedelta(days=3)
    assert "recomputed_users" in sql["int_user_activity"]
    for retention in INCREMENTAL_RETENTIONS:
        assert "recomputed_entities" in sql[retention], f"{retention} did not run incrementally"
        first_day = refreshed["retention_newest"][retention] - timedelta(days=3)
        assert f"cast('{first_day.isoformat()}' as date)" in sql[retention], retention
    assert f"cast('{first_day.isoformat()}' as date)" in sql["int_user_activity"]


# the columns each event-level table keeps uncompressed on DuckDB (cohortwise_uncompressed_columns)
UNCOMPRESSED_COLUMNS = {
    "int_events_audited": {"event_id", "user_id", "device_id", "account_id", "event_time_raw"},
    "fct_events": {"event_id", "user_id", "device_id", "account_id"},
    "fct_daily_activity": {"entity_id"},
    "fct_entity_days": {"entity_id"},
}


def test_the_event_tables_keep_their_ids_uncompressed_through_a_refresh(refreshed: dict[str, Any]) -> None:
    """Both the table a refresh inserted into and the one built whole store the ids plain, every segment."""
    for database in (refreshed["incremental"], refreshed["full"]):
        with duckdb.connect(str(database), read_only=True) as con:
            for table, columns in UNCOMPRESSED_COLUMNS.items():
                declared, stored = varchar_storage(con, table)
                assert declared == columns, (database.name, table)
                for column in columns:
                    assert stored[column] == ["Uncompressed"], (database.name, table, column)
            # a table without the config is created by the adapter's own macro
            assert varchar_storage(con, "dim_users")[0] == set()


def test_a_user_whose_events_were_removed_leaves_the_user_tables(refreshed: dict[str, Any]) -> None:
    """Its row is recomputed with no events and deleted (the full rebuild never saw the user)."""
    before = {row[0]: row for row in refreshed["activity_history"]}
    assert before[GONE_USER][3:] == (2, 1, 0)  # events, devices, accounts
    assert GONE_USER in {row[0] for row in refreshed["users_history"]}
    for model in ("int_user_activity", "dim_users"):
        assert GONE_USER not in {row[0] for row in refreshed["after_first"][model]}, model
    assert all(row[3] > 0 for row in refreshed["after_first"]["int_user_activity"])


def test_a_user_whose_events_were_removed_leaves_the_funnels_it_entered(refreshed: dict[str, Any]) -> None:
    """Recomputed with no entry, written without one and deleted by the post-hook."""
    entered = [f for f, rows in refreshed["funnels_history"].items() if GONE_USER in {row[0] for row in rows}]
    assert "funnel_purchase" in entered
    for funnel in INCREMENTAL_FUNNELS:
        rows = refreshed["after_first"][funnel]
        assert GONE_USER not in {row[0] for row in rows}, funnel
        assert all(row[2] is not None for row in rows), funnel  # no row without an entry is left


def test_a_deleted_later_attempt_leaves_the_funnel(refreshed: dict[str, Any]) -> None:
    """The returning user's deleted view_item was its latest attempt in funnel_purchase, behind a
    reported entry older than the recomputed days: the refresh finds the entity by last_entered_at
    and its attempts drop by one. The refresh equals the full rebuild (test_refresh_equals_full_rebuild)."""
    returning = refreshed["returning"]
    # entity, breakdown, entered_at, step_reached, step_1..4_at, step_1..4_attempts, last_entered_at, open
    before = next(row for row in refreshed["funnels_history"]["funnel_purchase"] if row[0] == returning)
    after = next(row for row in refreshed["after_first"]["funnel_purchase"] if row[0] == returning)
    first_day = refreshed["funnel_newest"]["funnel_purchase"] - timedelta(days=3)
    assert before[2].date() < first_day - timedelta(days=1)  # the reported entry, older than the recomputed days
    assert str(before[12]) == GONE_ATTEMPT_AT  # the latest attempt, deleted
    assert after[:8] == before[:8]  # the same reported chain
    assert after[8] == before[8] - 1 and after[9:12] == before[9:12]  # one step-1 attempt fewer
    assert after[12] < datetime(2024, 1, 20) <= before[12]  # its latest attempt now, before its last events


def test_deleted_events_leave_the_retentions(refreshed: dict[str, Any]) -> None:
    """The user whose events were deleted leaves the platform retention (written with no cohort,
    deleted by the post-hook); the deleted return leaves the returning user's rows in the daily and
    rolling retentions, though none of its events is in the recomputed days (reached through its last
    return period). The refresh equals the full rebuild (test_refresh_equals_full_rebuild)."""
    assert GONE_USER in {row[0] for row in refreshed["retentions_history"][PLATFORM_RETENTION]}
    returning = refreshed["returning"]
    # entity, breakdown, cohort period, period number, is_retained, started, last return period
    before = {row[3] for row in refreshed["retentions_history"]["retention_daily"] if row[0] == returning and row[4]}
    after = {row[3] for row in refreshed["after_first"]["retention_daily"] if row[0] == returning and row[4]}
    assert after < before  # the day of LATE_DAY is gone, the earlier ones stay
    # past the rolling retention's 14 periods, the return still moved the last return period
    rolling_before = [row for row in refreshed["retentions_history"]["retention_rolling_7d"] if row[0] == returning]
    rolling_after = [row for row in refreshed["after_first"]["retention_rolling_7d"] if row[0] == returning]
    assert rolling_after and [row[:6] for row in rolling_after] == [row[:6] for row in rolling_before]
    assert rolling_after[0][6] != rolling_before[0][6]
    for retention in INCREMENTAL_RETENTIONS:
        rows = refreshed["after_first"][retention]
        assert GONE_USER not in {row[0] for row in rows}, retention
        assert all(row[5] is not None for row in rows), retention  # no row without a cohort is left


def test_rows_on_year_one_and_old_looking_garbage_keep_their_day(refreshed: dict[str, Any]) -> None:
    with duckdb.connect(str(refreshed["incremental"]), read_only=True) as con:
        kept = con.execute(
            "select event_id, quarantine_reason, cast(partition_date as varchar) from int_events_audited"
            " where user_id = 'u_edge' order by event_id"
        ).fetchall()
    assert kept == sorted((event_id, reason, day) for event_id, (_, reason, day, _) in EDGE_ROWS.items())


@pytest.mark.parametrize("model", [*EVENT_LEVEL_MODELS, *BY_ENTITY_MODELS])
def test_refresh_equals_full_rebuild(refreshed: dict[str, Any], model: str) -> None:
    incremental = _rows(refreshed["incremental"], model)
    full = _rows(refreshed["full"], model)
    assert len(incremental) == len(full)
    assert incremental == full


def test_a_funnel_window_that_closes_with_the_new_day_is_refreshed(refreshed: dict[str, Any]) -> None:
    # entities whose 7-day window was open before the new day and is closed after it, with no event
    # of the funnel in the recomputed days (their entry is older than the lookback): the refresh must
    # reach them through the window, and it equals the full rebuild (test_refresh_equals_full_rebuild)
    first_day = refreshed["funnel_newest"][WEEK_FUNNEL] - timedelta(days=3)
    before = {row[0]: row for row in refreshed["week_history"]}
    after = {row[0]: row for row in refreshed["after_first"][WEEK_FUNNEL]}
    with duckdb.connect(str(refreshed["incremental"]), read_only=True) as con:
        recent = {
            row[0]
            for row in con.execute(
                "select distinct user_id from fct_events where event_name in ('sign_up', 'place_order')"
                f" and event_at >= timestamp '{first_day.isoformat()}'"
            ).fetchall()
        }
    closed = [e for e, row in after.items() if e in before and before[e][-1] and not row[-1] and e not in recent]
    assert closed, "the sample has no window that closes with the new day"


@pytest.mark.parametrize("model", [*EVENT_LEVEL_MODELS, *BY_ENTITY_MODELS])
def test_second_refresh_on_the_same_input_changes_nothing(refreshed: dict[str, Any], model: str) -> None:
    assert _rows(refreshed["incremental"], model) == refreshed["after_first"][model]


def test_a_resent_old_event_is_quarantined_as_a_duplicate(refreshed: dict[str, Any]) -> None:
    with duckdb.connect(str(refreshed["incremental"]), read_only=True) as con:
        resent = con.execute(
            f"""
            select count(*) from quarantine_events
            where quarantine_reason = 'duplicate_event_id' and event_time_raw = '{LAST_DAY} 12:00:00'
              and loaded_at = timestamp '2024-02-01 00:00:00'
            """
        ).fetchone()
    assert resent == (3,)
