"""Row counts of the main tables, printed at the end of `make demo` (`cohortwise summary`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cohortwise.dbt import DbtInvocationError, DbtProject, invoke
from cohortwise.errors import CohortwiseError

MAIN_TABLES = (
    ("stg_events", "raw event rows"),
    ("fct_events", "clean events"),
    ("quarantine_events", "quarantined event rows"),
    ("stg_users", "raw user rows"),
    ("dim_users", "users"),
    ("quarantine_users", "quarantined user rows"),
)


@dataclass(frozen=True)
class Summary:
    counts: dict[str, int]
    quarantine: dict[str, dict[str, int]]  # model -> reason -> rows

    def lines(self) -> list[str]:
        width = max(len(model) for model, _ in MAIN_TABLES)
        lines = []
        for model, meaning in MAIN_TABLES:
            line = f"  {model:<{width}}  {self.counts.get(model, 0):>12,}  {meaning}"
            reasons = self.quarantine.get(model)
            if reasons:
                line += ": " + ", ".join(f"{reason} {rows:,}" for reason, rows in sorted(reasons.items()))
            lines.append(line)
        return lines


def _count_query() -> str:
    """One inline query for dbt show; model names are constants, never user input."""
    counts = [
        f"select '{model}' as model_name, cast(null as {{{{ dbt.type_string() }}}}) as reason, count(*) as row_count"
        f" from {{{{ ref('{model}') }}}}"
        for model, _ in MAIN_TABLES
    ]
    reasons = [
        f"select '{model}' as model_name, quarantine_reason as reason, count(*) as row_count"
        f" from {{{{ ref('{model}') }}}} group by quarantine_reason"
        for model in ("quarantine_events", "quarantine_users")
    ]
    return "\nunion all\n".join(counts + reasons)


def collect(project: DbtProject, vars: dict[str, Any] | None = None) -> Summary:
    outcome = invoke(project, ["show", "--inline", _count_query(), "--limit", "-1"], vars=vars)
    if not outcome.success or outcome.result is None:
        errors = outcome.error_lines() or [str(outcome.exception or "dbt show failed")]
        raise DbtInvocationError(f"cannot count the main tables: {errors[0].splitlines()[0]}")
    table = outcome.result.results[0].agate_table
    counts: dict[str, int] = {}
    quarantine: dict[str, dict[str, int]] = {}
    for model_name, reason, row_count in table.rows:
        if reason is None:
            counts[str(model_name)] = int(row_count)
        else:
            quarantine.setdefault(str(model_name), {})[str(reason)] = int(row_count)
    if not counts:
        raise CohortwiseError("cannot count the main tables: dbt show returned no rows")
    return Summary(counts, quarantine)
