{#- Average payment at most 50, smallest at least 10, largest from 20 to 60. -#}
{{ cohortwise.behavioral_cohort({'all': [
    {'aggregate': 'avg', 'property': 'amount', 'event': 'pay', 'op': '<=', 'value': 50},
    {'aggregate': 'min', 'property': 'amount', 'event': 'pay', 'op': '>=', 'value': 10},
    {'aggregate': 'max', 'property': 'amount', 'event': 'pay', 'op': 'between', 'value': [20, 60]},
]}) }}
