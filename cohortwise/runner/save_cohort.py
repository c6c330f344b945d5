"""`cohortwise save-cohort`: a drill-down saved as a result cohort, as versioned model files.

--dynamic writes models/cohorts/<name>.sql re-applying the drill-down on every build;
--static also writes models/cohort_snapshots/snapshot_<name>_<time>.sql, an incremental model
whose first build stores the ids and later builds add nothing (full_refresh false), so the
cohort stays frozen. Both record the drill-down in meta.cohortwise.source and are built at once.
Every value is checked by running the drill-down first, and written into the files as a quoted
Jinja literal.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cohortwise.dbt import DbtInvocationError, DbtProject, invoke
from cohortwise.errors import CohortwiseError
from cohortwise.runner.cohorts import first_error, parse_project
from cohortwise.runner.drill import drill
from cohortwise.runner.refresh import now_utc

NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
# the CLI's arguments -> the drill-down macro's
MACRO_ARGUMENTS = {
    "funnel": {"outcome": "drill", "step": "step"},
    "retention": {"cohort_period": "cohort_period", "period": "period_number"},
    "event_segmentation": {"event": "event", "bucket": "bucket", "segment": "segment", "group": "group"},
}


@dataclass
class Saved:
    name: str
    members: int
    files: list[Path]


def jinja_literal(value: Any) -> str:
    """A Jinja literal of a string, number, none or mapping of them (JSON strings are Jinja strings)."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(str(k))}: {jinja_literal(v)}" for k, v in value.items()) + "}"
    raise CohortwiseError(f"cannot write {value!r} into a model file")


def save_cohort(
    project: DbtProject, kind: str, model: str, arguments: dict[str, Any], name: str, mode: str, replace: bool
) -> Saved:
    if not NAME.match(name):
        raise CohortwiseError(f"--name must be a plain lower-case model name (letters, digits, _); got {name!r}")
    manifest = parse_project(project)
    existing = [node for node in manifest.nodes.values() if node.name == name]
    if existing:
        settings = (existing[0].config.meta or {}).get("cohortwise")
        is_result = isinstance(settings, dict) and settings.get("type") == "result"
        if not replace or not is_result:
            raise CohortwiseError(
                f"{name} exists; pass --replace to overwrite it"
                if is_result
                else f"{name} exists and is no result cohort"
            )
    drilled = drill(project, kind, model, arguments, limit=1)  # checks every value against the model
    entity = next(
        (node.config.meta or {}).get("cohortwise", {}).get(kind, {}).get("entity", "user_id")
        for node in manifest.nodes.values()
        if node.name == model
    )
    macro_drill = {MACRO_ARGUMENTS[kind][key]: value for key, value in arguments.items() if value is not None}
    source = {"analysis": model, **macro_drill, "saved_at": f"{now_utc():%Y-%m-%d %H:%M:%S}", "members": drilled.total}
    cohorts = project.project_dir / "models" / "cohorts"
    files = {"model": cohorts / f"{name}.sql", "yml": cohorts / f"_{name}.yml"}
    snapshots = project.project_dir / "models" / "cohort_snapshots"
    old_snapshots = sorted(snapshots.glob(f"snapshot_{name}_*.sql")) if snapshots.exists() else []
    backup = Path(tempfile.mkdtemp(prefix="cohortwise-save-"))
    saved = {path: backup / str(index) for index, path in enumerate([*files.values(), *old_snapshots]) if path.exists()}
    for path, copy in saved.items():
        shutil.copy2(path, copy)
    written: list[Path] = []
    try:
        call = f"'{model}', {jinja_literal(macro_drill)}"
        meta: dict[str, Any] = {"type": "result", "mode": mode, "entity": entity, "timezone": "UTC", "source": source}
        select = [name, "cohort_registry"]
        for old in old_snapshots:  # a replaced static version's frozen ids (its table stays in the warehouse)
            old.unlink()
        if mode == "static":
            snapshot = f"snapshot_{name}_{now_utc():%Y%m%d%H%M%S}"
            snapshots.mkdir(parents=True, exist_ok=True)
            path = snapshots / f"{snapshot}.sql"
            path.write_text(
                f"{{#- The ids behind {model} {json.dumps(macro_drill)[1:-1]}, frozen by cohortwise save-cohort. -#}}\n"
                "{{ config(materialized='incremental', full_refresh=false) }}\n"
                f"{{{{ cohortwise.result_snapshot({call}) }}}}\n"
            )
            written.append(path)
            body = f"{{{{ cohortwise.static_result_cohort(ref('{snapshot}')) }}}}\n"
            select.insert(0, snapshot)
        else:
            body = f"{{{{ cohortwise.result_cohort({call}) }}}}\n"
        files["model"].write_text(f"{{#- A {mode} result cohort saved by cohortwise save-cohort. -#}}\n{body}")
        written.append(files["model"])
        properties = {
            "version": 2,
            "models": [
                {
                    "name": name,
                    "description": f"A {mode} result cohort: the entities behind {model} ({json.dumps(macro_drill)}).",
                    "config": {"meta": {"cohortwise": meta}},
                    "columns": [
                        {"name": "entity_id", "description": "The member's id.", "data_tests": ["not_null", "unique"]}
                    ],
                }
            ],
        }
        files["yml"].write_text(json.dumps(properties, indent=2) + "\n")
        written.append(files["yml"])
        built = invoke(project, ["build", "--select", *select])
        if not built.success:
            raise DbtInvocationError(f"dbt build of {name} failed: {first_error(built)}")
    except Exception:
        for path in written:
            path.unlink(missing_ok=True)
        for path, copy in saved.items():
            shutil.copy2(copy, path)
        raise
    finally:
        shutil.rmtree(backup, ignore_errors=True)
    return Saved(name, drilled.total, written)
