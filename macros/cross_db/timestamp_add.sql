{#-
    Adds `interval` units (second, minute, hour, day) to a timestamp and keeps the timestamp type:
    dbt.dateadd turns a BigQuery TIMESTAMP into DATETIME, which no longer compares with TIMESTAMP.
-#}
{% macro timestamp_add(datepart, interval, timestamp_expression) -%}
    {%- if datepart not in ('second', 'minute', 'hour', 'day') -%}
        {{ exceptions.raise_compiler_error(cohortwise._error_prefix()
            ~ "argument 'datepart' of timestamp_add must be second, minute, hour or day; got " ~ datepart) }}
    {%- endif -%}
    {{ return(adapter.dispatch('timestamp_add', 'cohortwise')(datepart, interval, timestamp_expression)) }}
{%- endmacro %}

{% macro default__timestamp_add(datepart, interval, timestamp_expression) -%}
    {{ return(dbt.dateadd(datepart, interval, timestamp_expression)) }}
{%- endmacro %}

{% macro duckdb__timestamp_add(datepart, interval, timestamp_expression) -%}
    {{ return(cohortwise.default__timestamp_add(datepart, interval, timestamp_expression)) }}
{%- endmacro %}

{% macro postgres__timestamp_add(datepart, interval, timestamp_expression) -%}
    {{ return(cohortwise.default__timestamp_add(datepart, interval, timestamp_expression)) }}
{%- endmacro %}

{% macro redshift__timestamp_add(datepart, interval, timestamp_expression) -%}
    {{ return(cohortwise.default__timestamp_add(datepart, interval, timestamp_expression)) }}
{%- endmacro %}

{% macro sqlserver__timestamp_add(datepart, interval, timestamp_expression) -%}
    {{ return(cohortwise.default__timestamp_add(datepart, interval, timestamp_expression)) }}
{%- endmacro %}

{% macro bigquery__timestamp_add(datepart, interval, timestamp_expression) -%}
    {{ return('timestamp_add(' ~ timestamp_expression ~ ', interval (' ~ interval ~ ') ' ~ datepart ~ ')') }}
{%- endmacro %}
