{#- Active users: any event in the last 7 days. -#}
{{ cohortwise.behavioral_cohort({'did': '*', 'window': {'last_days': 7}}) }}
