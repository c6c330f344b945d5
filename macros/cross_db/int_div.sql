{#- Integer division of non-negative integers, rounded down (DuckDB's `/` would give a fraction). -#}
{% macro int_div(numerator, denominator) -%}
    {{ return(adapter.dispatch('int_div', 'cohortwise')(numerator, denominator)) }}
{%- endmacro %}

{% macro default__int_div(numerator, denominator) -%}
    {{ return('((' ~ numerator ~ ') / (' ~ denominator ~ '))') }}
{%- endmacro %}

{% macro postgres__int_div(numerator, denominator) -%}
    {{ return(cohortwise.default__int_div(numerator, denominator)) }}
{%- endmacro %}

{% macro redshift__int_div(numerator, denominator) -%}
    {{ return(cohortwise.default__int_div(numerator, denominator)) }}
{%- endmacro %}

{% macro sqlserver__int_div(numerator, denominator) -%}
    {{ return(cohortwise.default__int_div(numerator, denominator)) }}
{%- endmacro %}

{% macro duckdb__int_div(numerator, denominator) -%}
    {{ return('((' ~ numerator ~ ') // (' ~ denominator ~ '))') }}
{%- endmacro %}

{% macro bigquery__int_div(numerator, denominator) -%}
    {{ return('div(' ~ numerator ~ ', ' ~ denominator ~ ')') }}
{%- endmacro %}
