{#- Bought at least twice in the last 7 days (Shanghai days), and ever viewed shoes. -#}
{{ cohortwise.behavioral_cohort({'all': [
    {'did': 'buy', 'count': {'op': '>=', 'value': 2}, 'window': {'last_days': 7}},
    {'did': {'event': 'view', 'where': [{'property': 'product_category', 'op': '=', 'value': 'shoes'}]}},
]}) }}
