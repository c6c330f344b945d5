{#-
    A wall-clock (local) date-time constant, comparable with to_local_timestamp values: a TIMESTAMP
    everywhere, a DATETIME on BigQuery. `text` is 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS'.
-#}
{% macro local_timestamp_literal(text) -%}
    {%- if text is not string or not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}( [0-9]{2}:[0-9]{2}(:[0-9]{2})?)?$', text) -%}
        {{ exceptions.raise_compiler_error(cohortwise._error_prefix()
            ~ "a date must look like 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS'; got " ~ (text | string)) }}
    {%- endif -%}
    {%- set full = text if text | length > 10 else text ~ ' 00:00:00' -%}
    {{ return(adapter.dispatch('local_timestamp_literal', 'cohortwise')(full)) }}
{%- endmacro %}

{% macro default__local_timestamp_literal(text) -%}
    {{ return('cast(' ~ cohortwise.literal(text) ~ ' as ' ~ cohortwise.data_type('timestamp') ~ ')') }}
{%- endmacro %}

{% macro duckdb__local_timestamp_literal(text) -%}
    {{ return(cohortwise.default__local_timestamp_literal(text)) }}
{%- endmacro %}

{% macro postgres__local_timestamp_literal(text) -%}
    {{ return(cohortwise.default__local_timestamp_literal(text)) }}
{%- endmacro %}

{% macro redshift__local_timestamp_literal(text) -%}
    {{ return(cohortwise.default__local_timestamp_literal(text)) }}
{%- endmacro %}

{% macro sqlserver__local_timestamp_literal(text) -%}
    {{ return(cohortwise.default__local_timestamp_literal(text)) }}
{%- endmacro %}

{# BigQuery: local times are DATETIME (see to_local_timestamp). #}
{% macro bigquery__local_timestamp_literal(text) -%}
    {{ return('cast(' ~ cohortwise.literal(text) ~ ' as datetime)') }}
{%- endmacro %}
