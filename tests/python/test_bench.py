"""scripts/bench.py end to end at a small size: it runs, and its correctness checks hold.

No timing is asserted here (figures come from the benchmark itself, see docs/performance.md); what
is asserted is what the benchmark checks on every run: our funnel's per-step counts and our daily
retention equal ClickHouse's (an independent engine and an independent formulation of the same
semantics), and the incremental refresh equals a full rebuild.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from tests.python.conftest import ROOT

BENCH = ROOT / "scripts" / "bench.py"


@pytest.fixture(scope="module")
def small_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("bench")
    out = tmp / "latest.json"
    done = subprocess.run(
        [sys.executable, str(BENCH), "--events", "2e4", "--workdir", str(tmp / "work"), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    record: dict[str, Any] = json.loads(out.read_text())
    record["stdout"] = done.stdout
    return record


def test_counts_equal_chdb_and_refresh_equals_rebuild(small_run: dict[str, Any]) -> None:
    (size,) = small_run["sizes"]
    assert size["counts_identical"] == {"funnel": True, "retention": True, "floor": True}
    level = size["event_level"]
    assert set(level["refresh_equals_full_rebuild"].values()) == {True}
    assert set(level["alone_refresh_equals_full_rebuild"].values()) == {True}
    # the refresh measured alone ran the event-level models and their tests, on both sides
    assert level["alone_refresh_seconds"] > 0 and level["alone_full_rebuild_seconds"] > 0
    # the demo's incremental funnels, refreshed inside the whole build, equal their full rebuild
    funnels = size["incremental_funnels"]
    assert set(funnels["refresh_equals_full_rebuild"]) >= {"funnel_purchase", "funnel_checkout_strict"}
    assert set(funnels["refresh_equals_full_rebuild"].values()) == {True}
    assert funnels["refresh_seconds"] > 0 and funnels["build_seconds"] > 0
    # and so do the incremental retentions, the users' activity (incremental by user) and dim_users
    retentions = size["incremental_retentions"]["refresh_equals_full_rebuild"]
    assert set(retentions) >= {"retention_daily", "retention_rolling_7d"} and set(retentions.values()) == {True}
    assert size["user_tables"]["refresh_equals_full_rebuild"] == {"int_user_activity": True, "dim_users": True}
    # the funnel counts are real: entities reach step 1 more often than step 4, and some reach 4
    steps = size["duckdb"]["funnel"]["result"]
    assert steps[0] > steps[1] >= steps[2] >= steps[3] > 0
    # retention day 0 holds every cohort member (a sign-up is an event on its own day)
    retention = dict(size["duckdb"]["retention"]["result"])
    assert retention[0] == size["chdb"]["retention"]["result"][0][1] > 0
    assert size["generated"]["appended_rows"] > 0


def test_the_report_names_every_engine_and_target(small_run: dict[str, Any]) -> None:
    stdout = str(small_run["stdout"])
    for text in ("windowFunnel(86400)", "floor: group all events by entity", "dbt build after appending 1 day"):
        assert text in stdout
    targets = small_run["targets"]
    assert isinstance(targets, dict)
    assert {"funnel_vs_chdb", "funnel_vs_floor", "retention_vs_chdb", "build_seconds", "build_peak_gib"} <= set(targets)
    assert "event-level models and their tests, alone" in stdout


def test_bad_sizes_are_refused_with_one_line() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH), "--events", "lots"], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 2
    assert "--events takes numbers such as 1e6; got 'lots'" in done.stderr.strip().splitlines()[-1]
