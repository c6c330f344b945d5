"""dbt docs: the site generates from the sample build, and nothing of the package lacks a description."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from cohortwise.dbt import DbtProject
from cohortwise.docs import check_project, is_public_macro, undocumented
from tests.python.conftest import ROOT, Build, copy_project, dbt, write_profiles

# `python -m` from the project folder: this checkout's cohortwise, whichever the environment installed
CLI = [sys.executable, "-m", "cohortwise.cli"]


@pytest.fixture(scope="module")
def docs_site(sample_build: Build) -> Path:
    """`dbt docs generate` on the sample build (it writes into the build's target folder)."""
    generated = dbt(sample_build.project, "docs", "generate", vars=sample_build.vars)
    assert generated.success, generated.error_lines() or generated.exception
    assert sample_build.project.target_path is not None
    return sample_build.project.target_path


def test_docs_generate_catalogs_every_built_model_with_its_columns(sample_build: Build, docs_site: Path) -> None:
    catalog = json.loads((docs_site / "catalog.json").read_text())
    manifest = json.loads((docs_site / "manifest.json").read_text())
    assert (docs_site / "index.html").is_file()

    built = {uid for uid, status in sample_build.statuses().items() if uid.startswith("model.") and status == "success"}
    assert len(built) > 40
    assert built <= set(catalog["nodes"])
    fct_events = catalog["nodes"]["model.cohortwise.fct_events"]
    assert {"event_id", "user_id", "event_name", "event_at"} <= {name.lower() for name in fct_events["columns"]}

    # what the YAML documents is what the warehouse holds: every documented column of a built model exists
    phantom = [
        f"{uid}.{column}"
        for uid in sorted(built)
        for column in manifest["nodes"][uid]["columns"]
        if column.lower() not in {name.lower() for name in catalog["nodes"][uid]["columns"]}
    ]
    assert phantom == []

    node = manifest["nodes"]["model.cohortwise.fct_events"]
    assert node["description"].startswith("Clean product events")
    assert node["columns"]["event_id"]["description"] == "Unique id of the event."
    assert manifest["macros"]["macro.cohortwise.literal"]["description"].strip()
    assert manifest["nodes"]["analysis.cohortwise.funnel_drilldown"]["description"].strip()
    assert undocumented(manifest) == []


def test_every_model_and_public_macro_of_the_project_has_a_description(compile_project: DbtProject) -> None:
    """Fails when a model, seed, analysis, column, source, public macro or macro argument lacks a description."""
    assert check_project(compile_project) == []


@pytest.mark.parametrize(
    ("name", "public"),
    [
        ("literal", True),
        ("funnel_drilldown", True),
        ("test_not_all_null", True),
        ("default_values", True),  # one underscore: not an adapter implementation
        ("cohort__size", True),  # not an adapter's name
        ("duckdb__literal", False),
        ("default__literal", False),
        ("sqlserver__top_n", False),
        ("snowflake__funnel", False),
        ("default___local_midnight", False),  # an implementation of the private _local_midnight
        ("_lookback_days", False),
    ],
)
def test_which_macros_are_public(name: str, public: bool) -> None:
    assert is_public_macro(name) is public


def _edit_yaml(path: Path, edit: Any) -> None:
    document = yaml.safe_load(path.read_text())
    edit(document)
    path.write_text(yaml.safe_dump(document, sort_keys=False))


def _entry(entries: list[dict[str, Any]], name: str) -> dict[str, Any]:
    return next(entry for entry in entries if entry["name"] == name)


def test_the_check_names_each_missing_description(tmp_path: Path) -> None:
    """A copy of the project with descriptions removed and an undocumented macro added: exactly those are named."""
    project = copy_project(tmp_path)

    def strip_model(document: dict[str, Any]) -> None:
        dim_users = _entry(document["models"], "dim_users")
        del dim_users["description"]
        _entry(dim_users["columns"], "user_id")["description"] = ""

    def strip_macro(document: dict[str, Any]) -> None:
        del _entry(document["macros"], "funnel")["description"]
        del _entry(document["macros"], "funnel_drilldown")["arguments"][0]["description"]

    def strip_analysis(document: dict[str, Any]) -> None:
        del _entry(document["analyses"], "quarantine_summary")["description"]

    _edit_yaml(project / "models" / "marts" / "_marts__models.yml", strip_model)
    _edit_yaml(project / "macros" / "funnels" / "_funnels__macros.yml", strip_macro)
    _edit_yaml(project / "analyses" / "_analyses.yml", strip_analysis)
    (project / "macros" / "internal" / "undocumented_helper.sql").write_text(
        "{% macro undocumented_helper() %}{{ return(adapter.dispatch('undocumented_helper', 'cohortwise')()) }}"
        "{% endmacro %}\n"
        "{% macro default__undocumented_helper() %}1{% endmacro %}\n"
        "{% macro duckdb__undocumented_helper() %}2{% endmacro %}\n"
        "{% macro _undocumented_private() %}3{% endmacro %}\n"
    )

    database = tmp_path / "docs.duckdb"
    dbt_project = DbtProject(project, write_profiles(tmp_path / "profiles", database), "duckdb", project / "target")
    problems = check_project(dbt_project)
    assert problems == [
        "model dim_users: no description",
        "model dim_users column user_id: no description",
        "analysis quarantine_summary: no description",
        "macro cohortwise.funnel: no description",
        "macro cohortwise.funnel_drilldown argument funnel_model: no description",
        "macro cohortwise.undocumented_helper: no description",
    ]
    # undocumented in the real project too, but adapter implementations and private helpers are not the interface
    assert not [line for line in problems if "duckdb__literal" in line or "_undocumented_private" in line]

    done = subprocess.run(
        [*CLI, "check-docs", "--project-dir", project, "--profiles-dir", tmp_path / "profiles", "--target", "duckdb"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stdout.splitlines() == problems


def test_the_cli_says_the_real_project_is_complete(tmp_path: Path) -> None:
    profiles = write_profiles(tmp_path / "profiles", tmp_path / "docs.duckdb")
    done = subprocess.run(
        [*CLI, "check-docs", "--project-dir", ROOT, "--profiles-dir", profiles, "--target", "duckdb"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={**os.environ, "DBT_TARGET_PATH": str(tmp_path / "cli-target")},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == "every model, column, source and public macro has a description"
