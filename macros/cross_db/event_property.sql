{#-
    Reads one property out of a JSON properties column and casts it to a cohortwise type name
    (text, numeric, integer, float, boolean, timestamp). A missing property, a JSON null or a value
    that is not of that type gives null. The property name is emitted through cohortwise.literal.
-#}
{% macro event_property(name, type='text', column='properties') -%}
    {%- if name is not string or name | length == 0
        or modules.re.search('["\\\\\\x00-\\x1f]', name) -%}
        {{ exceptions.raise_compiler_error(cohortwise._error_prefix()
            ~ "argument 'name' of event_property must be a non-empty property name without"
            ~ " double quotes, backslashes or control characters; got " ~ (name | string)) }}
    {%- endif -%}
    {%- set raw_text = adapter.dispatch('event_property_text', 'cohortwise')(name, column) -%}
    {{ return(cohortwise.cast_or_null(raw_text, type)) }}
{%- endmacro %}

{#- The property as text (JSON strings unquoted), before any cast. -#}
{% macro default__event_property_text(name, column) -%}
    {{ return('json_value(' ~ column ~ ', ' ~ cohortwise.literal('$."' ~ name ~ '"') ~ ')') }}
{%- endmacro %}

{% macro duckdb__event_property_text(name, column) -%}
    {{ return('json_extract_string(' ~ column ~ ', ' ~ cohortwise.literal('$."' ~ name ~ '"') ~ ')') }}
{%- endmacro %}

{# The key is passed as a plain literal: no JSON path to escape. #}
{% macro postgres__event_property_text(name, column) -%}
    {{ return('(cast(' ~ column ~ ' as jsonb) ->> ' ~ cohortwise.literal(name) ~ ')') }}
{%- endmacro %}

{# Redshift: the last argument turns invalid JSON into null instead of an error. #}
{% macro redshift__event_property_text(name, column) -%}
    {{ return('json_extract_path_text(' ~ column ~ ', ' ~ cohortwise.literal(name) ~ ', true)') }}
{%- endmacro %}

{% macro bigquery__event_property_text(name, column) -%}
    {{ return(cohortwise.default__event_property_text(name, column)) }}
{%- endmacro %}

{% macro sqlserver__event_property_text(name, column) -%}
    {{ return(cohortwise.default__event_property_text(name, column)) }}
{%- endmacro %}
