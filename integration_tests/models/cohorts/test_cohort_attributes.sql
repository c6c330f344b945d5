{#- User attributes, all of them: =, in, !=, >=, between (times), contains, is not null. -#}
{{ cohortwise.behavioral_cohort({'all': [
    {'attribute': 'country', 'op': 'in', 'value': ['DE', 'US']},
    {'attribute': 'country', 'op': 'is not null'},
    {'attribute': 'plan', 'op': '!=', 'value': 'free'},
    {'attribute': 'events_count', 'op': '>=', 'value': 2},
    {'attribute': 'signed_up_at', 'op': 'between', 'value': ['2024-01-01', '2024-03-31 23:59:59']},
    {'attribute': 'platform', 'op': 'contains', 'value': 'o'},
]}) }}
