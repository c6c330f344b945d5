{#-
    A null-safe "differs": true when exactly one side is null or both are set and unequal, false
    otherwise (never null, so that `not` of it is a null-safe equality).
-#}
{% macro is_distinct_from(left, right) -%}
    {{ return(adapter.dispatch('is_distinct_from', 'cohortwise')(left, right)) }}
{%- endmacro %}

{#- spelled out: Redshift and SQL Server before 2022 have no IS DISTINCT FROM -#}
{% macro default__is_distinct_from(left, right) -%}
    {{ return('((' ~ left ~ ' is null and ' ~ right ~ ' is not null) or (' ~ left ~ ' is not null and '
        ~ right ~ ' is null) or (' ~ left ~ ' is not null and ' ~ right ~ ' is not null and ' ~ left ~ ' <> ' ~ right ~ '))') }}
{%- endmacro %}

{% macro duckdb__is_distinct_from(left, right) -%}
    {{ return(cohortwise.default__is_distinct_from(left, right)) }}
{%- endmacro %}

{% macro postgres__is_distinct_from(left, right) -%}
    {{ return(cohortwise.default__is_distinct_from(left, right)) }}
{%- endmacro %}

{% macro bigquery__is_distinct_from(left, right) -%}
    {{ return(cohortwise.default__is_distinct_from(left, right)) }}
{%- endmacro %}

{% macro redshift__is_distinct_from(left, right) -%}
    {{ return(cohortwise.default__is_distinct_from(left, right)) }}
{%- endmacro %}

{% macro sqlserver__is_distinct_from(left, right) -%}
    {{ return(cohortwise.default__is_distinct_from(left, right)) }}
{%- endmacro %}
