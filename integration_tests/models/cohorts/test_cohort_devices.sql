{#- Devices without a buy in the last 7 days. -#}
{{ cohortwise.behavioral_cohort({'did_not': 'buy', 'window': {'last_days': 7}}) }}
