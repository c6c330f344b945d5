{#-
    numerator / denominator as a floating-point number, null when the denominator is 0 or null.
    Integer division truncates on PostgreSQL, Redshift and SQL Server; this never does.
-#}
{% macro safe_divide(numerator, denominator) -%}
    {{ return(adapter.dispatch('safe_divide', 'cohortwise')(numerator, denominator)) }}
{%- endmacro %}

{% macro default__safe_divide(numerator, denominator) -%}
    {%- set float_type = cohortwise.data_type('float') -%}
    {{ return('(cast(' ~ numerator ~ ' as ' ~ float_type ~ ') / nullif(cast(' ~ denominator ~ ' as '
        ~ float_type ~ '), 0))') }}
{%- endmacro %}

{% macro duckdb__safe_divide(numerator, denominator) -%}
    {{ return(cohortwise.default__safe_divide(numerator, denominator)) }}
{%- endmacro %}

{% macro postgres__safe_divide(numerator, denominator) -%}
    {{ return(cohortwise.default__safe_divide(numerator, denominator)) }}
{%- endmacro %}

{% macro redshift__safe_divide(numerator, denominator) -%}
    {{ return(cohortwise.default__safe_divide(numerator, denominator)) }}
{%- endmacro %}

{% macro sqlserver__safe_divide(numerator, denominator) -%}
    {{ return(cohortwise.default__safe_divide(numerator, denominator)) }}
{%- endmacro %}

{# BigQuery has it built in (float64, null on division by zero). #}
{% macro bigquery__safe_divide(numerator, denominator) -%}
    {{ return('safe_divide(' ~ numerator ~ ', ' ~ denominator ~ ')') }}
{%- endmacro %}
