{#- Turns a condition into a boolean value that can be selected into an `is_` / `has_` column. -#}
{% macro as_boolean(condition) -%}
    {{ return(adapter.dispatch('as_boolean', 'cohortwise')(condition)) }}
{%- endmacro %}

{% macro default__as_boolean(condition) -%}
    {{ return('(' ~ condition ~ ')') }}
{%- endmacro %}

{% macro duckdb__as_boolean(condition) -%}
    {{ return(cohortwise.default__as_boolean(condition)) }}
{%- endmacro %}

{% macro postgres__as_boolean(condition) -%}
    {{ return(cohortwise.default__as_boolean(condition)) }}
{%- endmacro %}

{% macro bigquery__as_boolean(condition) -%}
    {{ return(cohortwise.default__as_boolean(condition)) }}
{%- endmacro %}

{% macro redshift__as_boolean(condition) -%}
    {{ return(cohortwise.default__as_boolean(condition)) }}
{%- endmacro %}

{# T-SQL cannot select a predicate: it becomes a bit. A null condition stays null, as elsewhere. #}
{% macro sqlserver__as_boolean(condition) -%}
    {{ return('cast(case when ' ~ condition ~ ' then 1 when not (' ~ condition ~ ') then 0 end as bit)') }}
{%- endmacro %}
