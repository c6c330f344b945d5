"""Runs another warehouse's compiled SQL on DuckDB and compares it with the native DuckDB build.

Each compiled model is transpiled by sqlglot from the warehouse's dialect into DuckDB SQL and
materialized, in dependency order, over the same sample data; its rows must equal the native build's
rows of that model. Each compiled data test must return as many rows as it does natively.

Where sqlglot cannot carry a construct across (a transpiler gap, not a difference in our SQL), the
gap is bridged here, each bridge named and explained: a rewrite of the syntax tree, or a DuckDB
macro that gives a warehouse function its documented meaning. What no bridge covers goes into the
allowlist file, per column and with a reason; an allowlist can never silence a whole model.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import sqlglot
import yaml
from sqlglot import exp

from cohortwise.errors import CohortwiseError
from cohortwise.warehouses.dialect_rules import DIALECTS
from cohortwise.warehouses.offline import CompiledNode

# --- bridges over transpiler gaps -------------------------------------------------------------------

_INTEGER_TYPES = "('TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT')"
TYPED_DIVISION = (
    "create or replace macro typed_div(a, b) as case when typeof(a) in "
    + _INTEGER_TYPES
    + " and typeof(b) in "
    + _INTEGER_TYPES
    + " then trunc(a / b) else a / b end",
    "integer / integer truncates on SQL Server and Redshift; DuckDB's `/` would give a fraction",
)

# DuckDB macros giving warehouse functions that sqlglot passes through unchanged their meaning.
EMULATED_FUNCTIONS: dict[str, list[tuple[str, str]]] = {
    "redshift": [
        ("create or replace macro is_valid_json(x) as json_valid(x)", "Redshift IS_VALID_JSON: true for valid JSON"),
        TYPED_DIVISION,
    ],
    "bigquery": [
        ("create schema if not exists safe", "BigQuery's SAFE. prefix arrives as a schema"),
        (
            "create or replace macro safe.json(x) as case when json_valid(x) then x end",
            "BigQuery SAFE.PARSE_JSON (transpiled as SAFE.JSON): the document, or null when invalid",
        ),
    ],
    "sqlserver": [
        (
            "create or replace macro isjson(x) as case when json_valid(x) then 1 else 0 end",
            "SQL Server ISJSON: 1 for valid JSON, else 0",
        ),
        TYPED_DIVISION,
        (
            "create or replace macro switchoffset(x, target_offset) as case when target_offset = '+00:00' then x end",
            "SQL Server SWITCHOFFSET to +00:00 keeps the instant (the only offset cohortwise uses)",
        ),
    ],
}


def _tsql_like_to_regex(pattern: str) -> str:
    """A T-SQL LIKE pattern ([...] classes, %, _) as an anchored regular expression."""
    out, index = [], 0
    while index < len(pattern):
        char = pattern[index]
        if char == "[":
            end = pattern.find("]", index + 1)
            if end == -1:
                out.append(re.escape(char))
            else:
                body = pattern[index + 1 : end]
                negate = body.startswith("^")
                body = body[1:] if negate else body
                out.append("[" + ("^" if negate else "") + body.replace("\\", "\\\\") + "]")
                index = end
        elif char == "%":
            out.append(".*")
        elif char == "_":
            out.append(".")
        else:
            out.append(re.escape(char))
        index += 1
    return "".join(out)


def _bridge_tsql_like(tree: exp.Expr) -> exp.Expr:
    """T-SQL LIKE has [...] classes and compares case-insensitively (default collation); DuckDB's
    LIKE has neither, so it becomes a case-insensitive full regular-expression match."""

    def rewrite(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Like) and isinstance(node.expression, exp.Literal) and node.expression.is_string:
            regex = _tsql_like_to_regex(node.expression.this)
            match = exp.Anonymous(
                this="regexp_full_match",
                expressions=[node.this, exp.Literal.string(regex), exp.Literal.string("is")],
            )
            return exp.Not(this=match) if node.args.get("negate") else match
        return node

    return tree.transform(rewrite)


def _bridge_max_length(tree: exp.Expr) -> exp.Expr:
    """nvarchar(max) / varchar(max): DuckDB text has no length, and rejects `max`."""
    for data_type in tree.find_all(exp.DataType):
        if any(isinstance(p, exp.DataTypeParam) and p.name.lower() == "max" for p in data_type.expressions):
            data_type.set("expressions", [])
    return tree


def _bridge_typed_division(tree: exp.Expr) -> exp.Expr:
    """sqlglot marks `/` as typed (integer division for integers) in T-SQL and Redshift, but writes
    DuckDB's `/`, which always gives a fraction; typed_div (see TYPED_DIVISION) keeps the meaning."""

    def rewrite(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Div) and node.args.get("typed"):
            return exp.Anonymous(this="typed_div", expressions=[node.this, node.expression])
        return node

    return tree.transform(rewrite)


def _bridge_int_div_operands(tree: exp.Expr) -> exp.Expr:
    """sqlglot writes BigQuery's div(a + b, c) as DuckDB `a + b // c`, losing the grouping."""
    for node in list(tree.find_all(exp.IntDiv)):
        for key in ("this", "expression"):
            operand = node.args.get(key)
            if isinstance(operand, exp.Binary):
                node.set(key, exp.Paren(this=operand.copy()))
    return tree


def _bridge_bit(tree: exp.Expr) -> exp.Expr:
    """T-SQL's BIT is its boolean; DuckDB's BIT is a bit string."""
    for data_type in tree.find_all(exp.DataType):
        if data_type.this == exp.DataType.Type.BIT:
            data_type.set("this", exp.DataType.Type.BOOLEAN)
    return tree


def _windows_to_iana() -> dict[str, str]:
    from tzlocal.windows_tz import win_tz

    return {windows.lower(): iana for windows, iana in win_tz.items()}


def _bridge_windows_zones(tree: exp.Expr) -> exp.Expr:
    """SQL Server's AT TIME ZONE takes Windows zone names; DuckDB takes IANA names."""
    mapping = _windows_to_iana()
    for node in tree.find_all(exp.AtTimeZone):
        zone = node.args.get("zone")
        if isinstance(zone, exp.Literal) and zone.is_string and zone.this.lower() in mapping:
            node.set("zone", exp.Literal.string(mapping[zone.this.lower()]))
    return tree


TREE_BRIDGES: dict[str, list[Callable[[exp.Expr], exp.Expr]]] = {
    "sqlserver": [_bridge_max_length, _bridge_bit, _bridge_tsql_like, _bridge_windows_zones, _bridge_typed_division],
    "bigquery": [_bridge_int_div_operands],
    "redshift": [_bridge_typed_division],
}


def to_duckdb(sql: str, warehouse: str, relation_for: Callable[[exp.Table], exp.Table | None]) -> str:
    """Transpiles one compiled statement to DuckDB SQL, pointing its tables where `relation_for` says."""
    dialect = DIALECTS[warehouse][0]
    statements = [tree for tree in sqlglot.parse(sql, read=dialect) if tree is not None]
    if len(statements) != 1:
        raise CohortwiseError(f"expected one statement, found {len(statements)}")
    tree = statements[0]
    for bridge in TREE_BRIDGES.get(warehouse, []):
        tree = bridge(tree)
    cte_names = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
    for table in list(tree.find_all(exp.Table)):
        if not table.args.get("db") and table.name.lower() in cte_names:
            continue
        replacement = relation_for(table)
        if replacement is not None:
            table.set("catalog", replacement.args.get("catalog"))
            table.set("db", replacement.args.get("db"))
            table.set("this", replacement.args.get("this"))
    return tree.sql(dialect="duckdb")


# --- comparing rows -------------------------------------------------------------------------------


def normalize(value: Any) -> Any:
    """One representation per value, whatever type a warehouse's SQL produced it in."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Decimal | float):
        number = float(value)
        if math.isnan(number):
            return "NaN"
        return round(number, 6) + 0.0
    if isinstance(value, int):
        return float(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat() + " 00:00:00"
    if isinstance(value, bytes):
        return value.hex()
    return value


@dataclass(frozen=True)
class AllowlistEntry:
    warehouse: str
    model: str
    column: str
    reason: str


def load_allowlist(path: Path | None) -> list[AllowlistEntry]:
    if path is None or not path.exists():
        return []
    document = yaml.safe_load(path.read_text()) or {}
    entries = []
    for index, raw in enumerate(document.get("entries") or []):
        missing = [key for key in ("warehouse", "model", "column", "reason") if not str(raw.get(key) or "").strip()]
        if missing:
            raise CohortwiseError(f"{path}: entry {index + 1} lacks {', '.join(missing)}")
        entries.append(AllowlistEntry(raw["warehouse"], raw["model"], str(raw["column"]).lower(), raw["reason"]))
    return entries


@dataclass
class Comparison:
    warehouse: str
    unique_id: str
    name: str
    resource_type: str
    status: str  # equal | different | error
    detail: str = ""
    allowlisted: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == "equal"


def _fetch(con: duckdb.DuckDBPyConnection, relation: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    cursor = con.execute(f"select * from {relation}")
    columns = [d[0].lower() for d in cursor.description or []]
    return columns, cursor.fetchall()


def _compare_rows(
    native: tuple[list[str], list[tuple[Any, ...]]],
    other: tuple[list[str], list[tuple[Any, ...]]],
    skipped: Iterable[str],
) -> str:
    """Empty when both hold the same rows (as multisets) on every column not skipped."""
    native_columns, native_rows = native
    other_columns, other_rows = other
    skip = set(skipped)
    if set(native_columns) - skip != set(other_columns) - skip:
        return f"columns differ: native {sorted(native_columns)} vs {sorted(other_columns)}"
    kept = [c for c in native_columns if c not in skip]
    native_index = [native_columns.index(c) for c in kept]
    other_index = [other_columns.index(c) for c in kept]
    left = Counter(tuple(normalize(row[i]) for i in native_index) for row in native_rows)
    right = Counter(tuple(normalize(row[i]) for i in other_index) for row in other_rows)
    if left == right:
        return ""
    only_native = list((left - right).elements())[:3]
    only_other = list((right - left).elements())[:3]
    return (
        f"{sum(left.values())} native rows vs {sum(right.values())}; "
        f"only native: {only_native}; only here: {only_other} (columns {kept})"
    )


def _topological(nodes: Sequence[CompiledNode], extra: dict[str, set[str]] | None = None) -> list[CompiledNode]:
    """Parents first; `extra` adds dependencies dbt does not see (readers of tables hooks write)."""
    by_id = {node.unique_id: node for node in nodes}
    ordered: list[CompiledNode] = []
    seen: set[str] = set()

    def visit(node: CompiledNode) -> None:
        if node.unique_id in seen:
            return
        seen.add(node.unique_id)
        for parent in sorted(set(node.depends_on) | (extra or {}).get(node.unique_id, set())):
            if parent in by_id:
                visit(by_id[parent])
        ordered.append(node)

    for node in sorted(nodes, key=lambda n: n.unique_id):
        visit(node)
    return ordered


def _other_tables(hook: CompiledNode, models: Sequence[CompiledNode]) -> set[str]:
    """The models a hook names besides its own (a hook that changes only its own model's table, such
    as a delete, orders nothing)."""
    return _refs_of(hook, models) - {hook.depends_on[0]}


def _hook_readers(models: Sequence[CompiledNode], hooks: Sequence[CompiledNode]) -> dict[str, set[str]]:
    """Models that read a table some hook writes wait for every model whose hooks write other tables."""
    owners = {hook.depends_on[0] for hook in hooks if _other_tables(hook, models)}
    written = {model_id for hook in hooks for model_id in _other_tables(hook, models)} - owners
    return {
        model.unique_id: owners
        for model in models
        if model.unique_id not in owners and model.unique_id not in written and written & set(model.depends_on)
    }


def _refs_of(hook: CompiledNode, models: Sequence[CompiledNode]) -> set[str]:
    """The models a hook statement names (as the last part of a relation name)."""
    return {
        model.unique_id
        for model in models
        if re.search(rf"[.`\"\[]{re.escape(model.name)}[`\"\]]?(\s|$)", hook.sql, flags=re.IGNORECASE)
    }


def compare_warehouse(
    warehouse: str,
    nodes: Sequence[CompiledNode],
    native_database: Path,
    native_nodes: Sequence[CompiledNode],
    allowlist: Sequence[AllowlistEntry] = (),
) -> list[Comparison]:
    """Transpiles and runs every compiled model (then its hooks) and data test of `warehouse` on DuckDB."""
    models = [n for n in nodes if n.resource_type == "model"]
    hooks = [n for n in nodes if n.resource_type == "hook"]
    hooks_of: dict[str, list[CompiledNode]] = {}
    for hook in hooks:
        hooks_of.setdefault(hook.depends_on[0], []).append(hook)
    model_names = {n.name.lower() for n in models}
    tests = [n for n in nodes if n.resource_type == "test"]
    native_by_id = {n.unique_id: n for n in native_nodes}
    entries = [e for e in allowlist if e.warehouse == warehouse]
    for entry in entries:
        if entry.model.lower() not in model_names:
            raise CohortwiseError(f"allowlist names model {entry.model!r}, which {warehouse} does not compile")

    con = duckdb.connect()
    try:
        con.execute("set TimeZone = 'UTC'")  # casts from time-zone-aware values read in UTC, as cohortwise does
        con.execute(f"attach '{native_database}' as native (read_only)")
        con.execute("create schema eq")
        for statement, _why in EMULATED_FUNCTIONS.get(warehouse, []):
            con.execute(statement)

        def native_table(table: exp.Table) -> exp.Table:
            # everything that is not a model here is a seed or source of the native build (schema main)
            return exp.table_(table.name, db="main", catalog="native")

        def relation_for(table: exp.Table) -> exp.Table:
            if table.name.lower() in model_names:
                return exp.table_(table.name, db="eq")
            return native_table(table)

        def compare(node: CompiledNode, comparison: Comparison) -> None:
            try:
                native = _fetch(con, f'native.main."{node.name}"')
                skipped = [e.column for e in entries if e.model.lower() == node.name.lower()]
                if skipped and len(set(skipped)) >= len(native[0]):
                    raise CohortwiseError(f"the allowlist may not silence every column of {node.name}")
                comparison.allowlisted = sorted(set(skipped))
                difference = _compare_rows(native, _fetch(con, f'eq."{node.name}"'), skipped)
                if difference:
                    comparison.status, comparison.detail = "different", difference
            except Exception as error:
                comparison.status, comparison.detail = "error", str(error).splitlines()[0][:300]

        written = {model_id for hook in hooks for model_id in _other_tables(hook, models)} - set(hooks_of)
        results: list[Comparison] = []
        deferred: list[tuple[CompiledNode, Comparison]] = []
        for node in _topological(models, _hook_readers(models, hooks)):
            comparison = Comparison(warehouse, node.unique_id, node.name, "model", "equal")
            results.append(comparison)
            try:
                sql = to_duckdb(node.sql, warehouse, relation_for)
                con.execute(f'create table eq."{node.name}" as {sql}')
            except Exception as error:  # reported per model; its dependents then fail visibly too
                comparison.status, comparison.detail = "error", str(error).splitlines()[0][:300]
                con.execute(f'create view eq."{node.name}" as select 1 as failed_to_build')
                continue
            if node.unique_id in written:  # filled by the hooks of later models: compared at the end
                deferred.append((node, comparison))
            else:
                compare(node, comparison)
            for hook in hooks_of.get(node.unique_id, []):  # in compile order: members, then computation
                ran = Comparison(warehouse, hook.unique_id, hook.name, "hook", "equal")
                results.append(ran)
                try:
                    con.execute(to_duckdb(hook.sql, warehouse, relation_for))
                except Exception as error:
                    ran.status, ran.detail = "error", str(error).splitlines()[0][:300]
        for node, comparison in deferred:
            compare(node, comparison)
        for node in tests:
            comparison = Comparison(warehouse, node.unique_id, node.name, "test", "equal")
            try:
                native_node = native_by_id.get(node.unique_id)
                if native_node is None:
                    raise CohortwiseError("this test does not exist in the native build")
                native = _fetch(con, f"({to_duckdb(native_node.sql, 'duckdb', native_table)})")
                here = _fetch(con, f"({to_duckdb(node.sql, warehouse, relation_for)})")
                # a test passes when it returns no rows, whatever columns it would have returned
                difference = "" if not native[1] and not here[1] else _compare_rows(native, here, ())
                if difference:
                    comparison.status, comparison.detail = "different", difference
            except Exception as error:
                comparison.status, comparison.detail = "error", str(error).splitlines()[0][:300]
            results.append(comparison)
        return results
    finally:
        con.close()
