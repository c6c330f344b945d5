{#- A condition from a boolean column or value (SQL Server stores booleans as bit). -#}
{% macro is_true(expression) -%}
    {{ return(adapter.dispatch('is_true', 'cohortwise')(expression)) }}
{%- endmacro %}

{% macro default__is_true(expression) -%}
    {{ return(expression) }}
{%- endmacro %}

{% macro duckdb__is_true(expression) -%}
    {{ return(cohortwise.default__is_true(expression)) }}
{%- endmacro %}

{% macro postgres__is_true(expression) -%}
    {{ return(cohortwise.default__is_true(expression)) }}
{%- endmacro %}

{% macro bigquery__is_true(expression) -%}
    {{ return(cohortwise.default__is_true(expression)) }}
{%- endmacro %}

{% macro redshift__is_true(expression) -%}
    {{ return(cohortwise.default__is_true(expression)) }}
{%- endmacro %}

{% macro sqlserver__is_true(expression) -%}
    {{ return('(' ~ expression ~ ' = 1)') }}
{%- endmacro %}
