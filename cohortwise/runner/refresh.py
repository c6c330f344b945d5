"""`cohortwise refresh`: decide which cohorts are due, build them and their dependents in one dbt
invocation, run the runner's own checks, and log one row per cohort in cohort_run_log."""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cohortwise.dbt import DbtInvocationError, DbtProject, invoke
from cohortwise.errors import CohortwiseError
from cohortwise.runner.cohorts import (
    Cohort,
    CohortState,
    cohort_sizes,
    first_error,
    load_cohorts,
    parse_project,
    read_state,
)

DEFAULT_SIZE_CHANGE = 0.5  # a cohort that grows or shrinks by more than half fails the check


class LockTimeout(CohortwiseError):
    """Another refresh holds the lock."""


@dataclass
class Planned:
    cohort: Cohort
    reasons: list[str]
    state: CohortState


@dataclass
class Outcome:
    """What happened to one planned cohort."""

    planned: Planned
    status: str = "failed"  # success | check_failed | failed | skipped
    members: int | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    messages: list[str] = field(default_factory=list)

    @property
    def previous(self) -> int | None:
        last = self.planned.state.last
        return last[1] if last else None


def now_utc() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def plan(cohorts: list[Cohort], states: dict[str, CohortState], now: datetime, selected: list[str]) -> list[Planned]:
    """What is due at `now` (naive UTC), and why: new, edited, scheduled, selected."""
    names = {cohort.name for cohort in cohorts}
    unknown = [name for name in selected if name not in names]
    if unknown:
        raise CohortwiseError(f"--select names no cohort: {', '.join(unknown)} (cohorts: {', '.join(sorted(names))})")
    due = []
    for cohort in cohorts:
        state = states.get(cohort.name, CohortState())
        reasons = []
        last = state.last
        if last is None:
            reasons.append("new")
        else:
            if last[2] is not None and last[2] != cohort.checksum:
                reasons.append("edited")
            slot = cohort.schedule.last_slot(cohort.zone, now)
            if slot is not None and last[0] < slot:
                reasons.append("scheduled")
        if cohort.name in selected:
            reasons.append("selected")
        if reasons:
            due.append(Planned(cohort, reasons, state))
    return due


@contextmanager
def refresh_lock(folder: Path, timeout: float) -> Iterator[None]:
    """One refresh at a time per project: a second waits up to `timeout` seconds, then gives up."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "cohortwise-refresh.lock"
    with path.open("a+") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockTimeout(
                        f"another refresh is running (lock {path} held for more than {timeout:g} s); try again later"
                    ) from None
                time.sleep(0.2)
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(f"{os.getpid()}\n")
            handle.flush()
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@dataclass
class RefreshResult:
    planned: list[Planned]
    outcomes: list[Outcome]
    run_id: str
    error: str = ""  # dbt could not run at all
    dependents_failed: list[str] = field(default_factory=list)  # models built after the cohorts that errored
    dependent_tests_failed: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        if self.error or self.dependents_failed or any(o.status in ("failed", "skipped") for o in self.outcomes):
            return 2
        if self.dependent_tests_failed or any(o.status == "check_failed" for o in self.outcomes):
            return 1
        return 0


def refresh(
    project: DbtProject,
    *,
    selected: list[str],
    as_of: datetime | None,
    dry_run: bool,
    max_size_change: float = DEFAULT_SIZE_CHANGE,
    progress: Callable[[str], None] = lambda _line: None,
) -> RefreshResult:
    started = now_utc()
    run_id = f"{started:%Y%m%dT%H%M%S}-{os.getpid()}"
    manifest = parse_project(project)
    cohorts = load_cohorts(manifest)
    if not cohorts:
        raise CohortwiseError("the project declares no cohort (no model has meta.cohortwise.type)")
    states = read_state(project, manifest)
    due = plan(cohorts, states, as_of or started, selected)
    result = RefreshResult(due, [], run_id)
    if dry_run or not due:
        return result

    vars = {"cohortwise__as_of": f"{as_of:%Y-%m-%d %H:%M:%S}"} if as_of else None
    outcomes = {p.cohort.unique_id: Outcome(p) for p in due}

    def on_event(level: str, name: str, text: str) -> None:
        if name in ("LogModelResult", "LogTestResult", "LogHookEndLine") or (level == "error" and text.strip()):
            progress(text.strip())

    selection = [f"{p.cohort.name}+" for p in due] + ["cohort_run_log", "cohort_registry"]
    built = invoke(project, ["build", "--select", *selection], vars=vars, on_event=on_event, manifest=manifest)
    if built.result is None:
        result.error = f"dbt build could not run: {first_error(built)}"
        for outcome in outcomes.values():
            outcome.messages.append(result.error)
        result.outcomes = list(outcomes.values())
        _log(project, manifest, result, as_of or started)
        return result
    for run in built.result.results:
        node = run.node
        status = str(run.status)
        if node.unique_id in outcomes:
            outcome = outcomes[node.unique_id]
            outcome.status = {"success": "success", "skipped": "skipped"}.get(status, "failed")
            for timing in run.timing or []:
                if timing.name == "execute":
                    outcome.started_at = _naive(timing.started_at)
                    outcome.finished_at = _naive(timing.completed_at)
            if outcome.status != "success":
                outcome.messages.append(
                    f"build {status}: {(run.message or '').splitlines()[0] if run.message else ''}".strip()
                )
        elif str(node.resource_type) in ("test", "unit_test") and status in ("fail", "error"):
            parents = [parent for parent in getattr(node.depends_on, "nodes", []) or [] if parent in outcomes]
            for parent in parents:
                outcomes[parent].messages.append(f"test {node.name} {status}")
            if not parents:
                result.dependent_tests_failed.append(node.name)
        elif str(node.resource_type) == "model" and status in ("error", "skipped"):
            result.dependents_failed.append(f"{node.name} ({status})")
    built_names = [o.planned.cohort.name for o in outcomes.values() if o.status == "success"]
    if built_names:
        sizes = cohort_sizes(project, manifest, built_names)
        for outcome in outcomes.values():
            if outcome.planned.cohort.name not in sizes:
                continue
            members, distinct = sizes[outcome.planned.cohort.name]
            outcome.members = members
            _check(outcome, members, distinct, max_size_change)
            if outcome.messages:
                outcome.status = "check_failed"
    result.outcomes = list(outcomes.values())
    _log(project, manifest, result, as_of or started)
    return result


def _check(outcome: Outcome, members: int, distinct: int, default_threshold: float) -> None:
    if members == 0:
        outcome.messages.append("empty cohort")
    if distinct != members:
        outcome.messages.append(f"{members - distinct} duplicate member(s)")
    threshold = outcome.planned.cohort.size_change_threshold or default_threshold
    previous = outcome.previous
    if previous and abs(members - previous) / previous > threshold:
        outcome.messages.append(
            f"size changed {(members - previous) / previous:+.0%} (from {previous} to {members}; limit {threshold:.0%})"
        )


def _log(project: DbtProject, manifest: Any, result: RefreshResult, computed_at: datetime) -> None:
    rows = [
        {
            "run_id": result.run_id,
            "cohort_name": o.planned.cohort.name,
            "reason": ",".join(o.planned.reasons),
            "computed_at": f"{computed_at:%Y-%m-%d %H:%M:%S}",
            "started_at": f"{o.started_at:%Y-%m-%d %H:%M:%S}" if o.started_at else None,
            "finished_at": f"{o.finished_at or now_utc():%Y-%m-%d %H:%M:%S}",
            "status": o.status,
            "members": o.members,
            "previous_members": o.previous,
            "definition_checksum": o.planned.cohort.checksum,
            "message": "; ".join(o.messages) or None,
        }
        for o in result.outcomes
    ]
    logged = invoke(
        project,
        ["run-operation", "cohortwise.append_run_log", "--args", json.dumps({"rows": rows})],
        manifest=manifest,
    )
    if not logged.success:
        raise DbtInvocationError(f"could not write cohort_run_log: {first_error(logged)}")


def _naive(value: Any) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.replace(microsecond=0)  # type: ignore[no-any-return]
