{#- Silent users: active in the last 30 days, but not in the last 7. -#}
{{ cohortwise.behavioral_cohort({'stopped': '*', 'earlier': {'last_days': 30}, 'recent': {'last_days': 7}}) }}
