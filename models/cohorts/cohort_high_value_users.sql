{#- High-value users: paid more than 5000 in the past 90 days. -#}
{{ cohortwise.behavioral_cohort({
    'aggregate': 'sum', 'property': 'amount', 'event': 'pay_order',
    'op': '>', 'value': 5000, 'window': {'last_days': 90},
}) }}
