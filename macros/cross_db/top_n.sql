{#-
    The first `n` rows of a query in a given order, as one select: `limit` on most warehouses,
    `top` on SQL Server. The inner query must not have its own `order by` (T-SQL forbids it).
-#}
{% macro top_n(query, n, order_by) -%}
    {%- if n is not number or n is sameas true or n < 1 or n != (n | int) -%}
        {{ exceptions.raise_compiler_error(cohortwise._error_prefix()
            ~ "argument 'n' of top_n must be a whole number >= 1; got " ~ (n | string)) }}
    {%- endif -%}
    {%- if order_by is not string or order_by | trim == '' -%}
        {{ exceptions.raise_compiler_error(cohortwise._error_prefix()
            ~ "argument 'order_by' of top_n is required: without an order the first rows are arbitrary") }}
    {%- endif -%}
    {{ return(adapter.dispatch('top_n', 'cohortwise')(query, n | int, order_by)) }}
{%- endmacro %}

{% macro default__top_n(query, n, order_by) -%}
    {{ return('select * from (' ~ query ~ ') as top_n_source order by ' ~ order_by ~ ' limit ' ~ n) }}
{%- endmacro %}

{% macro duckdb__top_n(query, n, order_by) -%}
    {{ return(cohortwise.default__top_n(query, n, order_by)) }}
{%- endmacro %}

{% macro postgres__top_n(query, n, order_by) -%}
    {{ return(cohortwise.default__top_n(query, n, order_by)) }}
{%- endmacro %}

{% macro bigquery__top_n(query, n, order_by) -%}
    {{ return(cohortwise.default__top_n(query, n, order_by)) }}
{%- endmacro %}

{% macro redshift__top_n(query, n, order_by) -%}
    {{ return(cohortwise.default__top_n(query, n, order_by)) }}
{%- endmacro %}

{# T-SQL has no LIMIT. #}
{% macro sqlserver__top_n(query, n, order_by) -%}
    {{ return('select top (' ~ n ~ ') * from (' ~ query ~ ') as top_n_source order by ' ~ order_by) }}
{%- endmacro %}
