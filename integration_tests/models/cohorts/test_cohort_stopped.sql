{#- Opened the app in May 2024 but not since June. -#}
{{ cohortwise.behavioral_cohort({
    'stopped': 'open', 'earlier': {'between': ['2024-05-01', '2024-05-31']}, 'recent': {'since': '2024-06-01'},
}) }}
