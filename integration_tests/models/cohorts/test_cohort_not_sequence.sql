{#- Never put something in the cart and bought it within an hour, in the last 30 days. -#}
{{ cohortwise.behavioral_cohort({'not_sequence': ['cart', 'buy'], 'within': '1 hour', 'window': {'last_days': 30}}) }}
