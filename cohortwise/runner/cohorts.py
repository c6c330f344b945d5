"""Cohorts as the runner sees them: read from the parsed dbt manifest, and their recorded state."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from cohortwise.dbt import DbtInvocationError, DbtOutcome, DbtProject, invoke
from cohortwise.errors import CohortwiseError
from cohortwise.runner.schedule import Schedule, zone_of

NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Cohort:
    name: str
    unique_id: str
    cohort_type: str
    entity: str
    timezone: str
    schedule: Schedule
    owner: str | None
    size_change_threshold: float | None
    checksum: str  # as cohortwise._cohort_definition_checksum computes it

    @property
    def zone(self) -> ZoneInfo:
        return zone_of(self.timezone, self.name)


@dataclass
class CohortState:
    """The last two recorded computations of a cohort (newest first) and its last refresh status."""

    computations: list[tuple[datetime, int, str | None]] = field(default_factory=list)  # computed_at, members, checksum
    last_status: str | None = None

    @property
    def last(self) -> tuple[datetime, int, str | None] | None:
        return self.computations[0] if self.computations else None


def parse_project(project: DbtProject) -> Any:
    """`dbt parse`: the manifest every later invocation of this run reuses."""
    outcome = invoke(project, ["parse"])
    if not outcome.success or outcome.result is None:
        raise DbtInvocationError(f"dbt parse failed: {first_error(outcome)}")
    return outcome.result


def first_error(outcome: DbtOutcome) -> str:
    lines = [line for text in outcome.error_lines() for line in text.splitlines() if line.strip()]
    lines = [line for line in lines if line.strip() not in ("Encountered an error:",)]
    return " ".join(lines[:2]) if lines else str(outcome.exception or "dbt failed")


def definition_checksum(file_checksum: str, settings: Any) -> str:
    """md5 of dbt's file checksum and meta.cohortwise as sorted JSON (json.dumps, like Jinja's tojson)."""
    return hashlib.md5((file_checksum + json.dumps(settings, sort_keys=True)).encode()).hexdigest()


def load_cohorts(manifest: Any) -> list[Cohort]:
    """Every model whose meta.cohortwise has a type, sorted by name."""
    cohorts = []
    for node in manifest.nodes.values():
        if str(node.resource_type) != "model":
            continue
        settings = (node.config.meta or {}).get("cohortwise")
        if not isinstance(settings, dict) or "type" not in settings or "analysis" in settings:
            continue
        where = f"model {node.name}"
        zone = settings.get("timezone") or "UTC"
        zone_of(zone, where)
        threshold = settings.get("size_change_threshold")
        cohorts.append(
            Cohort(
                name=node.name,
                unique_id=node.unique_id,
                cohort_type=str(settings["type"]),
                entity=str(settings.get("entity", "user_id")),
                timezone=zone,
                schedule=Schedule.parse(settings.get("refresh"), where),
                owner=settings.get("owner"),
                size_change_threshold=float(threshold) if threshold is not None else None,
                checksum=definition_checksum(node.checksum.checksum, settings),
            )
        )
    return sorted(cohorts, key=lambda cohort: cohort.name)


def _shown(project: DbtProject, manifest: Any, inline: str, vars: dict[str, Any] | None) -> Any:
    """The agate table of an inline query (dbt show, every row) through the project's own connection."""
    outcome = invoke(project, ["show", "--inline", inline, "--limit", "-1"], vars=vars, manifest=manifest)
    if not outcome.success or outcome.result is None:
        raise DbtInvocationError(f"query failed: {first_error(outcome)}")
    return outcome.result.results[0].agate_table


def show(project: DbtProject, manifest: Any, inline: str, vars: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
    """Rows of an inline query (dbt show) through the project's own connection."""
    return [tuple(row.values()) for row in _shown(project, manifest, inline, vars).rows]


def show_records(
    project: DbtProject, manifest: Any, inline: str, vars: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """The same rows as column -> value mappings."""
    table = _shown(project, manifest, inline, vars)
    columns = [str(column) for column in table.column_names]
    return [dict(zip(columns, row.values(), strict=True)) for row in table.rows]


def read_state(project: DbtProject, manifest: Any) -> dict[str, CohortState]:
    """Per cohort, its last two recorded computations (the last first) and its last refresh status."""
    ranked: dict[str, list[tuple[int, tuple[datetime, int, str | None]]]] = {}
    states: dict[str, CohortState] = {}
    for name, computed_at, members, checksum, recency, last_status in show(
        project, manifest, "{{ cohortwise.runner_state() }}"
    ):
        states.setdefault(name, CohortState()).last_status = last_status
        ranked.setdefault(name, []).append((int(recency), (_timestamp(computed_at), int(members), checksum)))
    for name, computations in ranked.items():
        states[name].computations = [computation for _, computation in sorted(computations)]
    return states


def cohort_sizes(project: DbtProject, manifest: Any, names: list[str]) -> dict[str, tuple[int, int]]:
    """members, distinct members of each named cohort model, as built now."""
    for name in names:
        if not NAME.match(name):
            raise CohortwiseError(f"not a cohort model name: {name!r}")
    rows = show(project, manifest, "{{ cohortwise.runner_cohort_sizes(" + json.dumps(names) + ") }}")
    return {str(name): (int(members), int(distinct)) for name, members, distinct in rows}


def _timestamp(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return datetime.fromisoformat(str(value)).replace(tzinfo=None)
