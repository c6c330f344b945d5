{#- Bought in the last 24 hours. -#}
{{ cohortwise.behavioral_cohort({'did': 'buy', 'window': {'last_hours': 24}}) }}
