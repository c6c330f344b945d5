{#-
    Warns with the number of rows a quarantine model holds for one reason code: one test per
    reason, so `dbt build` prints the count of each. Use with severity warn and
    fail_calc "coalesce(sum(rows_quarantined), 0)".
-#}
{% test quarantined_rows(model, reason, column_name='quarantine_reason') %}
    {{ cohortwise.count_rows_with_value(model, column_name, reason) }}
{% endtest %}

{% macro count_rows_with_value(model, column_name, value) -%}
    select
        {{ column_name }},
        count(*) as rows_quarantined
    from {{ model }}
    where {{ column_name }} = {{ cohortwise.literal(value) }}
    group by {{ column_name }}
{%- endmacro %}
