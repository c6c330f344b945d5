"""`cohortwise status`: one row per cohort from the manifest and the recorded computations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from cohortwise.dbt import DbtProject
from cohortwise.runner.cohorts import load_cohorts, parse_project, read_state
from cohortwise.runner.refresh import now_utc, plan


def cohort_status(project: DbtProject, as_of: datetime | None = None) -> list[dict[str, Any]]:
    manifest = parse_project(project)
    cohorts = load_cohorts(manifest)
    states = read_state(project, manifest)
    now = as_of or now_utc()
    due = {p.cohort.name: p.reasons for p in plan(cohorts, states, now, [])}
    rows = []
    for cohort in cohorts:
        state = states.get(cohort.name)
        last = state.last if state else None
        before = state.computations[1] if state and len(state.computations) > 1 else None
        if cohort.name in due:
            next_due = "now (" + ",".join(due[cohort.name]) + ")"
        else:
            slot = cohort.schedule.next_slot(cohort.zone, now)
            next_due = f"{slot:%Y-%m-%d %H:%M} UTC" if slot else "manual"
        rows.append(
            {
                "cohort": cohort.name,
                "type": cohort.cohort_type,
                "entity": cohort.entity,
                "timezone": cohort.timezone,
                "schedule": cohort.schedule.describe(),
                "last_computed": f"{last[0]:%Y-%m-%d %H:%M}" if last else None,
                "members": last[1] if last else None,
                "change": (last[1] - before[1]) if last and before else None,
                "next_due": next_due,
                "last_status": state.last_status if state else None,
            }
        )
    return rows
