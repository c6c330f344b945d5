{#- A time-zone-aware timestamp expression as the naive UTC timestamp cohortwise works with. -#}
{% macro timestamptz_to_utc(expression) -%}
    {{ return(adapter.dispatch('timestamptz_to_utc', 'cohortwise')(expression)) }}
{%- endmacro %}

{% macro default__timestamptz_to_utc(expression) -%}
    {{ return('(' ~ expression ~ " at time zone 'UTC')") }}
{%- endmacro %}

{% macro duckdb__timestamptz_to_utc(expression) -%}
    {{ return(cohortwise.default__timestamptz_to_utc(expression)) }}
{%- endmacro %}

{% macro postgres__timestamptz_to_utc(expression) -%}
    {{ return(cohortwise.default__timestamptz_to_utc(expression)) }}
{%- endmacro %}

{# BigQuery's TIMESTAMP is an absolute instant already; cohortwise keeps TIMESTAMP there. #}
{% macro bigquery__timestamptz_to_utc(expression) -%}
    {{ return('cast(' ~ expression ~ ' as timestamp)') }}
{%- endmacro %}

{% macro redshift__timestamptz_to_utc(expression) -%}
    {{ return("convert_timezone('UTC', " ~ expression ~ ')') }}
{%- endmacro %}

{# SQL Server: a datetimeoffset moved to +00:00, then its offset dropped. #}
{% macro sqlserver__timestamptz_to_utc(expression) -%}
    {{ return("cast(switchoffset(" ~ expression ~ ", '+00:00') as datetime2(6))") }}
{%- endmacro %}
