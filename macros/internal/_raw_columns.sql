{#-
    Expressions that read one raw column into its canonical type; `column` is none when absent.
    Column names that come from vars are always quoted: `plan`, `order` or `timestamp` are reserved
    words somewhere (PLAN is reserved in T-SQL).
-#}

{% macro _raw_column(column) -%}
    {{ return(adapter.quote(column)) }}
{%- endmacro %}

{#- an identifier: text, trimmed, blank as null -#}
{% macro _raw_id(column) -%}
    {%- if column is none -%}
        {{ return('cast(null as ' ~ cohortwise.data_type('text') ~ ')') }}
    {%- endif -%}
    {{ return("nullif(trim(cast(" ~ cohortwise._raw_column(column) ~ ' as ' ~ cohortwise.data_type('text') ~ ")), '')") }}
{%- endmacro %}

{#- the value exactly as loaded, as text (kept for the quarantine) -#}
{% macro _raw_text(column, type_name='text') -%}
    {%- if column is none -%}
        {{ return('cast(null as ' ~ cohortwise.data_type(type_name) ~ ')') }}
    {%- endif -%}
    {{ return('cast(' ~ cohortwise._raw_column(column) ~ ' as ' ~ cohortwise.data_type(type_name) ~ ')') }}
{%- endmacro %}

{#- a point in time as a naive UTC timestamp; text that is not ISO 8601 UTC becomes null -#}
{% macro _raw_timestamp(column, time_type) -%}
    {%- if column is none -%}
        {{ return('cast(null as ' ~ cohortwise.data_type('timestamp') ~ ')') }}
    {%- elif time_type == 'text' -%}
        {{ return(cohortwise.parse_utc_timestamp(cohortwise._raw_text(column))) }}
    {%- elif time_type == 'timestamptz' -%}
        {{ return(cohortwise.timestamptz_to_utc(cohortwise._raw_column(column))) }}
    {%- endif -%}
    {{ return('cast(' ~ cohortwise._raw_column(column) ~ ' as ' ~ cohortwise.data_type('timestamp') ~ ')') }}
{%- endmacro %}
