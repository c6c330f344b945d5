{#- Randomized cohort test (tests/python/test_cohorts.py): cohorts of cohorts. -#}
{{ cohortwise.behavioral_cohort({'all': [
    {'any': [{'in_cohort': 'random_cohort_recent'}, {'in_cohort': 'random_cohort_spend'}]},
    {'not_in_cohort': 'random_cohort_sequence'},
    {'did': 'c', 'count': {'op': '<', 'value': 3}, 'window': 'today'},
]}) }}
