{#-
    Run by the project's on-run-start hook: creates the helper functions a warehouse lacks.
    PostgreSQL: `cohortwise_try_jsonb(text)`, a JSON parse that returns null instead of failing.
    Every other warehouse needs nothing.
-#}
{% macro on_run_start() -%}
    {{ return(adapter.dispatch('on_run_start', 'cohortwise')()) }}
{%- endmacro %}

{% macro default__on_run_start() -%}
    {{ return('') }}
{%- endmacro %}

{% macro duckdb__on_run_start() -%}
    {{ return('') }}
{%- endmacro %}

{% macro bigquery__on_run_start() -%}
    {{ return('') }}
{%- endmacro %}

{% macro redshift__on_run_start() -%}
    {{ return('') }}
{%- endmacro %}

{% macro sqlserver__on_run_start() -%}
    {{ return('') }}
{%- endmacro %}

{% macro postgres__on_run_start() -%}
    create schema if not exists {{ adapter.quote(target.schema) }};
    create or replace function {{ cohortwise._postgres_try_jsonb_function() }}(document text)
        returns jsonb
        language plpgsql immutable parallel safe
    as $cohortwise$
    begin
        return cast(document as jsonb);
    exception when others then
        return null;
    end;
    $cohortwise$;
{%- endmacro %}

{% macro _postgres_try_jsonb_function() -%}
    {{ return(adapter.quote(target.schema) ~ '.cohortwise_try_jsonb') }}
{%- endmacro %}
