{#- A condition: the text expression holds a valid JSON document (null stays unknown). -#}
{% macro is_valid_json(text_expression) -%}
    {{ return(adapter.dispatch('is_valid_json', 'cohortwise')(text_expression)) }}
{%- endmacro %}

{% macro default__is_valid_json(text_expression) -%}
    {{ return('json_valid(' ~ text_expression ~ ')') }}
{%- endmacro %}

{% macro duckdb__is_valid_json(text_expression) -%}
    {{ return(cohortwise.default__is_valid_json(text_expression)) }}
{%- endmacro %}

{# PostgreSQL before 16 has no JSON validity test: on_run_start creates a non-throwing parse. #}
{% macro postgres__is_valid_json(text_expression) -%}
    {{ return(cohortwise._postgres_try_jsonb_function() ~ '(' ~ text_expression ~ ') is not null') }}
{%- endmacro %}

{% macro redshift__is_valid_json(text_expression) -%}
    {{ return('is_valid_json(' ~ text_expression ~ ')') }}
{%- endmacro %}

{% macro bigquery__is_valid_json(text_expression) -%}
    {{ return('safe.parse_json(' ~ text_expression ~ ') is not null') }}
{%- endmacro %}

{% macro sqlserver__is_valid_json(text_expression) -%}
    {{ return('isjson(' ~ text_expression ~ ') = 1') }}
{%- endmacro %}
