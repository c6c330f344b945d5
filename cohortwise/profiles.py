"""Reading profiles.yml without rendering it: which targets exist, which env vars they still need."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from cohortwise.errors import CohortwiseError

# env_var('NAME') or env_var("NAME") without a default (a second argument)
_REQUIRED_ENV = re.compile(r"""env_var\(\s*['"]([^'"]+)['"]\s*\)""")


@dataclass(frozen=True)
class Target:
    name: str
    type: str
    missing_env: tuple[str, ...]

    @property
    def configured(self) -> bool:
        return not self.missing_env


@dataclass(frozen=True)
class Profile:
    name: str
    path: Path
    default_target: str
    targets: tuple[Target, ...]


def find_profiles_dir(project_dir: Path, profiles_dir: Path | None) -> Path:
    """The folder dbt reads profiles.yml from: explicit, DBT_PROFILES_DIR, the project, ~/.dbt."""
    if profiles_dir is not None:
        candidates = [profiles_dir]
    elif os.environ.get("DBT_PROFILES_DIR"):
        candidates = [Path(os.environ["DBT_PROFILES_DIR"])]
    else:
        candidates = [project_dir, Path.home() / ".dbt"]
    for candidate in candidates:
        if (candidate / "profiles.yml").is_file():
            return candidate
    searched = ", ".join(str(c) for c in candidates)
    raise CohortwiseError(f"no profiles.yml found (looked in {searched}); copy profiles.yml.example to profiles.yml")


def project_profile_name(project_dir: Path) -> str:
    project_file = project_dir / "dbt_project.yml"
    try:
        project = yaml.safe_load(project_file.read_text())
    except OSError as error:
        raise CohortwiseError(f"cannot read {project_file}: {error.strerror}") from None
    name = project.get("profile") if isinstance(project, dict) else None
    if not isinstance(name, str):
        raise CohortwiseError(f"{project_file} names no profile")
    return name


def _missing_env(value: Any) -> set[str]:
    if isinstance(value, str):
        return {name for name in _REQUIRED_ENV.findall(value) if name not in os.environ}
    if isinstance(value, dict):
        return set().union(*(_missing_env(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(_missing_env(v) for v in value)) if value else set()
    return set()


def _default_target(raw: Any) -> str:
    """The profile's `target:`, rendering only the common `env_var('X', 'default')` form."""
    text = str(raw)
    match = re.fullmatch(r"""\{\{\s*env_var\(\s*['"]([^'"]+)['"]\s*,\s*['"]([^'"]*)['"]\s*\)\s*\}\}""", text.strip())
    if match:
        return os.environ.get(match.group(1), match.group(2))
    return text


def read_profile(project_dir: Path, profiles_dir: Path | None) -> Profile:
    folder = find_profiles_dir(project_dir, profiles_dir)
    path = folder / "profiles.yml"
    name = project_profile_name(project_dir)
    try:
        document = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as error:
        raise CohortwiseError(f"{path} is not valid YAML: {error}") from None
    profile = document.get(name)
    if not isinstance(profile, dict) or not isinstance(profile.get("outputs"), dict):
        raise CohortwiseError(f"{path} has no profile '{name}' with outputs")
    targets = tuple(
        Target(
            name=target_name,
            type=str(output.get("type", "?")) if isinstance(output, dict) else "?",
            missing_env=tuple(sorted(_missing_env(output))),
        )
        for target_name, output in profile["outputs"].items()
    )
    return Profile(name=name, path=path, default_target=_default_target(profile.get("target", "")), targets=targets)
