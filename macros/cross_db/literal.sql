{#-
    The one escaping helper: every user-supplied value that reaches SQL (event names, property
    names and values, dates) is emitted through it, never by string concatenation.
    Strings become properly escaped literals, numbers stay numbers, booleans go through
    `cohortwise.bool_literal`, none becomes null.
-#}
{% macro literal(value) -%}
    {{ return(adapter.dispatch('literal', 'cohortwise')(value)) }}
{%- endmacro %}

{% macro _literal_non_string(value) -%}
    {%- if value is none -%}
        {{ return('null') }}
    {%- elif value is sameas true or value is sameas false -%}
        {{ return(cohortwise.bool_literal(value)) }}
    {%- elif value is number -%}
        {{ return(value | string) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "cohortwise.literal: cannot emit " ~ (value | string)
            ~ " as a SQL literal; pass a string, a number, a boolean or none") }}
    {%- endif -%}
{%- endmacro %}

{% macro default__literal(value) -%}
    {%- if value is string -%}
        {{ return("'" ~ value.replace("'", "''") ~ "'") }}
    {%- endif -%}
    {{ return(cohortwise._literal_non_string(value)) }}
{%- endmacro %}

{# DuckDB and PostgreSQL (standard_conforming_strings): only the quote is special. #}
{% macro duckdb__literal(value) -%}
    {{ return(cohortwise.default__literal(value)) }}
{%- endmacro %}

{% macro postgres__literal(value) -%}
    {{ return(cohortwise.default__literal(value)) }}
{%- endmacro %}

{# Redshift reads backslash escapes inside literals, so a backslash must be doubled too. #}
{% macro redshift__literal(value) -%}
    {%- if value is string -%}
        {{ return("'" ~ value.replace("\\", "\\\\").replace("'", "''") ~ "'") }}
    {%- endif -%}
    {{ return(cohortwise._literal_non_string(value)) }}
{%- endmacro %}

{# BigQuery literals use backslash escapes; a doubled quote is not an escape there. #}
{% macro bigquery__literal(value) -%}
    {%- if value is string -%}
        {%- set escaped = value.replace("\\", "\\\\").replace("'", "\\'")
            .replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t") -%}
        {{ return("'" ~ escaped ~ "'") }}
    {%- endif -%}
    {{ return(cohortwise._literal_non_string(value)) }}
{%- endmacro %}

{# SQL Server: N'' keeps non-ASCII characters intact; plain '' otherwise, to keep sargable compares. #}
{% macro sqlserver__literal(value) -%}
    {%- if value is string -%}
        {%- set quoted = "'" ~ value.replace("'", "''") ~ "'" -%}
        {%- if modules.re.search('[^\\x00-\\x7f]', value) -%}
            {{ return('N' ~ quoted) }}
        {%- endif -%}
        {{ return(quoted) }}
    {%- endif -%}
    {{ return(cohortwise._literal_non_string(value)) }}
{%- endmacro %}
