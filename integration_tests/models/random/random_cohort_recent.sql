{#- Randomized cohort test (tests/python/test_cohorts.py): counts in local days, yesterday, attributes. -#}
{{ cohortwise.behavioral_cohort({'all': [
    {'did': 'a', 'count': {'op': '>=', 'value': 2}, 'window': {'last_days': 7}},
    {'any': [
        {'did_not': 'b', 'window': 'yesterday'},
        {'attribute': 'country', 'op': 'in', 'value': ['DE', 'US']},
    ]},
]}) }}
