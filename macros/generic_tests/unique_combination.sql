{#- Fails for every combination of the columns that occurs more than once (nulls count as equal). -#}
{% test unique_combination(model, column_names) %}
    {{ cohortwise.duplicate_combinations(model, column_names) }}
{% endtest %}

{% macro duplicate_combinations(model, column_names) -%}
    {%- if column_names is string or column_names | length == 0 -%}
        {{ exceptions.raise_compiler_error("test unique_combination: argument 'column_names' must be a non-empty list") }}
    {%- endif -%}
    select
        {{ column_names | join(',\n        ') }},
        count(*) as occurrences
    from {{ model }}
    group by {{ column_names | join(', ') }}
    having count(*) > 1
{%- endmacro %}
