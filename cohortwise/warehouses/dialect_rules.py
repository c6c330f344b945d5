"""Checks compiled SQL against what each warehouse's engine accepts.

Parsers are lenient: sqlglot and sqlfluff both read T-SQL `limit 10` or BigQuery `dateadd(...)`
without complaint, yet SQL Server and BigQuery reject them. So every statement is parsed by both
(in the warehouse's dialect) and then walked: sqlglot's syntax tree and token stream are checked
against a list of rules, each with a name that tests and reports use.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError
from sqlglot.tokenizer_core import Token, TokenType

# our warehouse names -> sqlglot / sqlfluff dialect names
DIALECTS = {
    "bigquery": ("bigquery", "bigquery"),
    "redshift": ("redshift", "redshift"),
    "sqlserver": ("tsql", "tsql"),
    "postgres": ("postgres", "postgres"),
    "duckdb": ("duckdb", "duckdb"),
}

# Functions each engine has that sqlglot does not model (it parses them as exp.Anonymous). Anything
# else that sqlglot does not know is reported as `unknown_function`.
KNOWN_FUNCTIONS: dict[str, dict[str, str]] = {
    "sqlserver": {
        "isjson": "SQL Server 2016+: 1 when the text is valid JSON",
        "switchoffset": "moves a datetimeoffset to another UTC offset",
        "sysutcdatetime": "current UTC time as datetime2",
        "charindex": "position of a substring",
    },
    "redshift": {
        "is_valid_json": "true when the text is valid JSON",
        "getdate": "current UTC time, without time zone",
    },
    "bigquery": {},
    "postgres": {},
    "duckdb": {},
}

# BigQuery's reserved keywords: they may only be used as identifiers when quoted with backticks.
BIGQUERY_RESERVED = frozenset(
    [
        "all",
        "and",
        "any",
        "array",
        "as",
        "asc",
        "assert_rows_modified",
        "at",
        "between",
        "by",
        "case",
        "cast",
        "collate",
        "contains",
        "create",
        "cross",
        "cube",
        "current",
        "default",
        "define",
        "desc",
        "distinct",
        "else",
        "end",
        "enum",
        "escape",
        "except",
        "exclude",
        "exists",
        "extract",
        "false",
        "fetch",
        "following",
        "for",
        "from",
        "full",
        "group",
        "grouping",
        "groups",
        "hash",
        "having",
        "if",
        "ignore",
        "in",
        "inner",
        "intersect",
        "interval",
        "into",
        "is",
        "join",
        "lateral",
        "left",
        "like",
        "limit",
        "lookup",
        "merge",
        "natural",
        "new",
        "no",
        "not",
        "null",
        "nulls",
        "of",
        "on",
        "or",
        "order",
        "outer",
        "over",
        "partition",
        "preceding",
        "proto",
        "qualify",
        "range",
        "recursive",
        "respect",
        "right",
        "rollup",
        "rows",
        "select",
        "set",
        "some",
        "struct",
        "tablesample",
        "then",
        "to",
        "treat",
        "true",
        "unbounded",
        "union",
        "unnest",
        "using",
        "when",
        "where",
        "window",
        "with",
        "within",
    ]
)
BIGQUERY_FORBIDDEN_FUNCTIONS = frozenset({"dateadd", "datediff", "getdate"})


@dataclass(frozen=True)
class Finding:
    rule: str
    message: str

    def __str__(self) -> str:
        return f"[{self.rule}] {self.message}"


@dataclass(frozen=True)
class Parsed:
    warehouse: str
    sql: str
    tokens: list[Token]
    trees: list[exp.Expr]


Rule = Callable[[Parsed], Iterable[Finding]]


def _function_calls(tokens: list[Token]) -> Iterable[tuple[int, Token]]:
    """Name tokens directly followed by an opening parenthesis."""
    for index, token in enumerate(tokens[:-1]):
        if tokens[index + 1].token_type == TokenType.L_PAREN and token.token_type not in (
            TokenType.STRING,
            TokenType.NUMBER,
        ):
            yield index, token


# --- rules for every warehouse ---------------------------------------------------------------------


def unknown_functions(parsed: Parsed) -> Iterable[Finding]:
    known = KNOWN_FUNCTIONS.get(parsed.warehouse, {})
    seen: set[str] = set()
    for tree in parsed.trees:
        for node in tree.find_all(exp.Anonymous):
            name = str(node.name).lower()
            if name and name not in known and name not in seen:
                seen.add(name)
                yield Finding("unknown_function", f"{name}() is not a function sqlglot knows for {parsed.warehouse}")


# --- SQL Server ------------------------------------------------------------------------------------


def tsql_limit(parsed: Parsed) -> Iterable[Finding]:
    if any(token.token_type == TokenType.LIMIT for token in parsed.tokens):
        yield Finding("tsql_limit", "T-SQL has no LIMIT; use TOP or the cohortwise top-n shim")


def tsql_qualify(parsed: Parsed) -> Iterable[Finding]:
    if any(tree.find(exp.Qualify) for tree in parsed.trees):
        yield Finding("tsql_qualify", "T-SQL has no QUALIFY; filter a window function in an outer query")


def double_colon_cast(parsed: Parsed) -> Iterable[Finding]:
    if any(token.token_type == TokenType.DCOLON for token in parsed.tokens):
        yield Finding("double_colon_cast", f"{parsed.warehouse} does not accept `::` casts; use cast(x as t)")


def tsql_boolean_literal(parsed: Parsed) -> Iterable[Finding]:
    if any(token.token_type in (TokenType.TRUE, TokenType.FALSE) for token in parsed.tokens):
        yield Finding("tsql_boolean_literal", "T-SQL has no true/false literals; use cohortwise.bool_literal")


_PREDICATES = (exp.Predicate, exp.Connector, exp.Not, exp.Boolean, exp.Exists)


def tsql_boolean_select(parsed: Parsed) -> Iterable[Finding]:
    for tree in parsed.trees:
        for select in tree.find_all(exp.Select):
            for projection in select.expressions:
                value = projection.unalias()
                while isinstance(value, exp.Paren):
                    value = value.this
                if isinstance(value, _PREDICATES):
                    yield Finding(
                        "tsql_boolean_select",
                        f"T-SQL cannot select a condition ({value.sql(dialect='tsql')[:60]}); "
                        "use cohortwise.as_boolean",
                    )


def _ordinals(node: exp.Expr | None) -> bool:
    if node is None:
        return False
    for item in node.expressions:
        value = item.this if isinstance(item, exp.Ordered) else item
        if isinstance(value, exp.Literal) and value.is_int:
            return True
    return False


def ordinal_group_by(parsed: Parsed) -> Iterable[Finding]:
    for tree in parsed.trees:
        if any(_ordinals(group) for group in tree.find_all(exp.Group)):
            yield Finding("ordinal_group_by", "group by a column position; name the columns")
            return


def ordinal_order_by(parsed: Parsed) -> Iterable[Finding]:
    for tree in parsed.trees:
        if any(_ordinals(order) for order in tree.find_all(exp.Order)):
            yield Finding("ordinal_order_by", "order by a column position; name the columns")
            return


def nested_with(parsed: Parsed) -> Iterable[Finding]:
    for tree in parsed.trees:
        for with_ in tree.find_all(exp.With):
            owner = with_.parent
            if owner is not None and owner is not tree and owner.parent is not None:
                yield Finding("nested_with", "T-SQL cannot nest a WITH inside a subquery or CTE")
                return


def tsql_ilike(parsed: Parsed) -> Iterable[Finding]:
    if any(tree.find(exp.ILike) for tree in parsed.trees):
        yield Finding("tsql_ilike", "T-SQL has no ILIKE; compare lower() values")


# --- BigQuery --------------------------------------------------------------------------------------


def bigquery_forbidden_functions(parsed: Parsed) -> Iterable[Finding]:
    for _, token in _function_calls(parsed.tokens):
        if token.text.lower() in BIGQUERY_FORBIDDEN_FUNCTIONS:
            yield Finding(
                "bigquery_date_function",
                f"BigQuery has no {token.text.lower()}(); use date_add / timestamp_add / date_diff",
            )


def bigquery_reserved_words(parsed: Parsed) -> Iterable[Finding]:
    for tree in parsed.trees:
        for identifier in tree.find_all(exp.Identifier):
            if not identifier.quoted and str(identifier.name).lower() in BIGQUERY_RESERVED:
                yield Finding(
                    "bigquery_reserved_word",
                    f"`{identifier.name}` is reserved in BigQuery; quote it or choose another name",
                )
    # sqlglot turns some reserved words into keywords of its own: look at aliases in the token stream
    for index, token in enumerate(parsed.tokens[:-1]):
        following = parsed.tokens[index + 1]
        if token.token_type == TokenType.ALIAS and following.text.lower() in BIGQUERY_RESERVED:
            yield Finding(
                "bigquery_reserved_word",
                f"`{following.text}` is reserved in BigQuery; quote it or choose another name",
            )


RULES: dict[str, tuple[Rule, ...]] = {
    "sqlserver": (
        tsql_limit,
        tsql_qualify,
        double_colon_cast,
        tsql_boolean_literal,
        tsql_boolean_select,
        ordinal_group_by,
        ordinal_order_by,
        nested_with,
        tsql_ilike,
        unknown_functions,
    ),
    "bigquery": (
        bigquery_forbidden_functions,
        bigquery_reserved_words,
        double_colon_cast,
        ordinal_group_by,
        unknown_functions,
    ),
    "redshift": (ordinal_group_by, unknown_functions),
    "postgres": (unknown_functions,),
    "duckdb": (unknown_functions,),
}


def parse(sql: str, warehouse: str) -> tuple[Parsed | None, list[Finding]]:
    dialect = DIALECTS[warehouse][0]
    try:
        tokens = sqlglot.Dialect.get_or_raise(dialect).tokenize(sql)
        trees = [tree for tree in sqlglot.parse(sql, read=dialect) if tree is not None]
    except (ParseError, TokenError) as error:
        return None, [Finding("parse_error", f"sqlglot cannot parse it as {dialect}: {str(error).splitlines()[0]}")]
    return Parsed(warehouse, sql, tokens, trees), []


def sqlfluff_findings(sql: str, warehouse: str) -> list[Finding]:
    import sqlfluff
    from sqlfluff.api.simple import APIParsingError

    try:
        sqlfluff.parse(sql, dialect=DIALECTS[warehouse][1])
    except APIParsingError as error:
        first = str(error).splitlines()
        return [Finding("sqlfluff_parse_error", f"sqlfluff cannot parse it: {' '.join(first[:2])[:200]}")]
    return []


def check(sql: str, warehouse: str, *, use_sqlfluff: bool = True) -> list[Finding]:
    """Every finding for one statement compiled for `warehouse`; empty when it is fine."""
    if warehouse not in DIALECTS:
        raise ValueError(f"unknown warehouse {warehouse!r}; expected one of {', '.join(DIALECTS)}")
    parsed, findings = parse(sql, warehouse)
    if use_sqlfluff:
        findings += sqlfluff_findings(sql, warehouse)
    if parsed is not None:
        for rule in RULES[warehouse]:
            findings.extend(rule(parsed))
    unique: dict[tuple[str, str], Finding] = {(f.rule, f.message): f for f in findings}
    return list(unique.values())
