{#- Churned users: signed-up users active in the last 90 days but not in the last 30. -#}
{{ cohortwise.behavioral_cohort({'all': [
    {'stopped': '*', 'earlier': {'last_days': 90}, 'recent': {'last_days': 30}},
    {'attribute': 'signed_up_at', 'op': 'is not null'},
]}) }}
