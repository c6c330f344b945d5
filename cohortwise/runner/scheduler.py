"""`cohortwise scheduler`: refresh whenever something is due, until SIGTERM or Ctrl-C.

Each pass parses the project and reads the recorded state (so edits and new cohorts are picked
up), runs a refresh when anything is due, and logs one line. A stop signal is honoured between
passes: a running refresh always finishes and logs its cohorts first.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable
from types import FrameType

from cohortwise.dbt import DbtProject
from cohortwise.errors import CohortwiseError
from cohortwise.runner.refresh import now_utc, refresh, refresh_lock


def run_scheduler(
    project: DbtProject,
    *,
    interval: float,
    lock_timeout: float,
    max_size_change: float,
    log: Callable[[str], None],
    max_passes: int | None = None,
) -> int:
    stopping: list[int] = []

    def stop(signum: int, _frame: FrameType | None) -> None:
        stopping.append(signum)
        log(f"{now_utc():%Y-%m-%d %H:%M:%S} received {signal.Signals(signum).name}: stopping after this pass")

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    passes = 0
    try:
        log(f"{now_utc():%Y-%m-%d %H:%M:%S} scheduler started (checking every {interval:g} s)")
        while not stopping and (max_passes is None or passes < max_passes):
            passes += 1
            try:
                with refresh_lock(project.project_dir / "target", lock_timeout):
                    result = refresh(project, selected=[], as_of=None, dry_run=False, max_size_change=max_size_change)
                if result.planned:
                    statuses = ", ".join(f"{o.planned.cohort.name} {o.status}" for o in result.outcomes)
                    log(f"{now_utc():%Y-%m-%d %H:%M:%S} refreshed (exit {result.exit_code}): {statuses}")
                else:
                    log(f"{now_utc():%Y-%m-%d %H:%M:%S} nothing is due")
            except CohortwiseError as error:  # logged; the next pass tries again
                log(f"{now_utc():%Y-%m-%d %H:%M:%S} refresh could not run: {error}")
            deadline = time.monotonic() + interval
            while not stopping and time.monotonic() < deadline:
                time.sleep(0.2)
        log(f"{now_utc():%Y-%m-%d %H:%M:%S} scheduler stopped")
        return 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
