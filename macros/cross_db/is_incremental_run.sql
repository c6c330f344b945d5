{#-
    is_incremental(), but answerable without a connection: dbt's own looks the table up in the
    warehouse, which an offline compile (`cohortwise check-warehouses`) cannot do. There the var
    `cohortwise__assume_incremental` (default false) answers instead.
-#}
{% macro is_incremental_run() -%}
    {%- if var('cohortwise__offline_compile', false) -%}
        {{ return(var('cohortwise__assume_incremental', false) is sameas true) }}
    {%- endif -%}
    {#- a unit test has no relation to look up: it runs the full-build SQL -#}
    {%- if this is none -%}
        {{ return(false) }}
    {%- endif -%}
    {{ return(is_incremental()) }}
{%- endmacro %}
