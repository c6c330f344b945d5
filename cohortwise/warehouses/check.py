"""`cohortwise check-warehouses`: compile for every unreachable warehouse, check, and compare.

For each of BigQuery, Redshift and SQL Server: compile the project offline (SQL in
`<out>/<warehouse>/compiled`), check every compiled model, data test, analysis, post-hook and
GRANT statement (`<out>/<warehouse>-grants/statements.sql`, for example roles) against the dialect
rules, then run the compiled models and tests on DuckDB (transpiled) against the sample data and
compare them with a native DuckDB build of the same project.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import sqlglot
from sqlglot import exp

from cohortwise.warehouses.dialect_rules import DIALECTS, Finding, check
from cohortwise.warehouses.equivalence import Comparison, compare_warehouse, load_allowlist
from cohortwise.warehouses.offline import (
    OFFLINE_WAREHOUSES,
    UNRENDERED_JINJA,
    CompiledNode,
    NativeBuild,
    build_native,
    compile_grants,
    compile_hooks,
    compile_offline,
)

DEFAULT_ALLOWLIST = Path("tests") / "warehouses" / "equivalence_allowlist.yml"


@dataclass
class StatementFinding:
    path: str
    unique_id: str
    rule: str
    message: str


@dataclass
class WarehouseReport:
    warehouse: str
    statements: int = 0
    incremental_statements: int = 0
    hook_statements: int = 0  # the models' post-hooks: the cohorts' by an inline compile, the rest from the compile
    grant_statements: int = 0  # GRANT statements of every model for the check roles (dialect rules only)
    findings: list[StatementFinding] = field(default_factory=list)
    comparisons: list[Comparison] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error and not self.findings and all(c.ok for c in self.comparisons)

    def lines(self) -> list[str]:
        timing = ", ".join(f"{step} {seconds:.1f}s" for step, seconds in self.seconds.items())
        lines = [
            f"{self.warehouse}: {self.statements} statements compiled"
            f" ({self.incremental_statements} of them as incremental runs, {self.hook_statements} post-hooks,"
            f" {self.grant_statements} grants; {timing})"
        ]
        if self.error:
            return [*lines, f"  ERROR {self.error}"]
        lines.append(f"  dialect rules: {len(self.findings)} finding(s)")
        lines += [f"    {f.path}: [{f.rule}] {f.message}" for f in self.findings]
        if self.comparisons:
            for kind in ("model", "hook", "test"):
                of_kind = [c for c in self.comparisons if c.resource_type == kind]
                equal = sum(c.ok for c in of_kind)
                lines.append(f"  on DuckDB: {equal}/{len(of_kind)} {kind}s give the native rows")
            for comparison in self.comparisons:
                if not comparison.ok:
                    lines.append(f"    {comparison.name}: {comparison.status}: {comparison.detail}")
                elif comparison.allowlisted:
                    lines.append(f"    {comparison.name}: equal except allowlisted {', '.join(comparison.allowlisted)}")
        return lines


def _statement_findings(nodes: Sequence[CompiledNode], warehouse: str) -> list[StatementFinding]:
    findings: list[StatementFinding] = []
    for node in nodes:
        if not node.sql.strip():
            continue
        if _unrendered(node):
            findings.append(
                StatementFinding(
                    node.path,
                    node.unique_id,
                    "unrendered_hook",
                    "post-hook with Jinja other than {{ this }}, which the offline check cannot render: "
                    + " ".join(node.sql.split())[:120],
                )
            )
            continue
        found: list[Finding] = check(node.sql, warehouse)
        findings += [StatementFinding(node.path, node.unique_id, f.rule, f.message) for f in found]
    return findings


def _unrendered(node: CompiledNode) -> bool:
    """A post-hook the offline compile could not render (reported, never run)."""
    return node.resource_type == "hook" and UNRENDERED_JINJA.search(node.sql) is not None


def _grant_findings(nodes: Sequence[CompiledNode], warehouse: str) -> list[StatementFinding]:
    """GRANT statements: sqlglot must read each as one GRANT in the warehouse's dialect (sqlfluff's
    grammars lack BigQuery's and Redshift's multi-grantee forms, so it is not asked), plus the rules."""
    findings: list[StatementFinding] = []
    for node in nodes:
        found: list[Finding] = check(node.sql, warehouse, use_sqlfluff=False)
        try:
            trees = sqlglot.parse(node.sql, read=DIALECTS[warehouse][0])
        except sqlglot.errors.SqlglotError:
            trees = []  # reported by check() as a parse error
        if trees and not (len(trees) == 1 and isinstance(trees[0], exp.Grant)):
            found.append(Finding("grant_statement", "not one GRANT statement: " + node.sql[:80]))
        findings += [StatementFinding(node.path, node.unique_id, f.rule, f.message) for f in found]
    return findings


def check_warehouses(
    project_dir: Path,
    out_dir: Path,
    warehouses: Sequence[str] = OFFLINE_WAREHOUSES,
    *,
    equivalence: bool = True,
    allowlist_path: Path | None = None,
    progress: Callable[[str], None] = lambda _line: None,
) -> list[WarehouseReport]:
    out_dir.mkdir(parents=True, exist_ok=True)
    allowlist = load_allowlist(allowlist_path if allowlist_path is not None else project_dir / DEFAULT_ALLOWLIST)
    native: NativeBuild | None = None
    if equivalence:
        started = time.perf_counter()
        progress("building the sample natively on DuckDB (the reference)")
        native = build_native(project_dir, out_dir)
        progress(f"  done in {time.perf_counter() - started:.1f}s")
    reports = []
    for warehouse in warehouses:
        report = WarehouseReport(warehouse)
        reports.append(report)
        progress(f"{warehouse}: compiling offline")
        started = time.perf_counter()
        try:
            nodes = compile_offline(project_dir, warehouse, out_dir)
        except Exception as error:
            report.error = str(error)
            continue
        try:
            incremental_nodes = compile_offline(project_dir, warehouse, out_dir, incremental=True)
        except Exception as error:
            report.error = f"incremental compile: {error}"
            continue
        try:
            hook_nodes = compile_hooks(project_dir, warehouse, out_dir)
        except Exception as error:
            report.error = f"hook compile: {error}"
            continue
        try:
            grant_nodes = compile_grants(project_dir, warehouse, out_dir)
        except Exception as error:
            report.error = f"grant compile: {error}"
            continue
        nodes = nodes + hook_nodes
        report.statements = sum(1 for node in nodes + incremental_nodes + grant_nodes if node.sql.strip())
        report.grant_statements = sum(1 for node in grant_nodes if node.sql.strip())
        report.incremental_statements = sum(1 for node in incremental_nodes if node.sql.strip())
        report.hook_statements = sum(1 for node in nodes if node.resource_type == "hook" and node.sql.strip())
        report.seconds["compile"] = time.perf_counter() - started
        progress(f"{warehouse}: checking {report.statements} statements against the dialect rules")
        started = time.perf_counter()
        report.findings = [
            *_statement_findings(nodes, warehouse),
            *_statement_findings(incremental_nodes, warehouse),
            *_grant_findings(grant_nodes, warehouse),  # DuckDB has no GRANT: checked, not run
        ]
        report.seconds["dialect"] = time.perf_counter() - started
        if native is not None:
            progress(f"{warehouse}: running the compiled models and tests on DuckDB")
            started = time.perf_counter()
            runnable = [node for node in nodes if not _unrendered(node)]
            report.comparisons = compare_warehouse(warehouse, runnable, native.database, native.nodes, allowlist)
            report.seconds["equivalence"] = time.perf_counter() - started
    (out_dir / "report.json").write_text(json.dumps([asdict(r) for r in reports], indent=2, default=str))
    return reports
