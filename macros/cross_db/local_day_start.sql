{#-
    Midnight of a calendar day relative to today in a time zone, as a wall-clock value comparable
    with to_local_timestamp: offset_days 0 = today, -6 = six days ago, 1 = tomorrow. "Today" is the
    computation time (cohortwise__as_of or now) in that zone.
-#}
{% macro local_day_start(offset_days, timezone=none) -%}
    {%- if offset_days is not number or offset_days != (offset_days | int) -%}
        {{ exceptions.raise_compiler_error(cohortwise._error_prefix()
            ~ "local_day_start: offset_days must be a whole number; got " ~ (offset_days | string)) }}
    {%- endif -%}
    {%- set local_now = cohortwise.to_local_timestamp(cohortwise.current_timestamp_utc(), timezone) -%}
    {{ return(adapter.dispatch('local_day_start', 'cohortwise')(offset_days | int, local_now)) }}
{%- endmacro %}

{% macro default__local_day_start(offset_days, local_now) -%}
    {{ return(dbt.dateadd('day', offset_days, "cast(cast(" ~ local_now ~ " as date) as " ~ cohortwise.data_type('timestamp') ~ ")")) }}
{%- endmacro %}

{% macro duckdb__local_day_start(offset_days, local_now) -%}
    {{ return(cohortwise.default__local_day_start(offset_days, local_now)) }}
{%- endmacro %}

{% macro postgres__local_day_start(offset_days, local_now) -%}
    {{ return(cohortwise.default__local_day_start(offset_days, local_now)) }}
{%- endmacro %}

{% macro redshift__local_day_start(offset_days, local_now) -%}
    {{ return(cohortwise.default__local_day_start(offset_days, local_now)) }}
{%- endmacro %}

{# SQL Server: datetime2 arithmetic through dateadd. #}
{% macro sqlserver__local_day_start(offset_days, local_now) -%}
    {{ return('dateadd(day, ' ~ offset_days ~ ', cast(cast(' ~ local_now ~ ' as date) as datetime2(6)))') }}
{%- endmacro %}

{# BigQuery: local values are DATETIME; datetime_add keeps them so. #}
{% macro bigquery__local_day_start(offset_days, local_now) -%}
    {{ return('datetime_add(datetime_trunc(' ~ local_now ~ ', day), interval ' ~ offset_days ~ ' day)') }}
{%- endmacro %}
