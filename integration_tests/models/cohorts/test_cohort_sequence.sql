{#- Put something in the cart, then bought within an hour, in the last 30 days. -#}
{{ cohortwise.behavioral_cohort({'sequence': ['cart', 'buy'], 'within': '1 hour', 'window': {'last_days': 30}}) }}
