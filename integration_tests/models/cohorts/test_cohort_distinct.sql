{#- Viewed exactly 3 product categories, or paid anything other than 0 since June. -#}
{{ cohortwise.behavioral_cohort({'any': [
    {'aggregate': 'count_distinct', 'property': 'product_category', 'event': 'view', 'op': '=', 'value': 3},
    {'aggregate': 'sum', 'property': 'amount', 'event': 'pay', 'op': '!=', 'value': 0, 'window': {'since': '2024-06-01'}},
]}) }}
