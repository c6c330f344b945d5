"""`cohortwise doctor`: which targets of the profile are configured, and can each be reached?"""

from __future__ import annotations

import multiprocessing
import queue
from dataclasses import dataclass
from pathlib import Path

from cohortwise.dbt import DbtProject, clean, invoke
from cohortwise.profiles import Target, read_profile


@dataclass(frozen=True)
class TargetCheck:
    target: Target
    is_default: bool
    status: str  # reachable | unreachable | not configured
    detail: str

    @property
    def ok(self) -> bool:
        return self.status != "unreachable"

    def line(self, name_width: int) -> str:
        marker = "*" if self.is_default else " "
        return f"{marker} {self.target.name:<{name_width}}  {self.target.type:<10} {self.status:<15} {self.detail}"


def _first_error(messages: list[tuple[str, str, str]]) -> str:
    """The database's own words from `dbt debug` output, else its last complaint."""
    lines: list[str] = []
    for level, name, text in messages:
        if name == "DebugCmdResult" or level == "error":
            lines += [clean(line) for line in text.splitlines()]
    for index, line in enumerate(lines):
        if line.startswith(">"):
            following = [candidate for candidate in lines[index + 1 :] if candidate]
            if following:
                return following[0]
    meaningful = [line for line in lines if line and "check failed" not in line]
    return meaningful[0] if meaningful else "connection test failed"


def _probe(project_dir: str, profiles_dir: str, target: str, answers: multiprocessing.Queue[tuple[bool, str]]) -> None:
    """Runs in a child process, so that a hanging connection cannot hang the doctor."""
    try:
        outcome = invoke(DbtProject(Path(project_dir), Path(profiles_dir), target), ["debug", "--connection"])
        if outcome.success:
            answers.put((True, "connection test passed"))
        else:
            answers.put((False, _first_error(outcome.messages)))
    except Exception as error:  # reported as the target's status line
        answers.put((False, f"{type(error).__name__}: {error}".splitlines()[0]))


def check_targets(project_dir: Path, profiles_dir: Path | None, timeout: float = 20.0) -> list[TargetCheck]:
    profile = read_profile(project_dir, profiles_dir)
    context = multiprocessing.get_context("spawn")
    checks = []
    for target in profile.targets:
        is_default = target.name == profile.default_target
        if not target.configured:
            detail = "set " + ", ".join(target.missing_env)
            checks.append(TargetCheck(target, is_default, "not configured", detail))
            continue
        answers: multiprocessing.Queue[tuple[bool, str]] = context.Queue()
        process = context.Process(
            target=_probe, args=(str(project_dir), str(profile.path.parent), target.name, answers), daemon=True
        )
        process.start()
        try:
            reachable, detail = answers.get(timeout=timeout)
        except queue.Empty:
            reachable, detail = False, f"no answer within {timeout:.0f}s"
        finally:
            process.join(timeout=1)
            if process.is_alive():
                process.kill()
        checks.append(TargetCheck(target, is_default, "reachable" if reachable else "unreachable", detail))
    return checks
