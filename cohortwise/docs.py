"""Is the docs site complete? What of the package lacks a description in dbt's manifest (`cohortwise check-docs`).

Checked: every model, seed, analysis and snapshot and each of their documented columns; every source
table and its columns; every public macro and the arguments its YAML documents. A public macro is one
whose name neither starts with `_` (a private helper) nor is an adapter implementation
`<adapter>__<name>` of a dispatched macro (`duckdb__literal`, `default___local_midnight`): those are
variants of the documented interface, not part of it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cohortwise.dbt import DbtInvocationError, DbtProject, invoke

PACKAGE = "cohortwise"
ADAPTERS = (
    "default",
    "duckdb",
    "postgres",
    "redshift",
    "bigquery",
    "sqlserver",
    "spark",
    "databricks",
    "snowflake",
    "trino",
    "fabric",
    "athena",
)
DOCUMENTED_NODES = ("model", "seed", "analysis", "snapshot")

_ADAPTER_IMPLEMENTATION = re.compile(rf"^(?:{'|'.join(ADAPTERS)})__.")


def is_adapter_implementation(macro_name: str) -> bool:
    """`duckdb__literal`, `default___local_midnight`: one adapter's variant of a dispatched macro."""
    return _ADAPTER_IMPLEMENTATION.match(macro_name) is not None


def is_public_macro(macro_name: str) -> bool:
    return not macro_name.startswith("_") and not is_adapter_implementation(macro_name)


def _missing(entry: Mapping[str, Any]) -> bool:
    return not str(entry.get("description") or "").strip()


def _columns(label: str, entry: Mapping[str, Any]) -> list[str]:
    columns: Mapping[str, Mapping[str, Any]] = entry.get("columns") or {}
    return [f"{label} column {name}: no description" for name, column in columns.items() if _missing(column)]


def undocumented(manifest: Mapping[str, Any], package: str = PACKAGE) -> list[str]:
    """One line per item of `package` without a description, e.g. `model fct_events: no description`,
    `macro cohortwise.funnel: no description`; empty when the docs are complete. `manifest` is the
    content of target/manifest.json."""
    problems: list[str] = []
    nodes = [
        node
        for node in manifest.get("nodes", {}).values()
        if node.get("package_name") == package and node.get("resource_type") in DOCUMENTED_NODES
    ]
    for node in sorted(nodes, key=lambda n: (DOCUMENTED_NODES.index(n["resource_type"]), n["name"])):
        label = f"{node['resource_type']} {node['name']}"
        if _missing(node):
            problems.append(f"{label}: no description")
        problems += _columns(label, node)

    sources = [source for source in manifest.get("sources", {}).values() if source.get("package_name") == package]
    for source in sorted(sources, key=lambda s: (s["source_name"], s["name"])):
        label = f"source {source['source_name']}.{source['name']}"
        if _missing(source):
            problems.append(f"{label}: no description")
        problems += _columns(label, source)

    macros = [
        macro
        for macro in manifest.get("macros", {}).values()
        if macro.get("package_name") == package and is_public_macro(macro["name"])
    ]
    for macro in sorted(macros, key=lambda m: str(m["name"])):
        label = f"macro {package}.{macro['name']}"
        if _missing(macro):
            problems.append(f"{label}: no description")
        problems += [
            f"{label} argument {argument['name']}: no description"
            for argument in macro.get("arguments") or []
            if _missing(argument)
        ]
    return problems


def read_manifest(path: Path) -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads(path.read_text())
    return manifest


def check_project(project: DbtProject) -> list[str]:
    """`dbt parse` the project, then what of it lacks a description."""
    outcome = invoke(project, ["parse"])
    if not outcome.success or outcome.result is None:
        errors = outcome.error_lines() or [str(outcome.exception or "dbt parse failed")]
        raise DbtInvocationError(f"cannot parse the project: {errors[0].splitlines()[0]}")
    manifest: dict[str, Any] = outcome.result.writable_manifest().to_dict()
    return undocumented(manifest)
