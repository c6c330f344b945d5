"""`cohortwise import-ids`: an ID cohort from a CSV file, as versioned files of the dbt project.

Writes seeds/cohort_ids/ids_<cohort>.csv (the ids and property columns as given), the cohort model
models/cohorts/<cohort>.sql (cohortwise.id_cohort), its rejected rows
models/quarantine/quarantine_<cohort>.sql (cohortwise.id_cohort_rejected) and their properties,
then seeds and builds them. If anything fails, the previous files are put back and the previous
version seeded and built again, so the cohort stays as it was.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cohortwise.dbt import DbtInvocationError, DbtProject, invoke
from cohortwise.errors import CohortwiseError
from cohortwise.runner.cohorts import first_error, parse_project, show

NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
ID_COLUMNS = ("user_id", "device_id", "account_id", "id")


@dataclass
class Imported:
    accepted: int
    rejected: list[dict[str, Any]]


def _paths(project_dir: Path, cohort: str) -> dict[str, Path]:
    return {
        "seed": project_dir / "seeds" / "cohort_ids" / f"ids_{cohort}.csv",
        "seed_yml": project_dir / "seeds" / "cohort_ids" / f"_ids_{cohort}.yml",
        "model": project_dir / "models" / "cohorts" / f"{cohort}.sql",
        "rejected": project_dir / "models" / "quarantine" / f"quarantine_{cohort}.sql",
        "yml": project_dir / "models" / "cohorts" / f"_{cohort}.yml",
    }


def _read_csv(file: Path, id_column: str | None) -> tuple[str, list[str], list[list[str]]]:
    try:
        with file.open(newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise CohortwiseError(f"cannot read {file}: {error}") from error
    if not rows or not rows[0]:
        raise CohortwiseError(f"{file} is empty: it needs a header row and one id per line")
    header = [column.strip() for column in rows[0]]
    for column in header:
        if not NAME.match(column):
            raise CohortwiseError(f"{file}: column {column!r} is not a plain lower-case name (letters, digits, _)")
    if len(set(header)) != len(header):
        raise CohortwiseError(f"{file}: a column name is repeated in the header")
    chosen = id_column or next((column for column in ID_COLUMNS if column in header), None)
    if chosen is None or chosen not in header:
        raise CohortwiseError(
            f"{file}: no id column (name it with --id-column, or call it one of {', '.join(ID_COLUMNS)})"
        )
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise CohortwiseError(f"{file}: line {number} has {len(row)} values for {len(header)} columns")
    return chosen, header, rows[1:]


def import_ids(
    project: DbtProject, file: Path, cohort: str, entity: str, id_column: str | None, rejected_file: Path
) -> Imported:
    if not NAME.match(cohort):
        raise CohortwiseError(f"--cohort must be a plain lower-case model name (letters, digits, _); got {cohort!r}")
    if entity not in ("user_id", "device_id", "account_id"):
        raise CohortwiseError(f"--entity must be user_id, device_id or account_id; got {entity!r}")
    chosen, header, rows = _read_csv(file, id_column)
    properties = [column for column in header if column != chosen]
    manifest = parse_project(project)
    for node in manifest.nodes.values():
        if node.name in (cohort, f"quarantine_{cohort}", f"ids_{cohort}"):
            settings = (node.config.meta or {}).get("cohortwise") if str(node.resource_type) == "model" else None
            ours = (
                str(node.resource_type) == "seed"
                or node.name != cohort
                or (isinstance(settings, dict) and settings.get("type") == "id")
            )
            if not ours:
                raise CohortwiseError(f"{node.name} exists and is not an ID cohort: choose another --cohort name")
    paths = _paths(project.project_dir, cohort)
    file_name = re.sub(r"[^A-Za-z0-9._-]", "_", file.name)  # shown in the generated files' comments
    backup = Path(tempfile.mkdtemp(prefix="cohortwise-import-"))
    existed = {key: path for key, path in paths.items() if path.exists()}
    for key, path in existed.items():
        shutil.copy2(path, backup / key)
    try:
        _write(paths, cohort, entity, chosen, header, rows, properties, file_name)
        _build(project, cohort)
    except Exception:
        for key, path in paths.items():
            if key in existed:
                shutil.copy2(backup / key, path)
            else:
                path.unlink(missing_ok=True)
        if existed:
            _build(project, cohort)  # the previous version, as it was
        raise
    finally:
        shutil.rmtree(backup, ignore_errors=True)
    manifest = parse_project(project)
    accepted = show(project, manifest, f"select count(*) from {{{{ ref('{cohort}') }}}}")[0][0]
    quarantined = show(
        project, manifest, f"select * from {{{{ ref('quarantine_{cohort}') }}}} order by rejection_reason, id_as_given"
    )
    columns = ["id_as_given", "entity_id", *properties, "rejection_reason"]
    rejected = [dict(zip(columns, row[: len(columns)], strict=True)) for row in quarantined]
    with rejected_file.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rejected)
    return Imported(int(accepted), rejected)


def _write(
    paths: dict[str, Path],
    cohort: str,
    entity: str,
    id_column: str,
    header: list[str],
    rows: list[list[str]],
    properties: list[str],
    source: str,
) -> None:
    with paths["seed"].open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    text = "{{ 'string' if target.type == 'bigquery' else 'varchar(1000)' }}"
    seed_yml = {
        "version": 2,
        "seeds": [
            {
                "name": f"ids_{cohort}",
                "description": f"The ids of the ID cohort {cohort}, imported from {source} by cohortwise import-ids.",
                "config": {"column_types": dict.fromkeys(header, text)},
            }
        ],
    }
    paths["seed_yml"].write_text(json.dumps(seed_yml, indent=2) + "\n")
    arguments = f"ref('ids_{cohort}'), id_column='{id_column}', properties={properties!r}"
    paths["model"].write_text(
        f"{{#- An ID cohort imported from {source} by cohortwise import-ids. -#}}\n"
        f"{{{{ cohortwise.id_cohort({arguments}) }}}}\n"
    )
    paths["rejected"].write_text(
        f"{{#- The rows of {source} that {cohort} did not accept, with the reason. -#}}\n"
        f"{{{{ cohortwise.id_cohort_rejected({arguments.replace('), ', f'), entity={entity!r}, ', 1)}) }}}}\n"
    )
    models_yml = {
        "version": 2,
        "models": [
            {
                "name": cohort,
                "description": f"An ID cohort imported from {source} ({len(rows)} rows).",
                "config": {"meta": {"cohortwise": {"type": "id", "entity": entity, "timezone": "UTC"}}},
                "columns": [
                    {"name": "entity_id", "description": "The member's id.", "data_tests": ["not_null", "unique"]}
                ],
            },
            {
                "name": f"quarantine_{cohort}",
                "description": f"The rows of {source} that {cohort} did not accept, with rejection_reason.",
            },
        ],
    }
    paths["yml"].write_text(json.dumps(models_yml, indent=2) + "\n")


def _build(project: DbtProject, cohort: str) -> None:
    seeded = invoke(project, ["seed", "--select", f"ids_{cohort}", "--full-refresh"])
    if not seeded.success:
        raise DbtInvocationError(f"dbt seed of ids_{cohort} failed: {first_error(seeded)}")
    built = invoke(project, ["build", "--select", cohort, f"quarantine_{cohort}", "cohort_registry"])
    if not built.success:
        raise DbtInvocationError(f"dbt build of {cohort} failed: {first_error(built)}")
