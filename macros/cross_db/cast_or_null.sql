{#-
    Casts text to one of cohortwise's type names, giving null instead of an error when the text
    does not hold a value of the type. What counts as a value is the same on every warehouse
    (surrounding spaces are ignored):
      integer   optional sign and 1 to 18 digits                          '42', '-7'
      numeric   optional sign, up to 22 integer digits, optional fraction  '12.5', '.5', '-3.'
                (no exponent: numeric is for exact amounts; use float)
      float     as numeric, plus an exponent of up to 2 digits             '1e-05', '2.5E3'
      boolean   true / false, in any case
      timestamp ISO 8601 in UTC (see parse_utc_timestamp)
      text, long_text  anything
    Each warehouse's own cast is more lenient in its own way ('4.2' as bigint is 4 on DuckDB, ''
    is 0 on SQL Server), so the text's shape is checked first.
-#}
{% macro cast_or_null(expression, type_name) -%}
    {%- if type_name == 'timestamp' -%}
        {{ return(cohortwise.parse_utc_timestamp(expression)) }}
    {%- endif -%}
    {%- set warehouse_type = cohortwise.data_type(type_name) -%}
    {%- if type_name in ('text', 'long_text') -%}
        {{ return('cast(' ~ expression ~ ' as ' ~ warehouse_type ~ ')') }}
    {%- endif -%}
    {%- set trimmed = cohortwise.trim_text(expression) -%}
    {%- if type_name == 'boolean' -%}
        {{ return('case when lower(' ~ trimmed ~ ") = 'true' then " ~ cohortwise.bool_literal(true)
            ~ ' when lower(' ~ trimmed ~ ") = 'false' then " ~ cohortwise.bool_literal(false) ~ ' end') }}
    {%- endif -%}
    {{ return(adapter.dispatch('cast_or_null', 'cohortwise')(trimmed, type_name, warehouse_type)) }}
{%- endmacro %}

{% macro _number_pattern(type_name) -%}
    {%- if type_name == 'integer' -%}
        {{ return('^[-+]?[0-9]{1,18}$') }}
    {%- elif type_name == 'numeric' -%}
        {{ return('^[-+]?([0-9]{1,22}([.][0-9]*)?|[.][0-9]+)$') }}
    {%- endif -%}
    {{ return('^[-+]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][-+]?[0-9]{1,2})?$') }}
{%- endmacro %}

{#- regular expressions everywhere but SQL Server: once the shape matched, a plain cast cannot fail -#}
{% macro default__cast_or_null(trimmed, type_name, warehouse_type) -%}
    {{ return('case when ' ~ cohortwise.regexp_matches(trimmed, cohortwise._number_pattern(type_name))
        ~ ' then cast(' ~ trimmed ~ ' as ' ~ warehouse_type ~ ') end') }}
{%- endmacro %}

{% macro duckdb__cast_or_null(trimmed, type_name, warehouse_type) -%}
    {{ return(cohortwise.default__cast_or_null(trimmed, type_name, warehouse_type)) }}
{%- endmacro %}

{% macro postgres__cast_or_null(trimmed, type_name, warehouse_type) -%}
    {{ return(cohortwise.default__cast_or_null(trimmed, type_name, warehouse_type)) }}
{%- endmacro %}

{% macro redshift__cast_or_null(trimmed, type_name, warehouse_type) -%}
    {{ return(cohortwise.default__cast_or_null(trimmed, type_name, warehouse_type)) }}
{%- endmacro %}

{# BigQuery's NUMERIC keeps 9 decimals: round to the 6 that numeric(28,6) keeps elsewhere. #}
{% macro bigquery__cast_or_null(trimmed, type_name, warehouse_type) -%}
    {%- set value = cohortwise.default__cast_or_null(trimmed, type_name, warehouse_type) -%}
    {%- if type_name == 'numeric' -%} {{ return('round(' ~ value ~ ', 6)') }} {%- endif -%}
    {{ return(value) }}
{%- endmacro %}

{#- T-SQL has no regular expressions: allowed characters by LIKE, the rest by try_cast -#}
{% macro sqlserver__cast_or_null(trimmed, type_name, warehouse_type) -%}
    {%- set unsigned_length = 'len(' ~ trimmed ~ ') - case when left(' ~ trimmed ~ ", 1) in ('+', '-') then 1 else 0 end" -%}
    {%- if type_name == 'integer' -%}
        {%- set shape_ok = trimmed ~ " not like '%[^0-9+-]%' and " ~ unsigned_length ~ ' between 1 and 18' -%}
    {%- elif type_name == 'numeric' -%}
        {%- set shape_ok = trimmed ~ " not like '%[^0-9.+-]%' and " ~ trimmed ~ " like '%[0-9]%'" -%}
    {%- else -%}
        {%- set exponent_at = "charindex('e', lower(" ~ trimmed ~ "))" -%}
        {%- set exponent_digits = 'len(' ~ trimmed ~ ') - ' ~ exponent_at ~ ' - case when substring(' ~ trimmed
            ~ ', ' ~ exponent_at ~ " + 1, 1) in ('+', '-') then 1 else 0 end" -%}
        {%- set shape_ok = trimmed ~ " not like '%[^0-9.eE+-]%' and " ~ trimmed ~ " like '%[0-9]%'"
            ~ ' and (' ~ exponent_at ~ ' = 0 or ' ~ exponent_digits ~ ' between 1 and 2)' -%}
    {%- endif -%}
    {{ return('case when ' ~ shape_ok ~ ' then try_cast(' ~ trimmed ~ ' as ' ~ warehouse_type ~ ') end') }}
{%- endmacro %}
