{#- User attributes, any of them: is null, not in, <, >, <=, =. -#}
{{ cohortwise.behavioral_cohort({'any': [
    {'attribute': 'country', 'op': 'is null'},
    {'attribute': 'plan', 'op': 'not in', 'value': ['free', 'pro']},
    {'attribute': 'events_count', 'op': '<', 'value': 1},
    {'attribute': 'devices_count', 'op': '>', 'value': 2},
    {'attribute': 'accounts_count', 'op': '<=', 'value': 0},
    {'attribute': 'platform', 'op': '=', 'value': 'web'},
]}) }}
