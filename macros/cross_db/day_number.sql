{#-
    The number of days from 1900-01-01 (a Monday) to the date of a (local) date-time expression:
    calendar periods are computed from it (days, weeks of any starting day, with int_div).
-#}
{% macro day_number(expression) -%}
    {{ return(adapter.dispatch('day_number', 'cohortwise')(expression)) }}
{%- endmacro %}

{% macro default__day_number(expression) -%}
    {{ return("datediff(day, cast('1900-01-01' as date), cast(" ~ expression ~ ' as date))') }}
{%- endmacro %}

{% macro duckdb__day_number(expression) -%}
    {{ return("date_diff('day', date '1900-01-01', cast(" ~ expression ~ ' as date))') }}
{%- endmacro %}

{# PostgreSQL: date - date is a number of days. #}
{% macro postgres__day_number(expression) -%}
    {{ return('(cast(' ~ expression ~ " as date) - date '1900-01-01')") }}
{%- endmacro %}

{% macro redshift__day_number(expression) -%}
    {{ return(cohortwise.default__day_number(expression)) }}
{%- endmacro %}

{% macro sqlserver__day_number(expression) -%}
    {{ return(cohortwise.default__day_number(expression)) }}
{%- endmacro %}

{% macro bigquery__day_number(expression) -%}
    {{ return('date_diff(date(' ~ expression ~ "), date '1900-01-01', day)") }}
{%- endmacro %}
