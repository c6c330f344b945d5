{#-
    A UTC timestamp as wall-clock time in an IANA time zone, for calendar buckets (day, week,
    month, "today") in the reporting zone. Durations stay on UTC instants; only buckets use this.
    The zone defaults to the `cohortwise__timezone` var and must be a known IANA name: SQL Server
    needs it translated to its Windows name, and a typo should fail at compile time everywhere.
-#}
{% macro to_local_timestamp(utc_timestamp, timezone=none) -%}
    {%- set zone = timezone if timezone is not none else var('cohortwise__timezone', 'UTC') -%}
    {%- if zone is not string or zone not in cohortwise._windows_zones() -%}
        {{ exceptions.raise_compiler_error(cohortwise._error_prefix()
            ~ "argument 'timezone' must be an IANA time zone name such as 'Europe/Berlin'; got '"
            ~ (zone | string) ~ "'") }}
    {%- endif -%}
    {{ return(adapter.dispatch('to_local_timestamp', 'cohortwise')(utc_timestamp, zone)) }}
{%- endmacro %}

{% macro default__to_local_timestamp(utc_timestamp, timezone) -%}
    {%- if timezone in ('UTC', 'Etc/UTC') -%} {{ return(utc_timestamp) }} {%- endif -%}
    {{ return('((' ~ utc_timestamp ~ " at time zone 'UTC') at time zone " ~ cohortwise.literal(timezone) ~ ')') }}
{%- endmacro %}

{# DuckDB (ICU) and PostgreSQL: naive -> timestamptz read as UTC -> naive wall clock in the zone. #}
{% macro duckdb__to_local_timestamp(utc_timestamp, timezone) -%}
    {{ return(cohortwise.default__to_local_timestamp(utc_timestamp, timezone)) }}
{%- endmacro %}

{% macro postgres__to_local_timestamp(utc_timestamp, timezone) -%}
    {{ return(cohortwise.default__to_local_timestamp(utc_timestamp, timezone)) }}
{%- endmacro %}

{% macro redshift__to_local_timestamp(utc_timestamp, timezone) -%}
    {%- if timezone in ('UTC', 'Etc/UTC') -%} {{ return(utc_timestamp) }} {%- endif -%}
    {{ return("convert_timezone('UTC', " ~ cohortwise.literal(timezone) ~ ', ' ~ utc_timestamp ~ ')') }}
{%- endmacro %}

{# BigQuery: a TIMESTAMP's civil time in a zone is a DATETIME, for UTC too (one type per column). #}
{% macro bigquery__to_local_timestamp(utc_timestamp, timezone) -%}
    {{ return('datetime(' ~ utc_timestamp ~ ', ' ~ cohortwise.literal(timezone) ~ ')') }}
{%- endmacro %}

{# SQL Server knows Windows zone names only (sys.time_zone_info). #}
{% macro sqlserver__to_local_timestamp(utc_timestamp, timezone) -%}
    {%- if timezone in ('UTC', 'Etc/UTC') -%} {{ return(utc_timestamp) }} {%- endif -%}
    {%- set windows_zone = cohortwise._windows_zones()[timezone] -%}
    {{ return('cast((' ~ utc_timestamp ~ " at time zone 'UTC') at time zone " ~ cohortwise.literal(windows_zone)
        ~ ' as datetime2(6))') }}
{%- endmacro %}
