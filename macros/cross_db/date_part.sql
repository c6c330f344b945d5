{#- One field (year, quarter, month, day, hour, minute, second) of a date or timestamp, as a number. -#}
{% macro date_part(datepart, expression) -%}
    {%- set known = ['year', 'quarter', 'month', 'day', 'hour', 'minute', 'second'] -%}
    {%- if datepart not in known -%}
        {{ exceptions.raise_compiler_error(cohortwise._error_prefix() ~ "argument 'datepart' of date_part must be one of "
            ~ known | join(', ') ~ "; got " ~ (datepart | string)) }}
    {%- endif -%}
    {{ return(adapter.dispatch('date_part', 'cohortwise')(datepart, expression)) }}
{%- endmacro %}

{% macro default__date_part(datepart, expression) -%}
    {{ return('extract(' ~ datepart ~ ' from ' ~ expression ~ ')') }}
{%- endmacro %}

{% macro duckdb__date_part(datepart, expression) -%}
    {{ return(cohortwise.default__date_part(datepart, expression)) }}
{%- endmacro %}

{% macro postgres__date_part(datepart, expression) -%}
    {{ return(cohortwise.default__date_part(datepart, expression)) }}
{%- endmacro %}

{% macro bigquery__date_part(datepart, expression) -%}
    {{ return(cohortwise.default__date_part(datepart, expression)) }}
{%- endmacro %}

{% macro redshift__date_part(datepart, expression) -%}
    {{ return(cohortwise.default__date_part(datepart, expression)) }}
{%- endmacro %}

{# T-SQL spells it datepart(part, x). #}
{% macro sqlserver__date_part(datepart, expression) -%}
    {{ return('datepart(' ~ datepart ~ ', ' ~ expression ~ ')') }}
{%- endmacro %}
