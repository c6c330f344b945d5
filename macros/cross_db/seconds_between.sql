{#-
    Exact seconds (with fractions) from one timestamp to a later one. dbt.datediff(..., 'second')
    counts second boundaries on some warehouses, which is not a duration.
-#}
{% macro seconds_between(start_timestamp, end_timestamp) -%}
    {{ return(adapter.dispatch('seconds_between', 'cohortwise')(start_timestamp, end_timestamp)) }}
{%- endmacro %}

{% macro default__seconds_between(start_timestamp, end_timestamp) -%}
    {{ return('(extract(epoch from ' ~ end_timestamp ~ ') - extract(epoch from ' ~ start_timestamp ~ '))') }}
{%- endmacro %}

{# DuckDB: epoch() is in seconds, with microseconds as the fraction. #}
{% macro duckdb__seconds_between(start_timestamp, end_timestamp) -%}
    {{ return('(epoch(' ~ end_timestamp ~ ') - epoch(' ~ start_timestamp ~ '))') }}
{%- endmacro %}

{% macro postgres__seconds_between(start_timestamp, end_timestamp) -%}
    {{ return(cohortwise.default__seconds_between(start_timestamp, end_timestamp)) }}
{%- endmacro %}

{# Redshift: datediff in microseconds counts exactly at that precision. #}
{% macro redshift__seconds_between(start_timestamp, end_timestamp) -%}
    {{ return('(datediff(microsecond, ' ~ start_timestamp ~ ', ' ~ end_timestamp ~ ') / 1000000.0)') }}
{%- endmacro %}

{% macro bigquery__seconds_between(start_timestamp, end_timestamp) -%}
    {{ return('(timestamp_diff(' ~ end_timestamp ~ ', ' ~ start_timestamp ~ ', microsecond) / 1000000.0)') }}
{%- endmacro %}

{# SQL Server: datediff_big, so that long spans in microseconds do not overflow an int. #}
{% macro sqlserver__seconds_between(start_timestamp, end_timestamp) -%}
    {{ return('(datediff_big(microsecond, ' ~ start_timestamp ~ ', ' ~ end_timestamp ~ ') / 1000000.0)') }}
{%- endmacro %}
