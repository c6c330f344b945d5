{#- Fails for every row in which all of the given columns are null. -#}
{% test not_all_null(model, column_names) %}
    {{ cohortwise.rows_with_all_null(model, column_names) }}
{% endtest %}

{% macro rows_with_all_null(model, column_names) -%}
    {%- if column_names is string or column_names | length == 0 -%}
        {{ exceptions.raise_compiler_error("test not_all_null: argument 'column_names' must be a non-empty list") }}
    {%- endif -%}
    select *
    from {{ model }}
    where
        {%- for column_name in column_names %}
        {{ column_name }} is null {{- ' and' if not loop.last }}
        {%- endfor %}
{%- endmacro %}
