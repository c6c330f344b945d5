{#-
    Parses ISO 8601 text in UTC into the warehouse's timestamp type, or null when the text is not
    one: `YYYY-MM-DD`, optionally followed by ` HH:MM`, `:SS`, `.ffffff` (a `T` may replace the
    space) and a UTC marker (`Z`, `+00`, `+0000`, `+00:00`). Any other offset is rejected rather
    than silently ignored, and impossible dates and times (Feb 30, 24:00) are rejected on every
    warehouse.
-#}
{% macro parse_utc_timestamp(text_expression) -%}
    {{ return(adapter.dispatch('parse_utc_timestamp', 'cohortwise')(text_expression)) }}
{%- endmacro %}

{% macro _iso_utc_pattern() -%}
    {{ return('^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])'
        ~ '([ T]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]{1,6})?)?)?(Z|[+]00(:?00)?)?$') }}
{%- endmacro %}

{#- the text with its `T` separator and UTC marker removed: only valid once the shape has matched -#}
{% macro _iso_utc_normalized(trimmed) -%}
    {%- set ns = namespace(sql='replace(' ~ trimmed ~ ", 'T', ' ')") -%}
    {%- for marker in ['Z', '+00:00', '+0000', '+00'] -%}
        {%- set ns.sql = 'replace(' ~ ns.sql ~ ', ' ~ cohortwise.literal(marker) ~ ", '')" -%}
    {%- endfor -%}
    {{ return(ns.sql) }}
{%- endmacro %}

{% macro default__parse_utc_timestamp(text_expression) -%}
    {%- set trimmed = 'trim(' ~ text_expression ~ ')' -%}
    {{ return('case when ' ~ cohortwise.regexp_matches(trimmed, cohortwise._iso_utc_pattern())
        ~ ' then try_cast(' ~ cohortwise._iso_utc_normalized(trimmed) ~ ' as ' ~ dbt.type_timestamp() ~ ') end') }}
{%- endmacro %}

{% macro duckdb__parse_utc_timestamp(text_expression) -%}
    {{ return(cohortwise.default__parse_utc_timestamp(text_expression)) }}
{%- endmacro %}

{# BigQuery spells the non-throwing cast safe_cast. #}
{% macro bigquery__parse_utc_timestamp(text_expression) -%}
    {%- set trimmed = 'trim(' ~ text_expression ~ ')' -%}
    {{ return('case when ' ~ cohortwise.regexp_matches(trimmed, cohortwise._iso_utc_pattern())
        ~ ' then safe_cast(' ~ cohortwise._iso_utc_normalized(trimmed) ~ ' as timestamp) end') }}
{%- endmacro %}

{#- PostgreSQL has no non-throwing cast: after the shape check, the day of the month is checked by hand -#}
{% macro postgres__parse_utc_timestamp(text_expression) -%}
    {%- set trimmed = 'trim(' ~ text_expression ~ ')' -%}
    {%- set normalized = cohortwise._iso_utc_normalized(trimmed) -%}
    {%- set year = 'cast(substring(' ~ normalized ~ ', 1, 4) as integer)' -%}
    {%- set month = 'cast(substring(' ~ normalized ~ ', 6, 2) as integer)' -%}
    {%- set day = 'cast(substring(' ~ normalized ~ ', 9, 2) as integer)' -%}
    {%- set days_in_month -%}
        case {{ month }}
            when 2 then case when mod({{ year }}, 4) = 0 and (mod({{ year }}, 100) <> 0 or mod({{ year }}, 400) = 0) then 29 else 28 end
            when 4 then 30 when 6 then 30 when 9 then 30 when 11 then 30
            else 31
        end
    {%- endset -%}
    {{ return('case when ' ~ cohortwise.regexp_matches(trimmed, cohortwise._iso_utc_pattern())
        ~ ' then case when ' ~ day ~ ' <= ' ~ days_in_month ~ ' then cast(' ~ normalized ~ ' as '
        ~ dbt.type_timestamp() ~ ') end end') }}
{%- endmacro %}

{# Redshift: no non-throwing cast either; same checks as PostgreSQL. #}
{% macro redshift__parse_utc_timestamp(text_expression) -%}
    {{ return(cohortwise.postgres__parse_utc_timestamp(text_expression)) }}
{%- endmacro %}

{#- T-SQL has no regular expressions: the shape is checked with LIKE classes, try_cast does the rest -#}
{% macro sqlserver__parse_utc_timestamp(text_expression) -%}
    {%- set trimmed = 'trim(' ~ text_expression ~ ')' -%}
    {%- set shape_ok -%}
        {{ trimmed }} like '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]%'
        and {{ trimmed }} not like '%[^0-9T:.Z+ -]%'
        and len({{ trimmed }}) between 10 and 32
        and (charindex('+', {{ trimmed }}) = 0 or right({{ trimmed }}, 3) = '+00'
            or right({{ trimmed }}, 5) = '+0000' or right({{ trimmed }}, 6) = '+00:00')
    {%- endset -%}
    {{ return('case when ' ~ shape_ok ~ ' then try_cast(' ~ cohortwise._iso_utc_normalized(trimmed)
        ~ ' as datetime2(6)) end') }}
{%- endmacro %}
