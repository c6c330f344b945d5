{#- A boolean constant. -#}
{% macro bool_literal(value) -%}
    {{ return(adapter.dispatch('bool_literal', 'cohortwise')(value)) }}
{%- endmacro %}

{% macro default__bool_literal(value) -%}
    {{ return('true' if value else 'false') }}
{%- endmacro %}

{% macro duckdb__bool_literal(value) -%}
    {{ return(cohortwise.default__bool_literal(value)) }}
{%- endmacro %}

{% macro postgres__bool_literal(value) -%}
    {{ return(cohortwise.default__bool_literal(value)) }}
{%- endmacro %}

{% macro bigquery__bool_literal(value) -%}
    {{ return(cohortwise.default__bool_literal(value)) }}
{%- endmacro %}

{% macro redshift__bool_literal(value) -%}
    {{ return(cohortwise.default__bool_literal(value)) }}
{%- endmacro %}

{# T-SQL has no boolean literals: booleans are stored as bit. #}
{% macro sqlserver__bool_literal(value) -%}
    {{ return('cast(1 as bit)' if value else 'cast(0 as bit)') }}
{%- endmacro %}
