{#- New users: their first event ever happened in the last 7 days (Shanghai days). -#}
{{ cohortwise.behavioral_cohort({'first_time': '*', 'window': {'last_days': 7}}) }}
