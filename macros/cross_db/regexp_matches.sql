{#- True when the whole text matches a (POSIX / RE2 compatible) pattern; pattern is a Jinja string. -#}
{% macro regexp_matches(expression, pattern) -%}
    {{ return(adapter.dispatch('regexp_matches', 'cohortwise')(expression, pattern)) }}
{%- endmacro %}

{% macro default__regexp_matches(expression, pattern) -%}
    {{ return('(' ~ expression ~ ' ~ ' ~ cohortwise.literal(pattern) ~ ')') }}
{%- endmacro %}

{% macro postgres__regexp_matches(expression, pattern) -%}
    {{ return(cohortwise.default__regexp_matches(expression, pattern)) }}
{%- endmacro %}

{% macro redshift__regexp_matches(expression, pattern) -%}
    {{ return(cohortwise.default__regexp_matches(expression, pattern)) }}
{%- endmacro %}

{# DuckDB: regexp_matches finds a match anywhere; our patterns are anchored with ^ and $. #}
{% macro duckdb__regexp_matches(expression, pattern) -%}
    {{ return('regexp_matches(' ~ expression ~ ', ' ~ cohortwise.literal(pattern) ~ ')') }}
{%- endmacro %}

{% macro bigquery__regexp_matches(expression, pattern) -%}
    {{ return('regexp_contains(' ~ expression ~ ', ' ~ cohortwise.literal(pattern) ~ ')') }}
{%- endmacro %}

{# T-SQL (before 2025) has no regular expressions: callers must provide a LIKE-based variant. #}
{% macro sqlserver__regexp_matches(expression, pattern) -%}
    {{ exceptions.raise_compiler_error(
        "cohortwise.regexp_matches is not available on SQL Server; use a LIKE pattern instead") }}
{%- endmacro %}
