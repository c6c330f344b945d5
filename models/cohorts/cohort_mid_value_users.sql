{#- Mid-value users: paid 1000 to 5000 (both included) in the past 90 days. -#}
{{ cohortwise.behavioral_cohort({
    'aggregate': 'sum', 'property': 'amount', 'event': 'pay_order',
    'op': 'between', 'value': [1000, 5000], 'window': {'last_days': 90},
}) }}
