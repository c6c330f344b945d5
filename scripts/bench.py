#!/usr/bin/env python3
"""The side-by-side benchmark: cohortwise on DuckDB next to ClickHouse (chDB) and DuckDB's own floor.

For every size it generates the events with the project's generator (fixed seed, 91 days: 90 of
history and one more day to append), then on the same data and the same machine:

- runs a whole `dbt build` of the demo project on the 90-day history (wall time, peak RSS of the
  process tree), appends the last day and runs `dbt build` again (the incremental refresh);
- on a copy of the history, refreshes the event-level models alone (`dbt build --select` them and
  their tests, nothing else running beside them) and then rebuilds them with `--full-refresh`: the
  refresh target compares those two (node seconds), and both refreshes must equal the full rebuild;
- times our funnel (the compiled SQL of the 4-step, 1-day `funnel_purchase` model) against
  ClickHouse's `windowFunnel(86400)` and our daily retention (`retention_daily`: first sign-up,
  back on day N, 30 days) against the same retention written for ClickHouse, and checks that the
  counts are identical;
- times DuckDB's floor: one pass grouping all events by entity (count, min and max time).

Each engine's queries run in their own process (peak memory is that process's own); every query
runs once to warm up, then three times, and the median counts.

    .venv/bin/python scripts/bench.py --events 1e6 1e7
    .venv/bin/python scripts/bench.py --events 1e7 --out bench/latest.json

The table is printed and written as JSON (default bench/latest.json, and appended to
bench/history.jsonl).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
START = date(2024, 1, 1)
DAYS = 91  # 90 days of history, then one day appended
EVENTS_PER_USER = 20
FUNNEL_MODEL = "funnel_purchase"
FUNNEL_STEPS = ("view_item", "add_to_cart", "place_order", "pay_order")
RETENTION_MODEL = "retention_daily"
RETENTION_PERIODS = 30
EVENT_LEVEL_MODELS = ("int_events_audited", "fct_events", "quarantine_events", "fct_daily_activity", "fct_entity_days")
# the users' activity, incremental by user, and the table of users that reads it
USER_MODELS = ("int_user_activity", "dim_users")
REPEAT = 3

TARGETS = {
    "funnel_vs_chdb": 1.0,
    "funnel_vs_floor": 4.0,
    "retention_vs_chdb": 1.0,
    "build_seconds": 120.0,
    "build_peak_gib": 4.0,
    "refresh_vs_build": 0.15,
    # the same bound for the whole project's `dbt build` after appending the day, against its full build
    "whole_refresh_vs_build": 0.15,
    "scaling_10x": 12.0,
}


# --- measuring -----------------------------------------------------------------------------------


def _timed(run: Any) -> tuple[float, Any]:
    """Warm-up once, then the median of REPEAT runs."""
    result = run()
    seconds = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        result = run()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), result


class TreeMemory:
    """Samples the resident memory of a process and all its children, keeping the peak."""

    def __init__(self, pid: int) -> None:
        import psutil

        self._process = psutil.Process(pid)
        self.peak_bytes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        import psutil

        while not self._stop.is_set():
            total = 0
            try:
                for process in [self._process, *self._process.children(recursive=True)]:
                    with contextlib.suppress(psutil.Error):
                        total += process.memory_info().rss
            except psutil.Error:
                break
            self.peak_bytes = max(self.peak_bytes, total)
            self._stop.wait(0.05)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


# --- the children: one engine per process ----------------------------------------------------------


def _funnel_counts_sql(compiled: str) -> str:
    steps = ", ".join(f"count(*) filter (where step_reached >= {k})" for k in range(1, len(FUNNEL_STEPS) + 1))
    return f"select {steps} from ({compiled}) as funnel"


def child_duckdb(database: str, funnel_sql: str, retention_sql: str, memory_limit: str) -> dict[str, Any]:
    import duckdb

    con = duckdb.connect(database, read_only=True, config={"threads": 2, "memory_limit": memory_limit})
    con.execute("set enable_progress_bar = false")
    results: dict[str, Any] = {}

    floor_sql = (
        "select count(*), sum(events) from (select user_id, count(*) as events, min(event_at), max(event_at)"
        " from fct_events where user_id is not null group by user_id)"
    )
    seconds, rows = _timed(lambda: con.execute(floor_sql).fetchall())
    results["floor"] = {"seconds": seconds, "result": [int(v) for v in rows[0]]}

    # the model as dbt materializes it (a table), then its per-step counts (not timed)
    funnel = funnel_sql
    seconds, _ = _timed(lambda: con.execute(f"create or replace temp table bench_funnel as {funnel}"))
    counts = con.execute(_funnel_counts_sql("select * from bench_funnel")).fetchall()[0]
    results["funnel"] = {"seconds": seconds, "result": [int(v) for v in counts]}

    retention = retention_sql
    seconds, _ = _timed(lambda: con.execute(f"create or replace temp table bench_retention as {retention}"))
    rows = con.execute(
        "select period_number, count(*) filter (where is_retained) from bench_retention"
        " group by period_number order by period_number"
    ).fetchall()
    results["retention"] = {"seconds": seconds, "result": [[int(p), int(n)] for p, n in rows]}
    return results


def child_chdb(parquet: str, session_dir: str) -> dict[str, Any]:
    from chdb import session

    s = session.Session(session_dir)
    threads = "settings max_threads = 2"

    def query(sql: str) -> list[list[str]]:
        text = str(s.query(f"{sql} {threads}", "CSV")).strip()
        return [line.replace('"', "").split(",") for line in text.splitlines() if line]

    s.query("create database if not exists bench")
    s.query("drop table if exists bench.events")
    s.query(
        "create table bench.events (user_id String, event_id String, event_name LowCardinality(String),"
        " event_at DateTime64(6)) engine = MergeTree order by (user_id, event_at)"
    )
    started = time.perf_counter()
    s.query(f"insert into bench.events select user_id, event_id, event_name, event_at from file('{parquet}', Parquet)")
    results: dict[str, Any] = {"load_seconds": time.perf_counter() - started}

    floor_sql = (
        "select count(), sum(events) from (select user_id, count() as events, min(event_at), max(event_at)"
        " from bench.events group by user_id)"
    )
    seconds, rows = _timed(lambda: query(floor_sql))
    results["floor"] = {"seconds": seconds, "result": [int(v) for v in rows[0]]}

    conditions = ", ".join(f"event_name = '{name}'" for name in FUNNEL_STEPS)
    levels = ", ".join(f"countIf(level >= {k})" for k in range(1, len(FUNNEL_STEPS) + 1))
    # microsecond times as the timestamp, so the one-day window is exactly as precise as ours
    funnel_sql = (
        f"select {levels} from (select user_id, windowFunnel({86_400 * 1_000_000})"
        f"(toUInt64(toUnixTimestamp64Micro(event_at)), {conditions}) as level from bench.events group by user_id)"
    )
    seconds, rows = _timed(lambda: query(funnel_sql))
    results["funnel"] = {"seconds": seconds, "result": [int(v) for v in rows[0]]}

    # first sign-up starts the cohort; day N counts when any event falls on the N-th calendar day
    # after it (day 0: at or after the sign-up itself)
    retention_sql = f"""
        with starts as (
            select user_id, min(event_at) as started_at, toDate(started_at) as cohort_day
            from bench.events where event_name = 'sign_up' group by user_id
        ),
        days as (
            select user_id, toDate(event_at) as day, max(event_at) as last_at
            from bench.events group by user_id, day
        )
        select toInt64(days.day - starts.cohort_day) as period_number, count()
        from starts inner join days on days.user_id = starts.user_id
        where days.day >= starts.cohort_day and days.day <= starts.cohort_day + {RETENTION_PERIODS}
          and (days.day > starts.cohort_day or days.last_at >= starts.started_at)
        group by period_number order by period_number
    """
    seconds, rows = _timed(lambda: query(retention_sql))
    results["retention"] = {"seconds": seconds, "result": [[int(p), int(n)] for p, n in rows]}
    return results


def _run_child(args: list[str]) -> dict[str, Any]:
    """One engine's queries in a fresh process; its peak memory is sampled from outside (ru_maxrss
    would report the parent's high-water mark, which a child inherits on Linux)."""
    process = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--child", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    memory = TreeMemory(process.pid)
    stdout, stderr = process.communicate()
    memory.stop()
    if process.returncode != 0:
        raise RuntimeError(f"child {args[0]} failed:\n{stderr[-3000:]}")
    result = dict(json.loads(stdout.strip().splitlines()[-1]))
    result["peak_rss_mib"] = memory.peak_bytes / 2**20
    return result


# --- dbt -----------------------------------------------------------------------------------------


def _write_profile(folder: Path, database: Path, memory_limit: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    profile = {
        "cohortwise": {
            "target": "duckdb",
            "outputs": {
                "duckdb": {
                    "type": "duckdb",
                    "path": str(database),
                    "schema": "main",
                    "threads": 2,
                    "settings": {"memory_limit": memory_limit, "threads": 2},
                }
            },
        }
    }
    (folder / "profiles.yml").write_text(json.dumps(profile, indent=2))


def _dbt(command: list[str], work: Path, vars: dict[str, Any]) -> dict[str, Any]:
    """One dbt invocation in its own process: wall time, peak RSS of its tree, per-node seconds."""
    dbt = Path(sys.executable).parent / "dbt"
    target = work / "target"
    args = [
        str(dbt),
        *command,
        "--target",
        "duckdb",
        "--profiles-dir",
        str(work / "profiles"),
        "--project-dir",
        str(ROOT),
        "--target-path",
        str(target),
        "--log-path",
        str(work / "logs"),
        "--vars",
        json.dumps(vars),
        "--quiet",
    ]
    started = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT)
    memory = TreeMemory(process.pid)
    output, _ = process.communicate()
    memory.stop()
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"dbt {' '.join(command)} failed:\n{output[-3000:]}")
    results = json.loads((target / "run_results.json").read_text())["results"]
    nodes = {r["unique_id"]: float(r["execution_time"]) for r in results}
    return {"seconds": seconds, "peak_rss_mib": memory.peak_bytes / 2**20, "nodes": nodes}


def _slowest(nodes: dict[str, float], count: int = 12) -> dict[str, float]:
    """Where a build spends its time: the slowest nodes (dbt runs two at a time)."""
    ranked = sorted(nodes.items(), key=lambda item: item[1], reverse=True)[:count]
    return {unique_id: round(seconds, 2) for unique_id, seconds in ranked}


def _incremental_analyses(work: Path, analysis: str) -> tuple[str, ...]:
    """The demo's funnel or retention models materialized incrementally (from the manifest of the last run)."""
    manifest = json.loads((work / "target" / "manifest.json").read_text())
    return tuple(
        sorted(
            node["name"]
            for node in manifest["nodes"].values()
            if node["resource_type"] == "model"
            and node["config"].get("materialized") == "incremental"
            and (node["config"].get("meta") or {}).get("cohortwise", {}).get("analysis") == analysis
        )
    )


def _model_seconds(nodes: dict[str, float], models: tuple[str, ...]) -> float:
    return sum(seconds for unique_id, seconds in nodes.items() if unique_id.split(".")[-1] in models)


def _event_level_seconds(nodes: dict[str, float]) -> float:
    """Time of the event-level models and of the tests on them."""
    total = 0.0
    for unique_id, seconds in nodes.items():
        if any(f".{model}" in unique_id or f"_{model}_" in unique_id for model in EVENT_LEVEL_MODELS):
            total += seconds
    return total


# --- one size --------------------------------------------------------------------------------------


def _generate(database: Path, events: int) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    from cohortwise.datagen import DuckDBSink, GeneratorConfig, generate

    users = max(1, events // EVENTS_PER_USER)
    started = time.perf_counter()
    report = generate(
        GeneratorConfig(users=users, days=DAYS, events_per_user=EVENTS_PER_USER, seed=42, start_date=START),
        DuckDBSink(database),
    )
    import duckdb

    last_day = (START + timedelta(days=DAYS - 1)).isoformat()
    with duckdb.connect(str(database), config={"memory_limit": "2GB"}) as con:
        con.execute(
            "create or replace table raw.appended as select * from raw.events"
            f" where try_cast(event_time as timestamp) >= timestamp '{last_day}'"
        )
        con.execute(f"delete from raw.events where try_cast(event_time as timestamp) >= timestamp '{last_day}'")
        history = con.execute("select count(*) from raw.events").fetchone()
        appended = con.execute("select count(*) from raw.appended").fetchone()
    return {
        "users": users,
        "raw_rows": report.events_total,
        "history_rows": int(history[0]) if history else 0,
        "appended_rows": int(appended[0]) if appended else 0,
        "seconds": time.perf_counter() - started,
    }


def _same_rows(left: Path, right: Path, models: tuple[str, ...] = EVENT_LEVEL_MODELS) -> dict[str, bool]:
    import duckdb

    same = {}
    with duckdb.connect(str(left), read_only=True, config={"memory_limit": "3GB"}) as con:
        con.execute(f"attach '{right}' as other (read_only)")
        for model in models:
            differing = con.execute(
                f"select count(*) from ((select * from main.{model} except all select * from other.main.{model})"
                f" union all (select * from other.main.{model} except all select * from main.{model}))"
            ).fetchone()
            same[model] = differing == (0,)
    return same


def _append_day(database: Path) -> None:
    import duckdb

    with duckdb.connect(str(database), config={"memory_limit": "2GB"}) as con:
        con.execute("insert into raw.events select * from raw.appended")


def bench_size(events: int, work: Path, memory_limit: str, log: Any) -> dict[str, Any]:
    work.mkdir(parents=True, exist_ok=True)
    database = work / "bench.duckdb"
    if database.exists():
        database.unlink()
    log(f"[{events:,} events] generating {DAYS} days")
    generated = _generate(database, events)
    as_of = datetime.combine(START + timedelta(days=DAYS + 1), datetime.min.time(), tzinfo=UTC)
    vars = {"cohortwise__as_of": as_of.strftime("%Y-%m-%d %H:%M:%S")}
    _write_profile(work / "profiles", database, memory_limit)

    log(f"[{events:,} events] dbt build of the {DAYS - 1}-day history")
    build = _dbt(["build"], work, vars)
    log(f"  {build['seconds']:.1f}s, peak {build['peak_rss_mib']:.0f} MiB")
    # the SQL of a full build (a refresh compiles the incremental funnels' own)
    compiled = work / "target" / "compiled" / "cohortwise" / "models"
    (work / "funnel.sql").write_text((compiled / "funnels" / f"{FUNNEL_MODEL}.sql").read_text())
    (work / "retention.sql").write_text((compiled / "retention" / f"{RETENTION_MODEL}.sql").read_text())
    funnels = _incremental_analyses(work, "funnel")
    retentions = _incremental_analyses(work, "retention")

    # the history, kept to refresh the event-level models alone (nothing else running beside them)
    alone_work = work / "alone"
    alone_db = alone_work / "bench.duckdb"
    alone_work.mkdir(exist_ok=True)
    shutil.copy(database, alone_db)
    _write_profile(alone_work / "profiles", alone_db, memory_limit)

    log(f"[{events:,} events] appended one day; dbt build (incremental refresh)")
    _append_day(database)
    refresh = _dbt(["build"], work, vars)
    log(f"  {refresh['seconds']:.1f}s, peak {refresh['peak_rss_mib']:.0f} MiB")

    log(f"[{events:,} events] the event-level models and their tests alone: refreshed, then fully rebuilt")
    _append_day(alone_db)
    refresh_alone = _dbt(["build", "--select", *EVENT_LEVEL_MODELS], alone_work, vars)
    check_work = work / "check"
    check_db = check_work / "bench.duckdb"
    check_work.mkdir(exist_ok=True)
    shutil.copy(alone_db, check_db)
    _write_profile(check_work / "profiles", check_db, memory_limit)
    rebuilt = _dbt(["build", "--full-refresh", "--select", *EVENT_LEVEL_MODELS], check_work, vars)
    same = _same_rows(database, check_db)
    same_alone = _same_rows(alone_db, check_db)
    # the incremental funnels and retentions and the users' activity (incremental by user) of the
    # whole refresh against their full rebuild on the same events
    log(f"[{events:,} events] the incremental analyses and user tables rebuilt in full, to compare")
    _dbt(["run", "--full-refresh", "--select", *funnels, *retentions, *USER_MODELS], check_work, vars)
    same_funnels = _same_rows(database, check_db, funnels)
    same_retentions = _same_rows(database, check_db, retentions)
    same_users = _same_rows(database, check_db, USER_MODELS)
    check_db.unlink()
    alone_db.unlink()
    alone_seconds, rebuilt_seconds = sum(refresh_alone["nodes"].values()), sum(rebuilt["nodes"].values())
    log(f"  refresh {alone_seconds:.1f}s, full rebuild {rebuilt_seconds:.1f}s (node seconds)")

    import duckdb

    parquet = work / "events.parquet"
    with duckdb.connect(str(database), read_only=True, config={"memory_limit": "2GB"}) as con:
        con.execute(
            "copy (select user_id, event_id, event_name, event_at from fct_events where user_id is not null)"
            f" to '{parquet}' (format parquet)"
        )

    log(f"[{events:,} events] queries on DuckDB (ours and the floor)")
    ours = _run_child(["duckdb", str(database), str(work / "funnel.sql"), str(work / "retention.sql"), memory_limit])
    log(f"[{events:,} events] queries on chDB")
    session_dir = work / "chdb"
    shutil.rmtree(session_dir, ignore_errors=True)
    chdb = _run_child(["chdb", str(parquet), str(session_dir)])
    shutil.rmtree(session_dir, ignore_errors=True)
    parquet.unlink()

    return {
        "events": events,
        "generated": generated,
        "build": {k: v for k, v in build.items() if k != "nodes"} | {"slowest_nodes": _slowest(build["nodes"])},
        "refresh": {k: v for k, v in refresh.items() if k != "nodes"} | {"slowest_nodes": _slowest(refresh["nodes"])},
        "event_level": {
            "build_seconds": _event_level_seconds(build["nodes"]),
            "refresh_seconds": _event_level_seconds(refresh["nodes"]),
            "alone_refresh_seconds": alone_seconds,
            "alone_full_rebuild_seconds": rebuilt_seconds,
            "refresh_equals_full_rebuild": same,
            "alone_refresh_equals_full_rebuild": same_alone,
        },
        "incremental_funnels": {
            "build_seconds": _model_seconds(build["nodes"], funnels),
            "refresh_seconds": _model_seconds(refresh["nodes"], funnels),
            "refresh_equals_full_rebuild": same_funnels,
        },
        "incremental_retentions": {
            "build_seconds": _model_seconds(build["nodes"], retentions),
            "refresh_seconds": _model_seconds(refresh["nodes"], retentions),
            "refresh_equals_full_rebuild": same_retentions,
        },
        "user_tables": {
            "build_seconds": _model_seconds(build["nodes"], USER_MODELS),
            "refresh_seconds": _model_seconds(refresh["nodes"], USER_MODELS),
            "refresh_equals_full_rebuild": same_users,
        },
        "duckdb": ours,
        "chdb": chdb,
        "counts_identical": {
            "funnel": ours["funnel"]["result"] == chdb["funnel"]["result"],
            "retention": ours["retention"]["result"] == chdb["retention"]["result"],
            "floor": ours["floor"]["result"] == chdb["floor"]["result"],
        },
    }


# --- the report -----------------------------------------------------------------------------------


def _refresh_correct(size: dict[str, Any]) -> bool:
    """Both refreshes (inside the whole build, and of the event-level models alone) and the refresh of
    the incremental funnels and retentions and of the user tables equal a full rebuild."""
    level = size["event_level"]
    return (
        all(level["refresh_equals_full_rebuild"].values())
        and all(level["alone_refresh_equals_full_rebuild"].values())
        and all(size["incremental_funnels"]["refresh_equals_full_rebuild"].values())
        and all(size["incremental_retentions"]["refresh_equals_full_rebuild"].values())
        and all(size["user_tables"]["refresh_equals_full_rebuild"].values())
    )


def _ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")


def table(size: dict[str, Any]) -> list[dict[str, Any]]:
    """The printed rows: each of our queries with its ratio to chDB's and to DuckDB's floor."""
    ours, ch = size["duckdb"], size["chdb"]
    floor = ours["floor"]["seconds"]

    def row(
        engine: str, query: str, seconds: float, peak_mib: float, *, ours: bool = False, chdb: float | None = None
    ) -> dict[str, Any]:
        return {
            "engine": engine,
            "query": query,
            "seconds": seconds,
            "ours_vs_chdb": _ratio(seconds, chdb) if chdb is not None else None,
            "ours_vs_floor": _ratio(seconds, floor) if ours else None,
            "peak_mib": peak_mib,
        }

    return [
        row("DuckDB", "floor: group all events by entity", floor, ours["peak_rss_mib"], ours=True),
        row("chDB", "the same group by", ch["floor"]["seconds"], ch["peak_rss_mib"]),
        row(
            "cohortwise/DuckDB",
            f"funnel ({FUNNEL_MODEL}, 4 steps, 1 day)",
            ours["funnel"]["seconds"],
            ours["peak_rss_mib"],
            ours=True,
            chdb=ch["funnel"]["seconds"],
        ),
        row("chDB", "windowFunnel(86400)", ch["funnel"]["seconds"], ch["peak_rss_mib"]),
        row(
            "cohortwise/DuckDB",
            f"retention ({RETENTION_MODEL}, 30 days)",
            ours["retention"]["seconds"],
            ours["peak_rss_mib"],
            ours=True,
            chdb=ch["retention"]["seconds"],
        ),
        row("chDB", "the same retention in SQL", ch["retention"]["seconds"], ch["peak_rss_mib"]),
        row("dbt", "dbt build, whole demo project (90 days)", size["build"]["seconds"], size["build"]["peak_rss_mib"]),
        row("dbt", "dbt build after appending 1 day", size["refresh"]["seconds"], size["refresh"]["peak_rss_mib"]),
    ]


def verdicts(sizes: list[dict[str, Any]]) -> dict[str, Any]:
    """Each target of the performance issue, measured at the largest size of this run."""
    size = max(sizes, key=lambda s: s["events"])
    ours, ch = size["duckdb"], size["chdb"]
    level = size["event_level"]
    measured: dict[str, float] = {
        "funnel_vs_chdb": _ratio(ours["funnel"]["seconds"], ch["funnel"]["seconds"]),
        "funnel_vs_floor": _ratio(ours["funnel"]["seconds"], ours["floor"]["seconds"]),
        "retention_vs_chdb": _ratio(ours["retention"]["seconds"], ch["retention"]["seconds"]),
        "build_seconds": size["build"]["seconds"],
        "build_peak_gib": size["build"]["peak_rss_mib"] / 1024,
        "refresh_vs_build": _ratio(level["alone_refresh_seconds"], level["alone_full_rebuild_seconds"]),
        "whole_refresh_vs_build": _ratio(size["refresh"]["seconds"], size["build"]["seconds"]),
    }
    if len(sizes) > 1:
        small = min(sizes, key=lambda s: s["events"])
        factor = size["events"] / small["events"]
        for name, pick in (
            ("funnel", lambda s: s["duckdb"]["funnel"]["seconds"]),
            ("retention", lambda s: s["duckdb"]["retention"]["seconds"]),
            ("build", lambda s: s["build"]["seconds"]),
        ):
            measured[f"scaling_{name}"] = _ratio(pick(size), pick(small)) * 10 / factor
    result = {}
    for name, value in measured.items():
        limit = TARGETS["scaling_10x"] if name.startswith("scaling_") else TARGETS[name]
        result[name] = {"measured": round(value, 3), "target": limit, "met": bool(value <= limit)}
    return result


def print_report(sizes: list[dict[str, Any]], out: Any = sys.stdout) -> None:
    for size in sizes:
        print(
            f"\n{size['events']:,} events requested: {size['generated']['raw_rows']:,} raw rows, "
            f"{size['generated']['users']:,} users, {DAYS - 1} days + 1 appended",
            file=out,
        )
        print(f"{'engine':<18} {'query':<44} {'seconds':>8} {'/chDB':>7} {'/floor':>7} {'peak MiB':>9}", file=out)
        for row in table(size):
            vs_ch = f"{row['ours_vs_chdb']:.2f}" if row["ours_vs_chdb"] is not None else ""
            vs_floor = f"{row['ours_vs_floor']:.2f}" if row["ours_vs_floor"] is not None else ""
            print(
                f"{row['engine']:<18} {row['query']:<44} {row['seconds']:>8.2f} {vs_ch:>7} {vs_floor:>7}"
                f" {row['peak_mib']:>9.0f}",
                file=out,
            )
        level = size["event_level"]
        print(
            f"event-level models and their tests, alone: full {level['alone_full_rebuild_seconds']:.1f}s, refresh "
            f"{level['alone_refresh_seconds']:.1f}s "
            f"({_ratio(level['alone_refresh_seconds'], level['alone_full_rebuild_seconds']):.0%}); inside the whole "
            f"builds: full {level['build_seconds']:.1f}s, refresh {level['refresh_seconds']:.1f}s "
            f"({_ratio(level['refresh_seconds'], level['build_seconds']):.0%}); refresh equals a full rebuild: "
            f"{_refresh_correct(size)}",
            file=out,
        )
        funnels = size["incremental_funnels"]
        print(
            f"incremental funnels ({len(funnels['refresh_equals_full_rebuild'])}): full build "
            f"{funnels['build_seconds']:.1f}s, refresh {funnels['refresh_seconds']:.1f}s "
            f"({_ratio(funnels['refresh_seconds'], funnels['build_seconds']):.0%}) inside the whole builds;"
            f" refresh equals a full rebuild: {all(funnels['refresh_equals_full_rebuild'].values())}",
            file=out,
        )
        retentions = size["incremental_retentions"]
        print(
            f"incremental retentions ({len(retentions['refresh_equals_full_rebuild'])}): full build "
            f"{retentions['build_seconds']:.1f}s, refresh {retentions['refresh_seconds']:.1f}s "
            f"({_ratio(retentions['refresh_seconds'], retentions['build_seconds']):.0%}) inside the whole builds;"
            f" refresh equals a full rebuild: {all(retentions['refresh_equals_full_rebuild'].values())}",
            file=out,
        )
        users = size["user_tables"]
        print(
            f"user tables ({', '.join(USER_MODELS)}): full build {users['build_seconds']:.1f}s, refresh "
            f"{users['refresh_seconds']:.1f}s ({_ratio(users['refresh_seconds'], users['build_seconds']):.0%});"
            f" refresh equals a full rebuild: {all(users['refresh_equals_full_rebuild'].values())}",
            file=out,
        )
        print(f"counts identical to chDB: {size['counts_identical']}", file=out)
    print("\ntargets (largest size):", file=out)
    for name, verdict in verdicts(sizes).items():
        print(
            f"  {name:<20} {verdict['measured']:>8} (target <= {verdict['target']}) "
            f"{'met' if verdict['met'] else 'NOT met'}",
            file=out,
        )


def _size(text: str) -> int:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--events takes numbers such as 1e6; got {text!r}") from None
    if value < 1000:
        raise argparse.ArgumentTypeError(f"--events must be at least 1000; got {text!r}")
    return int(value)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--child":
        kind, *rest = argv[1:]
        if kind == "duckdb":
            database, funnel_file, retention_file, memory_limit = rest
            result = child_duckdb(
                database, Path(funnel_file).read_text(), Path(retention_file).read_text(), memory_limit
            )
        else:
            result = child_chdb(*rest)
        print(json.dumps(result))
        return 0

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=_size, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--workdir", type=Path, default=None, help="scratch folder (default: a temporary one)")
    parser.add_argument("--memory-limit", default="3GB", help="DuckDB memory_limit for dbt and the queries")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "latest.json")
    args = parser.parse_args(argv)

    def log(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    scratch = args.workdir or Path(tempfile.mkdtemp(prefix="cohortwise-bench-"))
    sizes = []
    try:
        for events in sorted(set(args.events)):
            sizes.append(bench_size(events, scratch / f"events-{events}", args.memory_limit, log))
    finally:
        if args.workdir is None:
            shutil.rmtree(scratch, ignore_errors=True)

    import chdb
    import duckdb

    record = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "versions": {"duckdb": duckdb.__version__, "chdb": chdb.__version__},
        "memory_limit": args.memory_limit,
        "sizes": sizes,
        "tables": {str(s["events"]): table(s) for s in sizes},
        "targets": verdicts(sizes),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(record, indent=2))
    with (args.out.parent / "history.jsonl").open("a") as history:
        history.write(json.dumps(record) + "\n")
    print_report(sizes)
    print(f"\nwritten to {args.out}")
    correct = all(all(s["counts_identical"].values()) for s in sizes) and all(_refresh_correct(s) for s in sizes)
    return 0 if correct else 1


if __name__ == "__main__":
    sys.exit(main())
