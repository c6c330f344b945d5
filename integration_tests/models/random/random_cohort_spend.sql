{#- Randomized cohort test (tests/python/test_cohorts.py): aggregates, stopped, hours. -#}
{{ cohortwise.behavioral_cohort({'any': [
    {'aggregate': 'sum', 'property': 'amount', 'event': 'pay', 'op': '>', 'value': 100, 'window': {'last_days': 30}},
    {'all': [
        {'stopped': 'a', 'earlier': {'last_days': 20}, 'recent': {'last_hours': 72}},
        {'aggregate': 'count_distinct', 'property': 'product_category', 'event': '*', 'op': '>=', 'value': 2,
         'window': {'since': '2024-05-20'}},
    ]},
    {'aggregate': 'avg', 'property': 'amount', 'event': 'pay', 'op': 'between', 'value': [40, 45],
     'window': {'between': ['2024-05-25', '2024-05-31']}},
]}) }}
