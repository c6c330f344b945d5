{#- At most one buy (none counts) and exactly two views. -#}
{{ cohortwise.behavioral_cohort({'all': [
    {'did': 'buy', 'count': {'op': '<=', 'value': 1}},
    {'did': 'view', 'count': {'op': '=', 'value': 2}},
]}) }}
