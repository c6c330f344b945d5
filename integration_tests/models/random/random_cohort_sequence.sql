{#- Randomized cohort test (tests/python/test_cohorts.py): sequences, first time, property filters. -#}
{{ cohortwise.behavioral_cohort({'any': [
    {'sequence': ['a', {'event': 'b', 'where': [{'property': 'product_category', 'op': '=', 'value': 'shoes'}]}],
     'within': 1800, 'window': {'last_days': 14}},
    {'all': [
        {'first_time': 'c', 'window': {'last_days': 10}},
        {'not_sequence': ['b', 'c'], 'within': 3600},
    ]},
]}) }}
