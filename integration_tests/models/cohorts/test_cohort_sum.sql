{#- Paid more than 500 in the last 3 days. -#}
{{ cohortwise.behavioral_cohort({
    'aggregate': 'sum', 'property': 'amount', 'event': 'pay', 'op': '>', 'value': 500, 'window': {'last_days': 3},
}) }}
