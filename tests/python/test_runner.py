"""The runner's cohort commands (`cohortwise refresh`, `cohortwise status`): due computation across
time zones and DST, refresh end to end on a real DuckDB file through the installed console script,
checks and exit codes, the run log, edited definitions, lock contention and injection attempts."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest

from cohortwise.errors import CohortwiseError
from cohortwise.runner.cohorts import Cohort, CohortState
from cohortwise.runner.refresh import plan, refresh_lock
from cohortwise.runner.schedule import Schedule
from tests.python.conftest import ROOT, Build, copy_project, write_profiles

CLI = Path(sys.executable).parent / "cohortwise"
SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")


# --- schedules -------------------------------------------------------------------------------------------


def test_a_daily_slot_in_shanghai_is_1800_utc_the_day_before() -> None:
    daily = Schedule.parse({"schedule": "daily", "at": "02:00"}, "t")
    assert daily.last_slot(SHANGHAI, datetime(2024, 6, 1, 17, 59)) == datetime(2024, 5, 31, 18, 0)
    assert daily.last_slot(SHANGHAI, datetime(2024, 6, 1, 18, 0)) == datetime(2024, 6, 1, 18, 0)
    assert daily.next_slot(SHANGHAI, datetime(2024, 6, 1, 18, 0)) == datetime(2024, 6, 2, 18, 0)


def test_a_daily_slot_in_new_york_follows_daylight_saving() -> None:
    daily = Schedule.parse({"schedule": "daily", "at": "02:00"}, "t")
    # 2024-03-09 02:00 EST = 07:00 UTC; on 03-10 clocks jump from 02:00 to 03:00 EDT: 02:00 does not
    # exist and the slot is the end of the gap, 07:00 UTC; from 03-11 02:00 EDT = 06:00 UTC
    assert daily.last_slot(NEW_YORK, datetime(2024, 3, 10, 6, 59)) == datetime(2024, 3, 9, 7, 0)
    assert daily.last_slot(NEW_YORK, datetime(2024, 3, 10, 7, 0)) == datetime(2024, 3, 10, 7, 0)
    assert daily.next_slot(NEW_YORK, datetime(2024, 3, 10, 7, 0)) == datetime(2024, 3, 11, 6, 0)
    # on 2024-11-03 01:00-02:00 happens twice; 02:00 EST once, = 07:00 UTC; the day before 06:00 UTC
    assert daily.next_slot(NEW_YORK, datetime(2024, 11, 2, 6, 0)) == datetime(2024, 11, 3, 7, 0)
    twice = Schedule.parse({"schedule": "daily", "at": "01:30"}, "t")
    assert twice.next_slot(NEW_YORK, datetime(2024, 11, 3, 0, 0)) == datetime(2024, 11, 3, 5, 30)  # first 01:30 (EDT)
    assert twice.next_slot(NEW_YORK, datetime(2024, 11, 3, 5, 30)) == datetime(2024, 11, 4, 6, 30)  # not the second


def test_hourly_weekly_and_manual_slots() -> None:
    hourly = Schedule.parse({"schedule": "hourly", "at": ":15"}, "t")
    kolkata = ZoneInfo("Asia/Kolkata")  # UTC+05:30: :15 local is :45 UTC
    assert hourly.last_slot(kolkata, datetime(2024, 6, 1, 12, 0)) == datetime(2024, 6, 1, 11, 45)
    assert hourly.next_slot(kolkata, datetime(2024, 6, 1, 12, 0)) == datetime(2024, 6, 1, 12, 45)
    weekly = Schedule.parse({"schedule": "weekly", "weekday": "monday", "at": "03:00"}, "t")
    utc = ZoneInfo("UTC")
    assert weekly.last_slot(utc, datetime(2024, 6, 5, 12, 0)) == datetime(2024, 6, 3, 3, 0)  # Wednesday -> Monday
    assert weekly.next_slot(utc, datetime(2024, 6, 3, 3, 0)) == datetime(2024, 6, 10, 3, 0)
    manual = Schedule.parse(None, "t")
    assert manual.last_slot(utc, datetime(2024, 6, 5)) is None and manual.describe() == "manual"
    with pytest.raises(CohortwiseError, match=r"refresh\.at must be 'HH:MM'"):
        Schedule.parse({"schedule": "daily", "at": "2am"}, "model x")


def _cohort(name: str, zone: str, at: str, checksum: str = "c1") -> Cohort:
    schedule = Schedule.parse({"schedule": "daily", "at": at}, name)
    return Cohort(name, f"model.p.{name}", "behavioral", "user_id", zone, schedule, None, None, checksum)


def test_what_is_due_and_why() -> None:
    shanghai = _cohort("in_shanghai", "Asia/Shanghai", "02:00")
    new_york = _cohort("in_new_york", "America/New_York", "02:00", checksum="c2")
    fresh = _cohort("never_computed", "UTC", "02:00")
    states = {
        "in_shanghai": CohortState([(datetime(2024, 6, 1, 17, 0), 10, "c1")]),
        "in_new_york": CohortState([(datetime(2024, 6, 1, 17, 0), 10, "c1")]),  # computed with another definition
    }
    now = datetime(2024, 6, 1, 18, 30)  # 02:30 in Shanghai, 14:30 in New York
    due = {p.cohort.name: p.reasons for p in plan([shanghai, new_york, fresh], states, now, [])}
    assert due == {"in_shanghai": ["scheduled"], "in_new_york": ["edited"], "never_computed": ["new"]}
    states["in_new_york"] = CohortState([(datetime(2024, 6, 1, 17, 0), 10, "c2")])
    due = {p.cohort.name: p.reasons for p in plan([shanghai, new_york], states, now, ["in_new_york"])}
    assert due == {"in_shanghai": ["scheduled"], "in_new_york": ["selected"]}
    with pytest.raises(CohortwiseError, match="--select names no cohort: x'; drop table users; --"):
        plan([shanghai], states, now, ["x'; drop table users; --"])


# --- end to end on a real DuckDB file ---------------------------------------------------------------------


def cli(*args: object, project: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([CLI, *map(str, args)], capture_output=True, text=True, check=False, cwd=project)


@pytest.fixture(scope="module")
def runner_db(sample_build: Build, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A copy of the sample build whose cohorts were never computed (history emptied)."""
    tmp = tmp_path_factory.mktemp("runner")
    database = tmp / "runner.duckdb"
    shutil.copy(sample_build.database, database)
    with duckdb.connect(str(database)) as con:
        con.execute("delete from cohort_computations")
        con.execute("delete from cohort_membership_history")
    return database, write_profiles(tmp / "profiles", database)


def _options(profiles: Path, project: Path = ROOT) -> list[str]:
    return ["--project-dir", str(project), "--profiles-dir", str(profiles), "--target", "duckdb"]


def _own_copy(runner_db: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    """A test's own copy of the runner database, and a profile pointing at it."""
    copy = tmp_path / "own.duckdb"
    shutil.copy(runner_db[0], copy)
    return copy, write_profiles(tmp_path / "profiles", copy)


def _own_project(tmp_path: Path) -> Path:
    """A copy of the dbt project that a test may write model files into."""
    return copy_project(tmp_path)


def _due(profiles: Path, as_of: str, project: Path = ROOT) -> dict[str, str]:
    done = cli("refresh", *_options(profiles, project), "--dry-run", "--as-of", as_of, project=project)
    assert done.returncode == 0, done.stderr
    if done.stdout.strip() == "nothing is due":
        return {}
    return {line.split()[0]: line.split()[1] for line in done.stdout.splitlines()[2:]}


def test_refresh_builds_what_is_due_checks_it_and_logs_it(runner_db: tuple[Path, Path]) -> None:
    database, profiles = runner_db
    cohorts = {
        "cohort_active_users", "cohort_cart_not_ordered", "cohort_churned_users", "cohort_high_value_users",
        "cohort_march_cart_buyers", "cohort_mid_value_users", "cohort_new_users", "cohort_paying_users",
        "cohort_silent_users", "cohort_test_users",
    }  # fmt: skip
    assert _due(profiles, "2024-03-20 12:00:00") == dict.fromkeys(cohorts, "new")

    done = cli("refresh", *_options(profiles), "--as-of", "2024-03-20 12:00:00")
    # empty cohorts fail the runner's check: exit 1, every table still built and logged
    assert done.returncode == 1, done.stdout + done.stderr
    assert "rpt_cohort_trend" in done.stderr  # a dependent of cohort_paying_users, rebuilt in the same run
    with duckdb.connect(str(database), read_only=True) as con:
        log = {
            row[0]: row[1:]
            for row in con.execute(
                "select cohort_name, status, members, reason, computed_at, message from cohort_run_log"
            ).fetchall()
        }
        sizes = {name: con.execute(f"select count(*) from {name}").fetchone()[0] for name in cohorts}  # type: ignore[index]
    assert set(log) == cohorts
    for name in cohorts:
        status, members, reason, computed_at, message = log[name]
        assert (members, reason, computed_at) == (sizes[name], "new", datetime(2024, 3, 20, 12, 0)), name
        if sizes[name] == 0:
            assert (status, message) == ("check_failed", "empty cohort"), name
        else:
            assert (status, message) == ("success", None), name
    assert sizes["cohort_active_users"] == 7 and sizes["cohort_high_value_users"] == 0

    # an hour later only the hourly cohort (:15) is due; at 18:00 UTC it is 02:00 in Shanghai
    assert _due(profiles, "2024-03-20 13:00:00") == {"cohort_cart_not_ordered": "scheduled"}
    assert _due(profiles, "2024-03-20 18:00:00") == {
        "cohort_cart_not_ordered": "scheduled",
        "cohort_new_users": "scheduled",
    }
    # the UTC cohorts' 02:30, 03:00 and 04:00 have passed by 05:59; New York's 02:00 is 06:00 UTC
    # (EDT since 03-10); the weekly cohort last ran on Monday 03-18 03:00, before the computation
    daily_utc = {"cohort_silent_users", "cohort_paying_users", "cohort_high_value_users", "cohort_mid_value_users"}
    before_new_york = {"cohort_cart_not_ordered", "cohort_new_users", *daily_utc}
    assert _due(profiles, "2024-03-21 05:59:59") == dict.fromkeys(before_new_york, "scheduled")
    assert _due(profiles, "2024-03-21 06:00:00") == dict.fromkeys(
        before_new_york | {"cohort_active_users"}, "scheduled"
    )

    status = cli("status", *_options(profiles), "--json", "--as-of", "2024-03-20 13:00:00")
    assert status.returncode == 0, status.stderr
    rows = {row["cohort"]: row for row in map(json.loads, status.stdout.splitlines())}
    assert set(rows) == cohorts
    assert rows["cohort_new_users"]["next_due"] == "2024-03-20 18:00 UTC"
    assert rows["cohort_cart_not_ordered"]["next_due"] == "now (scheduled)"
    assert rows["cohort_active_users"]["members"] == 7 and rows["cohort_active_users"]["last_status"] == "success"
    assert rows["cohort_test_users"]["schedule"] == "manual" and rows["cohort_test_users"]["next_due"] == "manual"


def test_an_edited_definition_is_recomputed(runner_db: tuple[Path, Path], tmp_path: Path) -> None:
    _, profiles = runner_db
    project = _own_project(tmp_path)
    first = cli(
        "refresh",
        *_options(profiles, project),
        "--select",
        "cohort_silent_users",
        "--as-of",
        "2024-03-20 12:00:00",
        project=project,
    )
    assert first.returncode in (0, 1), first.stderr
    model = project / "models" / "cohorts" / "cohort_silent_users.sql"
    model.write_text(model.read_text().replace("{'last_days': 7}", "{'last_days': 3}"))
    assert _due(profiles, "2024-03-20 12:00:00", project).get("cohort_silent_users") == "edited"

    # a cohort whose build fails: exit 2, logged as failed (never as a success), its table left as it was
    broken = project / "models" / "cohorts" / "cohort_mid_value_users.sql"
    broken.write_text("select entity_id, computed_at from a_table_that_does_not_exist\n")
    database, own_profiles = _own_copy(runner_db, tmp_path)
    with duckdb.connect(str(database), read_only=True) as con:
        before = con.execute("select count(*) from cohort_mid_value_users").fetchone()
    failed = cli(
        "refresh", *_options(own_profiles, project), "--select", "cohort_mid_value_users",
        "--as-of", "2024-03-20 12:00:00", project=project,
    )  # fmt: skip
    assert failed.returncode == 2, failed.stdout + failed.stderr
    with duckdb.connect(str(database), read_only=True) as con:
        status = con.execute(
            "select status, members from cohort_run_log where cohort_name = 'cohort_mid_value_users'"
            " order by finished_at desc limit 1"
        ).fetchone()
        assert con.execute("select count(*) from cohort_mid_value_users").fetchone() == before
    assert status == ("failed", None)


def test_a_second_refresh_waits_for_the_lock_then_gives_up(runner_db: tuple[Path, Path], tmp_path: Path) -> None:
    _, profiles = runner_db
    with refresh_lock(ROOT / "target", 0):
        done = cli("refresh", *_options(profiles), "--lock-timeout", "1", "--as-of", "2024-03-20 12:00:00")
    assert done.returncode == 2
    assert done.stderr.strip().startswith("cohortwise: another refresh is running")
    assert len(done.stderr.strip().splitlines()) == 1

    # two refreshes started at once: the second finds the first's lock, waits, then gives up
    import time

    _, own_profiles = _own_copy(runner_db, tmp_path)
    command = [str(CLI), "refresh", *_options(own_profiles), "--select", "cohort_paying_users"]
    first = subprocess.Popen([*command, "--as-of", "2024-03-27 12:00:00"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, cwd=ROOT)  # fmt: skip
    lock = ROOT / "target" / "cohortwise-refresh.lock"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (lock.exists() and lock.read_text().strip() == str(first.pid)):
        time.sleep(0.05)  # until the first holds the lock (it writes its pid into the file)
    second = subprocess.run([*command, "--lock-timeout", "0.5"], capture_output=True, text=True, check=False, cwd=ROOT)
    first_out, first_err = first.communicate(timeout=300)
    assert first.returncode in (0, 1), first_out + first_err
    assert second.returncode == 2 and "another refresh is running" in second.stderr, second.stdout + second.stderr


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--select", "x'; drop table users; --"], "--select names no cohort: x'; drop table users; --"),
        (["--as-of", "yesterday"], "must look like 'YYYY-MM-DD HH:MM:SS'"),
    ],
)
def test_bad_refresh_arguments_exit_2_with_one_line(
    runner_db: tuple[Path, Path], arguments: list[str], message: str
) -> None:
    database, profiles = runner_db
    done = cli("refresh", *_options(profiles), "--dry-run", *arguments)
    assert done.returncode == 2, done.stdout
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
    with duckdb.connect(str(database), read_only=True) as con:
        assert con.execute("select count(*) from dim_users").fetchone() == (7,)


def test_a_refresh_killed_mid_build_leaves_the_tables_and_the_next_one_completes(
    runner_db: tuple[Path, Path], tmp_path: Path
) -> None:
    import signal
    import time

    killed_db, killed_profiles = _own_copy(runner_db, tmp_path)
    as_of = "2024-03-28 12:00:00"
    with duckdb.connect(str(killed_db), read_only=True) as con:
        before = {
            name: con.execute(f"select count(*) from {name}").fetchone()
            for (name,) in con.execute("select cohort_name from cohort_registry").fetchall()
        }
        logged_before = con.execute("select count(*) from cohort_run_log").fetchone()
    process = subprocess.Popen(
        [CLI, "refresh", *_options(killed_profiles), "--as-of", as_of, "--select", "cohort_march_cart_buyers"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert process.stderr is not None
    for line in process.stderr:  # the progress lines: kill as soon as the first cohort is built
        if "OK created sql table model" in line and "cohort_" in line:
            break
    time.sleep(0.2)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    with duckdb.connect(str(killed_db), read_only=True) as con:
        for name in before:  # every cohort table is there, old or new, never half-built
            assert con.execute(f"select count(*) from {name}").fetchone() is not None, name
        assert con.execute("select count(*) from cohort_run_log").fetchone() == logged_before  # no success logged
    # the next refresh finds what is still due and completes it
    again = cli("refresh", *_options(killed_profiles), "--as-of", as_of)
    assert again.returncode in (0, 1), again.stdout + again.stderr
    assert _due(killed_profiles, as_of) == {}
    with duckdb.connect(str(killed_db), read_only=True) as con:
        computed = dict(
            con.execute("select cohort_name, max(computed_at) from cohort_computations group by cohort_name").fetchall()
        )
    scheduled = {name for name in before if name not in ("cohort_march_cart_buyers", "cohort_test_users")}  # manual
    assert {name for name, at in computed.items() if at == datetime(2024, 3, 28, 12, 0)} >= scheduled


def test_refresh_on_postgres(tmp_path: Path) -> None:
    """The same refresh on a real PostgreSQL server: built, checked, logged; nothing due afterwards."""
    import psycopg2

    from cohortwise.dbt import DbtProject, invoke
    from tests.python.conftest import SAMPLE_VARS
    from tests.python.pg_server import running_postgres

    with running_postgres() as server:
        profiles = tmp_path / "profiles"
        profiles.mkdir()
        output = {
            "type": "postgres", "host": server.host, "port": server.port, "user": server.user, "password": "",
            "dbname": server.dbname, "schema": "cohortwise", "threads": 2,
        }  # fmt: skip
        (profiles / "profiles.yml").write_text(
            json.dumps({"cohortwise": {"target": "postgres", "outputs": {"postgres": output}}})
        )
        project = DbtProject(ROOT, profiles, "postgres", tmp_path / "target")
        assert invoke(project, ["seed"], vars=SAMPLE_VARS).success
        # everything but the cohorts and what depends on them: the runner computes those as new
        built = invoke(project, ["run", "--exclude", "path:models/cohorts+"], vars=SAMPLE_VARS)
        assert built.success, built.error_lines()

        options = ["--project-dir", str(ROOT), "--profiles-dir", str(profiles), "--target", "postgres"]
        done = cli("refresh", *options, "--as-of", "2024-03-20 12:00:00")
        assert done.returncode == 1, done.stdout + done.stderr  # the empty cohorts fail their check
        dry = cli("refresh", *options, "--as-of", "2024-03-20 12:00:00", "--dry-run")
        assert (dry.returncode, dry.stdout.strip()) == (0, "nothing is due"), dry.stdout + dry.stderr

        with (
            psycopg2.connect(host=server.host, port=server.port, user=server.user, dbname=server.dbname) as pg,
            pg.cursor() as cursor,
        ):
            cursor.execute("select cohort_name, status, members, message from cohortwise.cohort_run_log")
            log = {row[0]: row[1:] for row in cursor.fetchall()}
            cursor.execute("select count(*) from cohortwise.cohort_active_users")
            active = cursor.fetchone()
            cursor.execute("select count(*) from cohortwise.rpt_cohort_trend")
            trend = cursor.fetchone()
        # drill, save-cohort and import-ids on the same server, in a project copy they may write to
        copy = _own_project(tmp_path)
        on_pg = ["--project-dir", str(copy), "--profiles-dir", str(profiles), "--target", "postgres"]
        drilled = cli("drill", "funnel", "funnel_purchase", "--step", 2, "--dropped", *on_pg, project=copy)
        saved = cli("save-cohort", "funnel", "funnel_purchase", "--step", 2, "--name", "cohort_carted", "--static",
                    *on_pg, project=copy)  # fmt: skip
        ids = tmp_path / "vips.csv"
        ids.write_text("user_id\nu_alice\nu_alice\nu_nobody\n")
        imported = cli("import-ids", ids, "--cohort", "cohort_vips", *on_pg, project=copy)
        with (
            psycopg2.connect(host=server.host, port=server.port, user=server.user, dbname=server.dbname) as pg,
            pg.cursor() as cursor,
        ):
            cursor.execute("select step_number, entities, dropped_entities from cohortwise.rpt_funnel_purchase")
            report = {row[0]: row[1:] for row in cursor.fetchall()}
            cursor.execute("select count(*) from cohortwise.cohort_carted")
            carted = cursor.fetchone()
            cursor.execute("select entity_id from cohortwise.cohort_vips")
            vips = cursor.fetchall()
    assert len(log) == 10 and active == (7,) and trend is not None and trend[0] > 0
    assert log["cohort_active_users"] == ("success", 7, None)
    assert log["cohort_paying_users"] == ("success", 4, None)
    assert log["cohort_high_value_users"] == ("check_failed", 0, "empty cohort")
    assert _drilled_total(drilled) == report[2][1]
    assert saved.returncode == 0 and carted == (report[2][0],), saved.stdout + saved.stderr
    assert imported.returncode == 0 and vips == [("u_alice",)], imported.stdout + imported.stderr
    assert "1 accepted, 2 rejected (duplicate_id 1, unknown_id 1)" in imported.stdout


# --- drill ----------------------------------------------------------------------------------------------


def _drilled_total(done: subprocess.CompletedProcess[str]) -> int:
    assert done.returncode == 0, done.stderr
    return int(done.stdout.strip().splitlines()[-1].split()[0].replace(",", ""))


def test_drill_counts_equal_the_report_numbers(runner_db: tuple[Path, Path], tmp_path: Path) -> None:
    database, profiles = runner_db
    options = _options(profiles)
    with duckdb.connect(str(database), read_only=True) as con:
        funnel = con.execute("select step_number, entities, dropped_entities from rpt_funnel_purchase").fetchall()
        cells = con.execute(
            "select cast(cohort_period as varchar), period_number, retained_entities from rpt_retention_daily"
            " where breakdown_value is null and retained_entities > 0 order by 1, 2 limit 2"
        ).fetchall()
        values = con.execute(
            "select event_label, cast(bucket_start as varchar), segment_label, people from rpt_event_segmentation"
            " where people > 0 order by people desc, 2 limit 2"
        ).fetchall()
    for step, entities, dropped in funnel:
        assert _drilled_total(cli("drill", "funnel", "funnel_purchase", "--step", step, *options)) == entities
        if step < len(funnel):
            done = cli("drill", "funnel", "funnel_purchase", "--step", step, "--dropped", *options)
            assert _drilled_total(done) == dropped
    for cohort_period, period, retained in cells:
        done = cli(
            "drill", "retention", "retention_daily", "--cohort-period", cohort_period, "--period", period, *options
        )
        assert _drilled_total(done) == retained
    for event, bucket, segment, people in values:
        done = cli(
            "drill", "segmentation", "segmentation_engagement", "--event", event, "--bucket", bucket,
            "--segment", segment, *options,
        )  # fmt: skip
        assert _drilled_total(done) == people
    # the export: every entity with its user attributes, one CSV row each
    out = tmp_path / "converted.csv"
    done = cli("drill", "funnel", "funnel_purchase", "--step", 1, "--out", out, *options)
    assert done.returncode == 0, done.stderr
    lines = out.read_text().splitlines()
    assert len(lines) - 1 == funnel[0][1] and lines[0].startswith("entity_id,") and "country" in lines[0]


@pytest.mark.parametrize(
    "arguments",
    [
        ["segmentation", "segmentation_engagement", "--event", "x'; drop table users; --", "--bucket", "2024-03-04"],
        ["segmentation", "segmentation_engagement", "--event", "app_open", "--bucket", "2024-03-04'; --"],
        [
            "segmentation",
            "segmentation_engagement",
            "--event",
            "app_open",
            "--bucket",
            "2024-03-04",
            "--segment",
            "x' or '1'='1",
        ],
        ["funnel", "funnel_purchase; drop table users", "--step", "1"],
        ["funnel", "retention_daily", "--step", "1"],
        ["funnel", "funnel_purchase", "--step", "9", "--dropped"],
    ],
)
def test_drill_refuses_what_is_not_in_the_model(runner_db: tuple[Path, Path], arguments: list[str]) -> None:
    database, profiles = runner_db
    done = cli("drill", *arguments, *_options(profiles))
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, done.stdout + done.stderr
    with duckdb.connect(str(database), read_only=True) as con:
        assert con.execute("select count(*) from dim_users").fetchone() == (7,)


def test_an_export_above_the_limit_is_refused(runner_db: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    from cohortwise.dbt import DbtProject
    from cohortwise.runner import drill

    _, profiles = runner_db
    monkeypatch.setattr(drill, "EXPORT_ROWS", 3)  # the sample's 6 viewers stand in for 500,001
    project = DbtProject(ROOT, profiles, "duckdb")
    with pytest.raises(CohortwiseError, match="6 entities: an export holds at most 3 rows"):
        drill.drill(project, "funnel", "funnel_purchase", {"outcome": "converted", "step": 1}, limit=3)


def test_the_scheduler_refreshes_what_is_due_and_stops_on_sigterm(runner_db: tuple[Path, Path], tmp_path: Path) -> None:
    import signal

    copy, profiles = _own_copy(runner_db, tmp_path)
    process = subprocess.Popen(
        [CLI, "scheduler", *_options(profiles), "--interval", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert process.stdout is not None
    lines = []
    for line in process.stdout:  # the computations of March 2024 are long overdue today
        lines.append(line.strip())
        if " refreshed " in line or "could not run" in line:
            break
    process.send_signal(signal.SIGTERM)
    rest, _ = process.communicate(timeout=120)
    lines += rest.strip().splitlines()
    assert process.returncode == 0, lines
    assert any(" refreshed (exit " in line for line in lines), lines
    assert "received SIGTERM" in " ".join(lines) and lines[-1].endswith("scheduler stopped")
    with duckdb.connect(str(copy), read_only=True) as con:
        latest = con.execute("select max(computed_at) from cohort_computations").fetchone()
    assert latest is not None and latest[0] > datetime(2025, 1, 1)  # computed now, on the real clock


# --- import-ids -------------------------------------------------------------------------------------------


def test_import_ids_creates_an_id_cohort_and_keeps_it_when_an_import_fails(
    runner_db: tuple[Path, Path], tmp_path: Path
) -> None:
    copy, profiles = _own_copy(runner_db, tmp_path)
    project = _own_project(tmp_path)
    ids = tmp_path / "vips.csv"
    ids.write_text("user_id,tier\nu_alice,gold\nu_bob,silver\n,none\nu_bob,silver again\nu_zed,gold\n")
    done = cli("import-ids", ids, "--cohort", "cohort_vips", *_options(profiles, project), project=project)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "cohort_vips: 2 accepted, 3 rejected (blank_id 1, duplicate_id 1, unknown_id 1)" in done.stdout
    rejected = (tmp_path / "vips.rejected.csv").read_text().splitlines()
    assert rejected[0] == "id_as_given,entity_id,tier,rejection_reason"
    assert sorted(rejected[1:]) == [
        ",,none,blank_id",
        "u_bob,u_bob,silver again,duplicate_id",
        "u_zed,u_zed,gold,unknown_id",
    ]
    with duckdb.connect(str(copy), read_only=True) as con:
        assert sorted(con.execute("select entity_id, tier from cohort_vips").fetchall()) == [
            ("u_alice", "gold"),
            ("u_bob", "silver"),
        ]
    assert (project / "models" / "cohorts" / "cohort_vips.sql").exists()

    # a file that cannot be built (a property named like a cohort column): the previous version stays
    bad = tmp_path / "bad.csv"
    bad.write_text("user_id,computed_at\nu_carol,x\n")
    failed = cli("import-ids", bad, "--cohort", "cohort_vips", *_options(profiles, project), project=project)
    assert failed.returncode == 2 and len(failed.stderr.strip().splitlines()) == 1, failed.stderr
    with duckdb.connect(str(copy), read_only=True) as con:
        assert sorted(con.execute("select entity_id from cohort_vips").fetchall()) == [("u_alice",), ("u_bob",)]
    assert "tier" in (project / "models" / "cohorts" / "cohort_vips.sql").read_text()

    # names that are not plain model names, and existing models that are no ID cohort, are refused
    for cohort, message in (
        ("vips; drop table users", "--cohort must be a plain"),
        ("cohort_new_users", "is not an ID cohort"),
    ):
        refused = cli("import-ids", ids, "--cohort", cohort, *_options(profiles, project), project=project)
        assert refused.returncode == 2 and message in refused.stderr, refused.stderr


# --- save-cohort ------------------------------------------------------------------------------------------


def test_save_cohort_static_is_frozen_and_dynamic_follows_the_drilldown(
    runner_db: tuple[Path, Path], tmp_path: Path
) -> None:
    copy, profiles = _own_copy(runner_db, tmp_path)
    project = _own_project(tmp_path)
    options = _options(profiles, project)
    with duckdb.connect(str(copy), read_only=True) as con:
        reached = {
            row[0] for row in con.execute("select entity_id from funnel_purchase where step_reached >= 2").fetchall()
        }
    done = cli(
        "save-cohort",
        "funnel",
        "funnel_purchase",
        "--step",
        2,
        "--name",
        "cohort_carted",
        "--static",
        *options,
        project=project,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"cohort_carted: a static result cohort of {len(reached)} entities, built" in done.stdout

    def members(name: str) -> set[str]:
        with duckdb.connect(str(copy), read_only=True) as con:
            return {row[0] for row in con.execute(f"select entity_id from {name}").fetchall()}

    assert members("cohort_carted") == reached and reached
    # frozen: the funnel changes (here: emptied) and everything is rebuilt, even with --full-refresh
    with duckdb.connect(str(copy)) as con:
        con.execute("delete from funnel_purchase")
    from cohortwise.dbt import DbtProject, invoke

    dbt_project = DbtProject(project, profiles, "duckdb", tmp_path / "target")
    rebuilt = invoke(
        dbt_project, ["build", "--select", "path:models/cohort_snapshots", "cohort_carted", "--full-refresh"]
    )
    assert rebuilt.success, rebuilt.error_lines()
    assert members("cohort_carted") == reached

    # the same name again is refused, unless --replace; a dynamic cohort follows the (now empty) funnel
    again = cli(
        "save-cohort", "funnel", "funnel_purchase", "--step", 2, "--name", "cohort_carted", *options, project=project
    )
    assert again.returncode == 2 and "pass --replace" in again.stderr, again.stderr
    replaced = cli(
        "save-cohort", "funnel", "funnel_purchase", "--step", 2, "--name", "cohort_carted", "--dynamic", "--replace",
        *options, project=project,
    )  # fmt: skip
    assert replaced.returncode == 0, replaced.stdout + replaced.stderr
    assert members("cohort_carted") == set()
    assert not list((project / "models" / "cohort_snapshots").glob("*.sql"))  # the static version's snapshot is gone
    with duckdb.connect(str(copy), read_only=True) as con:
        registry = con.execute(
            "select result_mode, result_source from cohort_registry where cohort_name = 'cohort_carted'"
        ).fetchone()
    assert registry is not None and registry[0] == "dynamic"
    assert json.loads(registry[1])["analysis"] == "funnel_purchase" and json.loads(registry[1])["step"] == 2
    # a value the drill-down does not know is refused before anything is written
    bad = cli(
        "save-cohort", "segmentation", "segmentation_engagement", "--event", "x'; drop table users; --",
        "--bucket", "2024-03-04", "--name", "cohort_bad", *options, project=project,
    )  # fmt: skip
    assert bad.returncode == 2 and "is not an event of segmentation_engagement" in bad.stderr
    assert not (project / "models" / "cohorts" / "cohort_bad.sql").exists()
    named = cli("save-cohort", "funnel", "funnel_purchase", "--step", 1, "--name", "x'; drop table users; --",
                *options, project=project)  # fmt: skip
    assert named.returncode == 2 and "--name must be a plain lower-case model name" in named.stderr, named.stderr
    assert len(named.stderr.strip().splitlines()) == 1
