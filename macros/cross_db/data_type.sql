{#-
    The warehouse type for one of cohortwise's type names, used for promoted properties and casts:
    text, long_text (JSON documents), numeric, integer, float, boolean, timestamp.
-#}
{% macro data_type(type_name) -%}
    {%- set known = ['text', 'long_text', 'numeric', 'integer', 'float', 'boolean', 'timestamp'] -%}
    {%- if type_name not in known -%}
        {{ exceptions.raise_compiler_error(cohortwise._error_prefix() ~ "unknown type '" ~ type_name
            ~ "'; expected one of " ~ known | join(', ')) }}
    {%- endif -%}
    {{ return(adapter.dispatch('data_type', 'cohortwise')(type_name)) }}
{%- endmacro %}

{% macro default__data_type(type_name) -%}
    {%- if type_name in ('text', 'long_text') -%} {{ return(dbt.type_string()) }}
    {%- elif type_name == 'numeric' -%} {{ return(dbt.type_numeric()) }}
    {%- elif type_name == 'integer' -%} {{ return(dbt.type_bigint()) }}
    {%- elif type_name == 'float' -%} {{ return(dbt.type_float()) }}
    {%- elif type_name == 'boolean' -%} {{ return(dbt.type_boolean()) }}
    {%- else -%} {{ return(dbt.type_timestamp()) }}
    {%- endif -%}
{%- endmacro %}

{# DuckDB's `float` is 4 bytes; cohortwise's float is a double everywhere. #}
{% macro duckdb__data_type(type_name) -%}
    {%- if type_name == 'float' -%} {{ return('double') }} {%- endif -%}
    {{ return(cohortwise.default__data_type(type_name)) }}
{%- endmacro %}

{% macro postgres__data_type(type_name) -%}
    {{ return(cohortwise.default__data_type(type_name)) }}
{%- endmacro %}

{% macro bigquery__data_type(type_name) -%}
    {{ return(cohortwise.default__data_type(type_name)) }}
{%- endmacro %}

{# Redshift's `varchar` is 256 bytes: JSON documents need the widest varchar. #}
{% macro redshift__data_type(type_name) -%}
    {%- if type_name == 'long_text' -%} {{ return('varchar(65535)') }} {%- endif -%}
    {{ return(cohortwise.default__data_type(type_name)) }}
{%- endmacro %}

{#
    SQL Server: JSON documents may exceed varchar(8000); nvarchar keeps any character. float is
    spelled `double precision` (T-SQL's synonym of float(53)): sqlglot reads a bare `float` as a
    4-byte REAL when it carries the SQL to DuckDB for the equivalence check.
#}
{% macro sqlserver__data_type(type_name) -%}
    {%- if type_name == 'long_text' -%} {{ return('nvarchar(max)') }} {%- endif -%}
    {%- if type_name == 'float' -%} {{ return('double precision') }} {%- endif -%}
    {{ return(cohortwise.default__data_type(type_name)) }}
{%- endmacro %}
