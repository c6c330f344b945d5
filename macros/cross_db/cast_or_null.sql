{#-
    Casts a text expression to one of cohortwise's type names (see data_type), giving null instead
    of an error when the text does not hold a value of that type. Timestamps must be ISO 8601 in
    UTC (see parse_utc_timestamp).
-#}
{% macro cast_or_null(expression, type_name) -%}
    {%- if type_name == 'timestamp' -%}
        {{ return(cohortwise.parse_utc_timestamp(expression)) }}
    {%- endif -%}
    {%- set warehouse_type = cohortwise.data_type(type_name) -%}
    {%- if type_name in ('text', 'long_text') -%}
        {{ return('cast(' ~ expression ~ ' as ' ~ warehouse_type ~ ')') }}
    {%- endif -%}
    {{ return(adapter.dispatch('cast_or_null', 'cohortwise')(expression, type_name, warehouse_type)) }}
{%- endmacro %}

{% macro default__cast_or_null(expression, type_name, warehouse_type) -%}
    {{ return('try_cast(' ~ expression ~ ' as ' ~ warehouse_type ~ ')') }}
{%- endmacro %}

{% macro duckdb__cast_or_null(expression, type_name, warehouse_type) -%}
    {{ return(cohortwise.default__cast_or_null(expression, type_name, warehouse_type)) }}
{%- endmacro %}

{% macro sqlserver__cast_or_null(expression, type_name, warehouse_type) -%}
    {{ return(cohortwise.default__cast_or_null(expression, type_name, warehouse_type)) }}
{%- endmacro %}

{# BigQuery spells the non-throwing cast safe_cast. #}
{% macro bigquery__cast_or_null(expression, type_name, warehouse_type) -%}
    {{ return('safe_cast(' ~ expression ~ ' as ' ~ warehouse_type ~ ')') }}
{%- endmacro %}

{# PostgreSQL has no non-throwing cast: the text is checked against the type's shape first. #}
{% macro postgres__cast_or_null(expression, type_name, warehouse_type) -%}
    {%- set trimmed = 'trim(' ~ expression ~ ')' -%}
    {%- if type_name == 'boolean' -%}
        {{ return('case when lower(' ~ trimmed ~ ") in ('true', 't', '1') then true"
            ~ ' when lower(' ~ trimmed ~ ") in ('false', 'f', '0') then false end") }}
    {%- endif -%}
    {%- if type_name == 'integer' -%}
        {%- set pattern = '^[-+]?[0-9]{1,18}$' -%}
    {%- else -%}
        {%- set pattern = '^[-+]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][-+]?[0-9]{1,3})?$' -%}
    {%- endif -%}
    {{ return('case when ' ~ cohortwise.regexp_matches(trimmed, pattern)
        ~ ' then cast(' ~ trimmed ~ ' as ' ~ warehouse_type ~ ') end') }}
{%- endmacro %}

{# Redshift: same shape checks as PostgreSQL (no try_cast). #}
{% macro redshift__cast_or_null(expression, type_name, warehouse_type) -%}
    {{ return(cohortwise.postgres__cast_or_null(expression, type_name, warehouse_type)) }}
{%- endmacro %}
