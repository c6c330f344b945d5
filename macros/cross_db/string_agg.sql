{#- Concatenates the text values of a group with a delimiter, in a given order. -#}
{% macro string_agg(expression, delimiter=', ', order_by=none) -%}
    {%- if delimiter is not string -%}
        {{ exceptions.raise_compiler_error(cohortwise._error_prefix()
            ~ "argument 'delimiter' of string_agg must be a string; got " ~ (delimiter | string)) }}
    {%- endif -%}
    {{ return(adapter.dispatch('string_agg', 'cohortwise')(expression, delimiter, order_by)) }}
{%- endmacro %}

{% macro default__string_agg(expression, delimiter, order_by) -%}
    {%- set ordering = (' order by ' ~ order_by) if order_by else '' -%}
    {{ return('string_agg(' ~ expression ~ ', ' ~ cohortwise.literal(delimiter) ~ ordering ~ ')') }}
{%- endmacro %}

{% macro duckdb__string_agg(expression, delimiter, order_by) -%}
    {{ return(cohortwise.default__string_agg(expression, delimiter, order_by)) }}
{%- endmacro %}

{% macro postgres__string_agg(expression, delimiter, order_by) -%}
    {{ return(cohortwise.default__string_agg(expression, delimiter, order_by)) }}
{%- endmacro %}

{% macro bigquery__string_agg(expression, delimiter, order_by) -%}
    {{ return(cohortwise.default__string_agg(expression, delimiter, order_by)) }}
{%- endmacro %}

{# Redshift spells it listagg ... within group. #}
{% macro redshift__string_agg(expression, delimiter, order_by) -%}
    {%- set ordering = (' within group (order by ' ~ order_by ~ ')') if order_by else '' -%}
    {{ return('listagg(' ~ expression ~ ', ' ~ cohortwise.literal(delimiter) ~ ')' ~ ordering) }}
{%- endmacro %}

{# SQL Server: within group, and nvarchar(max) so that results longer than 8000 bytes do not fail. #}
{% macro sqlserver__string_agg(expression, delimiter, order_by) -%}
    {%- set ordering = (' within group (order by ' ~ order_by ~ ')') if order_by else '' -%}
    {{ return('string_agg(cast(' ~ expression ~ ' as nvarchar(max)), ' ~ cohortwise.literal(delimiter) ~ ')' ~ ordering) }}
{%- endmacro %}
