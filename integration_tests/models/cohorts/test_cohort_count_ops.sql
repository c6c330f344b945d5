{#- Bought more than once, fewer than 5 times, but not exactly 3 times (all history). -#}
{{ cohortwise.behavioral_cohort({'all': [
    {'did': 'buy', 'count': {'op': '>', 'value': 1}},
    {'did': 'buy', 'count': {'op': '<', 'value': 5}},
    {'did': 'buy', 'count': {'op': '!=', 'value': 3}},
]}) }}
