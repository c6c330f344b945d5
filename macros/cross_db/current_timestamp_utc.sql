{#-
    The computation time as a naive UTC timestamp: the `cohortwise__as_of` var when set
    ('YYYY-MM-DD HH:MM:SS', UTC), else the warehouse's clock.
-#}
{% macro current_timestamp_utc() -%}
    {%- set as_of = var('cohortwise__as_of', none) -%}
    {%- if as_of is not none -%}
        {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}( [0-9]{2}:[0-9]{2}(:[0-9]{2})?)?$', as_of | string) -%}
            {{ exceptions.raise_compiler_error("var 'cohortwise__as_of' must look like 'YYYY-MM-DD HH:MM:SS' (UTC); got "
                ~ (as_of | string)) }}
        {%- endif -%}
        {{ return('cast(' ~ cohortwise.literal(as_of | string) ~ ' as ' ~ cohortwise.data_type('timestamp') ~ ')') }}
    {%- endif -%}
    {{ return(adapter.dispatch('current_timestamp_utc', 'cohortwise')()) }}
{%- endmacro %}

{% macro default__current_timestamp_utc() -%}
    {{ return("(current_timestamp at time zone 'UTC')") }}
{%- endmacro %}

{% macro duckdb__current_timestamp_utc() -%}
    {{ return(cohortwise.default__current_timestamp_utc()) }}
{%- endmacro %}

{% macro postgres__current_timestamp_utc() -%}
    {{ return(cohortwise.default__current_timestamp_utc()) }}
{%- endmacro %}

{# BigQuery keeps instants as TIMESTAMP, which is UTC by definition. #}
{% macro bigquery__current_timestamp_utc() -%}
    {{ return('current_timestamp()') }}
{%- endmacro %}

{# Redshift's getdate() is UTC and without time zone. #}
{% macro redshift__current_timestamp_utc() -%}
    {{ return('getdate()') }}
{%- endmacro %}

{% macro sqlserver__current_timestamp_utc() -%}
    {{ return('cast(sysutcdatetime() as datetime2(6))') }}
{%- endmacro %}
