"""Invoking dbt in-process through `dbtRunner`, the one way the runner talks to dbt.

dbt is imported lazily (it takes a second), its log events are collected instead of printed unless
asked for, and adapters are reset after every invocation so that the next one starts clean.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cohortwise.errors import CohortwiseError

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


class DbtInvocationError(CohortwiseError):
    """dbt could not run the command at all (bad project, profile, connection)."""


@dataclass(frozen=True)
class DbtProject:
    """Where the dbt project and profiles are, and which target to use."""

    project_dir: Path = Path(".")
    profiles_dir: Path | None = None
    target: str | None = None
    target_path: Path | None = None  # where dbt writes compiled SQL and artifacts (default: target/)

    def args(self) -> list[str]:
        args = ["--project-dir", str(self.project_dir)]
        if self.profiles_dir is not None:
            args += ["--profiles-dir", str(self.profiles_dir)]
        if self.target is not None:
            args += ["--target", self.target]
        if self.target_path is not None:
            args += ["--target-path", str(self.target_path)]
        return args


@dataclass
class DbtOutcome:
    """What one dbt invocation returned, plus the log lines it produced."""

    success: bool
    result: Any
    exception: BaseException | None
    messages: list[tuple[str, str, str]] = field(default_factory=list)  # (level, event name, text)

    def error_lines(self) -> list[str]:
        return [clean(text) for level, _, text in self.messages if level == "error"]


def clean(text: str) -> str:
    return _ANSI.sub("", text).strip()


def invoke(
    project: DbtProject,
    command: Sequence[str],
    *,
    vars: dict[str, Any] | None = None,
    on_event: Callable[[str, str, str], None] | None = None,
    manifest: Any | None = None,
) -> DbtOutcome:
    """Runs `dbt <command>` in this process. `on_event(level, name, text)` sees every log event;
    `manifest` (what `dbt parse` returned) spares dbt parsing the project again."""
    import json

    from dbt.adapters.factory import reset_adapters
    from dbt.cli.main import dbtRunner

    messages: list[tuple[str, str, str]] = []

    def collect(event: Any) -> None:
        entry = (str(event.info.level), str(event.info.name), str(event.info.msg))
        messages.append(entry)
        if on_event is not None:
            on_event(*entry)

    args = [*command, *project.args(), "--log-level", "none", "--no-send-anonymous-usage-stats"]
    if vars:
        args += ["--vars", json.dumps(vars)]
    try:
        outcome = dbtRunner(manifest=manifest, callbacks=[collect]).invoke(args)
    finally:
        reset_adapters()  # type: ignore[no-untyped-call]
        _release_duckdb()
    return DbtOutcome(outcome.success, outcome.result, outcome.exception, messages)


def _release_duckdb() -> None:
    """Closes the DuckDB database dbt-duckdb keeps open for the whole process.

    dbt-duckdb caches one database handle per process (a class attribute, with no public way to
    close it), which holds the file's lock after the invocation has finished; the runner and the
    tests must be able to open the file afterwards.
    """
    import sys

    connections = sys.modules.get("dbt.adapters.duckdb.connections")
    manager = getattr(connections, "DuckDBConnectionManager", None)
    if manager is None:
        return
    with manager._LOCK:
        environment = manager._ENV
        manager._ENV = None
    if environment is not None and getattr(environment, "conn", None) is not None:
        environment.conn.close()
        environment.conn = None
