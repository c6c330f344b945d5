{#- a -> b -> c all in the same product category. -#}
{{ cohortwise.funnel(
    steps=['a', 'b', 'c'],
    window='1 hour',
    date_range={'from': '2024-01-01', 'to': '2024-02-01'},
    hold_constant='product_category',
) }}
