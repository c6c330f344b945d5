"""The `cohortwise` command line, run as users run it: the installed console script."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

from cohortwise import __version__
from tests.python.conftest import ROOT, Build, write_profiles

CLI = Path(sys.executable).parent / "cohortwise"


def run(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([CLI, *map(str, args)], capture_output=True, text=True, check=False, cwd=ROOT)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # nothing listens once the socket is closed


def test_version() -> None:
    done = run("--version")
    assert done.returncode == 0
    assert done.stdout.strip() == f"cohortwise, version {__version__}"


def test_doctor_reports_each_target_on_one_line(tmp_path: Path) -> None:
    profiles = write_profiles(
        tmp_path,
        tmp_path / "doctor.duckdb",
        {
            "postgres": {
                "type": "postgres",
                "host": "127.0.0.1",
                "port": _closed_port(),
                "user": "nobody",
                "password": "",
                "dbname": "x",
                "schema": "x",
                "threads": 1,
                "connect_timeout": 2,
            },
            "bigquery": {
                "type": "bigquery",
                "method": "oauth-secrets",
                "token": "{{ env_var('COHORTWISE_TEST_UNSET_TOKEN') }}",
                "project": "p",
                "dataset": "d",
                "threads": 1,
            },
        },
    )
    done = run("doctor", "--project-dir", ROOT, "--profiles-dir", profiles)
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 3, done.stdout + done.stderr
    by_target = {line[2:].split()[0]: line for line in lines}
    assert by_target["duckdb"].startswith("* duckdb")  # the default target is starred
    assert "reachable" in by_target["duckdb"].split() and "unreachable" not in by_target["duckdb"]
    assert "unreachable" in by_target["postgres"] and "refused" in by_target["postgres"].lower()
    assert "not configured" in by_target["bigquery"] and "COHORTWISE_TEST_UNSET_TOKEN" in by_target["bigquery"]
    assert done.returncode == 1  # a configured target cannot be reached


def test_doctor_is_happy_when_every_configured_target_answers(tmp_path: Path) -> None:
    profiles = write_profiles(tmp_path, tmp_path / "ok.duckdb")
    done = run("doctor", "--project-dir", ROOT, "--profiles-dir", profiles)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_missing_profile_is_one_clear_line(tmp_path: Path) -> None:
    done = run("doctor", "--project-dir", ROOT, "--profiles-dir", tmp_path / "nowhere")
    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1
    assert done.stderr.startswith("cohortwise: no profiles.yml found")


def test_an_unknown_command_exits_non_zero() -> None:
    done = run("frobnicate")
    assert done.returncode == 2
    assert "No such command 'frobnicate'" in done.stderr


def test_summary_prints_the_row_counts_of_the_main_tables(sample_build: Build) -> None:
    # the same build, read through a profile that points at the sample database
    assert sample_build.project.profiles_dir is not None
    done = run(
        "summary", "--project-dir", ROOT, "--profiles-dir", sample_build.project.profiles_dir, "--target", "duckdb"
    )
    assert done.returncode == 0, done.stderr
    counts = {line.split()[0]: line.split()[1] for line in done.stdout.splitlines()[1:]}
    assert counts["fct_events"] == "196"
    assert counts["quarantine_events"] == "20"
    assert counts["dim_users"] == "7"
    assert "duplicate_event_id 4" in done.stdout
