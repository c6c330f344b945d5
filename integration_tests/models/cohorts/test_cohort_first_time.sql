{#- First buy ever in the last 3 days. -#}
{{ cohortwise.behavioral_cohort({'first_time': 'buy', 'window': {'last_days': 3}}) }}
